{#- Written by `dqp check`, one row per check, in the same transaction as its
    dqp_signals and dqp_column_metrics rows. A check is identified by check_id;
    (dataset_name, run_id, policy_fingerprint) is unique, enforced by the index
    the post-hook declares (the checker creates the same index if missing). -#}
{{ config(schema=var('dqp_schema', none), post_hook=[
    "{{ dqp._dqp_check_runs_identity_sql(this, 'drop_legacy') }}",
    "{{ dqp._dqp_check_runs_identity_sql(this, 'create') }}",
]) }}
select
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as run_id,
    cast(null as {{ dbt.type_timestamp() }}) as checked_at,
    cast(null as {{ dqp.dqp_type_double() }}) as health_score,
    cast(null as {{ dbt.type_string() }}) as decision,
    cast(null as {{ dbt.type_int() }}) as decision_rank,
    cast(null as {{ dbt.type_string() }}) as worst_severity,
    cast(null as {{ dbt.type_int() }}) as signal_count,
    cast(null as {{ dbt.type_string() }}) as reference_kind,
    cast(null as {{ dbt.type_string() }}) as policy,
    cast(null as {{ dbt.type_string() }}) as checker_version,
    cast(null as {{ dbt.type_string() }}) as check_id,
    cast(null as {{ dbt.type_string() }}) as policy_fingerprint,
    cast(null as {{ dbt.type_string() }}) as resolved_policy,
    cast(null as {{ dbt.type_string() }}) as decision_reason,
    cast(null as {{ dbt.type_boolean() }}) as is_recheck,
    cast(null as {{ dbt.type_int() }}) as metric_count
where 1 = 0
