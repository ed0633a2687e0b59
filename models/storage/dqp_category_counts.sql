{{ config(schema=var('dqp_schema', none)) }}
{#- Categorical value counts per side over one shared category set: the top K
    values of either side, then '__other__' and '__null__'. -#}
select
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as run_id,
    cast(null as {{ dbt.type_string() }}) as side,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_int() }}) as column_position,
    cast(null as {{ dbt.type_string() }}) as category_value,
    cast(null as {{ dbt.type_string() }}) as category_kind,
    cast(null as {{ dbt.type_bigint() }}) as value_count,
    cast(null as {{ dbt.type_timestamp() }}) as profiled_at
where 1 = 0
