-- A time split whose time_column is an injection that would drop `victim`.
{{ config(pre_hook=create_victim()) }}
select
    event_id,
    event_at as {{ dqp.dqp_quote_identifier(hostile_time_column_injection()) }},
    latency_ms as {{ dqp.dqp_quote_identifier("it's latency") }}
from {{ ref('events') }}
