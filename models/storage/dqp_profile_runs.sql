{{ config(schema=var('dqp_schema', none)) }}
{#- One row per (dataset_name, run_id): written last by the profiling hook, so a
    run that has this row is complete. Rows are appended by dqp.on_run_end(). -#}
select
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as run_id,
    cast(null as {{ dbt.type_timestamp() }}) as profiled_at,
    cast(null as {{ dbt.type_string() }}) as node_unique_id,
    cast(null as {{ dbt.type_string() }}) as current_relation,
    cast(null as {{ dbt.type_string() }}) as reference_kind,
    cast(null as {{ dbt.type_string() }}) as reference_relation,
    cast(null as {{ dbt.type_string() }}) as time_column,
    cast(null as {{ dbt.type_string() }}) as current_window_start,
    cast(null as {{ dbt.type_string() }}) as current_window_end,
    cast(null as {{ dbt.type_string() }}) as reference_window_start,
    cast(null as {{ dbt.type_string() }}) as reference_window_end,
    cast(null as {{ dqp.dqp_type_double() }}) as current_window_days,
    cast(null as {{ dqp.dqp_type_double() }}) as reference_window_days,
    cast(null as {{ dbt.type_string() }}) as critical_columns,
    cast(null as {{ dbt.type_string() }}) as settings,
    cast(null as {{ dbt.type_string() }}) as policy,
    cast(null as {{ dbt.type_int() }}) as profiled_column_count,
    cast(null as {{ dbt.type_string() }}) as dqp_version
where 1 = 0
