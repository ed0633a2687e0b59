{{ config(schema=var('dqp_schema', none)) }}
{#- One row per (dataset_name, run_id, side, column_name). Numeric statistics
    cover finite values only; NULL, NaN and +/-Infinity are counted apart.
    value_offset (appended last, 0.2.0): when set, the numeric statistics are
    relative to it (see _dqp_fetch_value_offsets). Temporal columns are
    profiled as numbers: epoch seconds. -#}
select
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as run_id,
    cast(null as {{ dbt.type_string() }}) as side,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_int() }}) as column_position,
    cast(null as {{ dbt.type_string() }}) as data_type,
    cast(null as {{ dbt.type_string() }}) as column_kind,
    cast(null as {{ dbt.type_string() }}) as ks_method,
    cast(null as {{ dbt.type_bigint() }}) as row_count,
    cast(null as {{ dbt.type_bigint() }}) as null_count,
    cast(null as {{ dqp.dqp_type_double() }}) as null_rate,
    cast(null as {{ dbt.type_bigint() }}) as nan_count,
    cast(null as {{ dbt.type_bigint() }}) as pos_inf_count,
    cast(null as {{ dbt.type_bigint() }}) as neg_inf_count,
    cast(null as {{ dbt.type_bigint() }}) as distinct_count,
    cast(null as {{ dqp.dqp_type_double() }}) as min_value,
    cast(null as {{ dqp.dqp_type_double() }}) as max_value,
    cast(null as {{ dqp.dqp_type_double() }}) as mean_value,
    cast(null as {{ dqp.dqp_type_double() }}) as stddev_value,
    cast(null as {{ dqp.dqp_type_double() }}) as q1_value,
    cast(null as {{ dqp.dqp_type_double() }}) as median_value,
    cast(null as {{ dqp.dqp_type_double() }}) as q3_value,
    cast(null as {{ dqp.dqp_type_double() }}) as iqr_lower_bound,
    cast(null as {{ dqp.dqp_type_double() }}) as iqr_upper_bound,
    cast(null as {{ dbt.type_bigint() }}) as iqr_outlier_count,
    cast(null as {{ dqp.dqp_type_double() }}) as zscore_lower_bound,
    cast(null as {{ dqp.dqp_type_double() }}) as zscore_upper_bound,
    cast(null as {{ dbt.type_bigint() }}) as zscore_outlier_count,
    cast(null as {{ dbt.type_timestamp() }}) as profiled_at,
    cast(null as {{ dbt.type_string() }}) as value_offset,
    cast(null as {{ dbt.type_bigint() }}) as singleton_count,
    cast(null as {{ dbt.type_bigint() }}) as novel_row_count
where 1 = 0
