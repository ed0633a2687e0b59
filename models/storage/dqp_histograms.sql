{{ config(schema=var('dqp_schema', none)) }}
{#- Numeric bin counts per side: 'psi' (reference deciles, right-closed bins,
    open ends, plus a null bin for NULL and NaN), 'ks_binned' (reference
    quantile cuts) and 'ks_exact' (one row per distinct value). -#}
select
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as run_id,
    cast(null as {{ dbt.type_string() }}) as side,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_int() }}) as column_position,
    cast(null as {{ dbt.type_string() }}) as histogram_kind,
    cast(null as {{ dbt.type_int() }}) as bin_index,
    cast(null as {{ dqp.dqp_type_double() }}) as lower_edge,
    cast(null as {{ dqp.dqp_type_double() }}) as upper_edge,
    cast(null as {{ dqp.dqp_type_double() }}) as bin_value,
    cast(null as {{ dbt.type_boolean() }}) as is_null_bin,
    cast(null as {{ dbt.type_bigint() }}) as value_count,
    cast(null as {{ dbt.type_timestamp() }}) as profiled_at
where 1 = 0
