{#- Written by `dqp check` and `dqp alert ...`: append-only, one row per change
    of an alert (opened, escalated, resolved, mute_expired, acknowledged,
    muted, unmuted), with who did it and why. event_id is unique (the index
    the post-hook declares). -#}
{{ config(schema=var('dqp_schema', none), post_hook=[
    "{{ dqp._dqp_alerts_identity_sql(this, 'event_id') }}",
]) }}
select
    cast(null as {{ dbt.type_string() }}) as alert_id,
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_string() }}) as signal_type,
    cast(null as {{ dbt.type_string() }}) as event_type,
    cast(null as {{ dbt.type_string() }}) as status,
    cast(null as {{ dbt.type_string() }}) as severity,
    cast(null as {{ dbt.type_timestamp() }}) as event_at,
    cast(null as {{ dbt.type_string() }}) as author,
    cast(null as {{ dbt.type_string() }}) as reason,
    cast(null as {{ dbt.type_string() }}) as check_id,
    cast(null as {{ dbt.type_string() }}) as run_id,
    cast(null as {{ dbt.type_timestamp() }}) as muted_until,
    cast(null as {{ dqp.dqp_type_double() }}) as metric_value,
    cast(null as {{ dbt.type_string() }}) as event_id
where 1 = 0
