{{ config(schema=var('dqp_schema', none), post_hook=[
    "{{ dqp._dqp_dataset_index_sql(this, 'check_id') }}",
]) }}
{#- Written by `dqp check`: every metric of every check, fired or not, in the
    same transaction as the check's dqp_check_runs row. The one home of each
    statistic: the dqp generic tests, the report and BI read these rows and
    never recompute a statistic. -#}
select
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as run_id,
    cast(null as {{ dbt.type_string() }}) as check_id,
    cast(null as {{ dbt.type_string() }}) as policy_fingerprint,
    cast(null as {{ dbt.type_int() }}) as metric_index,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_string() }}) as metric_name,
    cast(null as {{ dbt.type_string() }}) as signal_type,
    cast(null as {{ dbt.type_string() }}) as method,
    cast(null as {{ dbt.type_string() }}) as state,
    cast(null as {{ dqp.dqp_type_double() }}) as metric_value,
    cast(null as {{ dqp.dqp_type_double() }}) as threshold,
    cast(null as {{ dqp.dqp_type_double() }}) as current_value,
    cast(null as {{ dqp.dqp_type_double() }}) as reference_value,
    cast(null as {{ dqp.dqp_type_double() }}) as p_value,
    cast(null as {{ dqp.dqp_type_double() }}) as p_value_adjusted,
    cast(null as {{ dqp.dqp_type_double() }}) as error_bound,
    cast(null as {{ dbt.type_bigint() }}) as reference_n,
    cast(null as {{ dbt.type_bigint() }}) as current_n,
    cast(null as {{ dbt.type_string() }}) as severity,
    cast(null as {{ dbt.type_boolean() }}) as is_critical_column,
    cast(null as {{ dbt.type_string() }}) as details,
    cast(null as {{ dbt.type_timestamp() }}) as checked_at
where 1 = 0
