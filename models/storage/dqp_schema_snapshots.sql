{{ config(schema=var('dqp_schema', none)) }}
{#- The columns each side had when it was profiled, as the warehouse reports them. -#}
select
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as run_id,
    cast(null as {{ dbt.type_string() }}) as side,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_int() }}) as column_position,
    cast(null as {{ dbt.type_string() }}) as data_type,
    cast(null as {{ dbt.type_timestamp() }}) as profiled_at
where 1 = 0
