{#- Rows (column_index, level_index, quantile_value, mean_value, stddev_value)
    for one column of a profiled source: linear-interpolation quantiles
    (percentile_cont) of its finite values at each level, 1-based level_index.
    This is the one query that sorts: one sort per numeric column and side. -#}
{% macro dqp_quantiles_query(source_sql, column_alias, column_index, levels) %}
    {{ return(adapter.dispatch('dqp_quantiles_query', 'dqp')(source_sql, column_alias, column_index, levels)) }}
{% endmacro %}

{% macro default__dqp_quantiles_query(source_sql, column_alias, column_index, levels) %}
    select
        {{ column_index }} as column_index,
        quantiles.level_index,
        quantiles.quantile_value,
        moments.mean_value,
        moments.stddev_value
    from (
        select
            percentile_cont(array[{{ levels | join(', ') }}]::double precision[])
                within group (order by finite_value) as quantile_values,
            avg(finite_value) as mean_value,
            stddev_samp(finite_value) as stddev_value
        from (
            select {{ dqp.dqp_finite_value(column_alias) }} as finite_value
            from {{ source_sql }}
        ) as finite_values
        where finite_value is not null
    ) as moments
    cross join lateral unnest(moments.quantile_values)
        with ordinality as quantiles (quantile_value, level_index)
{% endmacro %}

{% macro duckdb__dqp_quantiles_query(source_sql, column_alias, column_index, levels) %}
    select
        {{ column_index }} as column_index,
        unnest(range(1, {{ levels | length + 1 }})) as level_index,
        unnest(quantile_cont(finite_value, [{{ levels | join(', ') }}]::double[])) as quantile_value,
        avg(finite_value) as mean_value,
        stddev_samp(finite_value) as stddev_value
    from (
        select {{ dqp.dqp_finite_value(column_alias) }} as finite_value
        from {{ source_sql }}
    ) as finite_values
    where finite_value is not null
{% endmacro %}
