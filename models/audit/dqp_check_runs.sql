{{ config(schema=var('dqp_schema', none)) }}
{#- Written by `dqp check`, one row per checked (dataset_name, run_id), in the
    same transaction as its dqp_signals rows. (dataset_name, run_id) is unique:
    the checker adds a unique index and refuses a second check of a run. -#}
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
    cast(null as {{ dbt.type_string() }}) as checker_version
where 1 = 0
