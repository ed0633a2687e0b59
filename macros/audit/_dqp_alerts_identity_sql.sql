{#- The identity of dqp_alerts (alert_id) and dqp_alert_events (event_id),
    declared by the models' post-hooks: a unique index on the id column, named
    after the table. At most one unresolved alert per (dataset_name,
    column_name, signal_type) is kept by the checker, which reads and writes a
    dataset's alerts in the transaction of its check. -#}
{% macro _dqp_alerts_identity_sql(relation, id_column) %}
    {%- if id_column not in ('alert_id', 'event_id') -%}
        {{ exceptions.raise_compiler_error("_dqp_alerts_identity_sql: id_column must be 'alert_id' or 'event_id', got " ~ id_column) }}
    {%- endif -%}
    create unique index if not exists {{ dqp.dqp_quote_identifier(relation.identifier ~ '_identity') }}
        on {{ dqp.dqp_quote_relation(relation) }} ({{ id_column }})
{% endmacro %}
