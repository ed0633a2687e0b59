{#- Written by `dqp check` (in the same transaction as the check's audit rows)
    and by `dqp alert ack|mute|unmute|resolve`: the current state of each
    alert, one row per alert; every change is also an event in
    dqp_alert_events. alert_id is unique (the index the post-hook declares). -#}
{{ config(schema=var('dqp_schema', none), post_hook=[
    "{{ dqp._dqp_alerts_identity_sql(this, 'alert_id') }}",
]) }}
select
    cast(null as {{ dbt.type_string() }}) as alert_id,
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_string() }}) as signal_type,
    cast(null as {{ dbt.type_string() }}) as status,
    cast(null as {{ dbt.type_string() }}) as severity,
    cast(null as {{ dbt.type_timestamp() }}) as opened_at,
    cast(null as {{ dbt.type_string() }}) as opened_check_id,
    cast(null as {{ dbt.type_timestamp() }}) as last_seen_at,
    cast(null as {{ dbt.type_string() }}) as last_check_id,
    cast(null as {{ dqp.dqp_type_double() }}) as last_metric_value,
    cast(null as {{ dbt.type_timestamp() }}) as resolved_at,
    cast(null as {{ dbt.type_timestamp() }}) as muted_until,
    cast(null as {{ dbt.type_string() }}) as status_author,
    cast(null as {{ dbt.type_string() }}) as status_reason,
    cast(null as {{ dbt.type_timestamp() }}) as status_changed_at
where 1 = 0
