{{ config(schema=var('dqp_schema', none)) }}
{#- Written by `dqp check`: the explanation rows of each check, one per
    signal that fired, with its score impact and recommended action code. -#}
select
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as run_id,
    cast(null as {{ dbt.type_int() }}) as signal_index,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_string() }}) as signal_type,
    cast(null as {{ dbt.type_string() }}) as method,
    cast(null as {{ dqp.dqp_type_double() }}) as metric_value,
    cast(null as {{ dqp.dqp_type_double() }}) as threshold,
    cast(null as {{ dqp.dqp_type_double() }}) as p_value,
    cast(null as {{ dqp.dqp_type_double() }}) as error_bound,
    cast(null as {{ dbt.type_string() }}) as severity,
    cast(null as {{ dqp.dqp_type_double() }}) as score_impact,
    cast(null as {{ dbt.type_string() }}) as recommended_action,
    cast(null as {{ dbt.type_boolean() }}) as is_critical_column,
    cast(null as {{ dbt.type_string() }}) as details,
    cast(null as {{ dbt.type_timestamp() }}) as checked_at,
    cast(null as {{ dbt.type_string() }}) as check_id
where 1 = 0
