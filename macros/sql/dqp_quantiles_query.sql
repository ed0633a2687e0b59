{#- Rows (column_index, level_index, quantile_value, mean_value, stddev_value)
    for one column of a profiled source: linear-interpolation quantiles
    (percentile_cont) of its finite values at each level, 1-based level_index.
    This is the one query that sorts: one sort per numeric column and side.
    levels_sql, when given, is an SQL expression of the same levels as a
    double array (e.g. a scalar subquery of a CTE the caller renders once),
    so many columns' queries do not each repeat ~1,000 literals. -#}
{% macro dqp_quantiles_query(source_sql, column_alias, column_index, levels, levels_sql=none) %}
    {{ return(adapter.dispatch('dqp_quantiles_query', 'dqp')(source_sql, column_alias, column_index, levels, levels_sql)) }}
{% endmacro %}

{% macro default__dqp_quantiles_query(source_sql, column_alias, column_index, levels, levels_sql=none) %}
    select
        {{ column_index }} as column_index,
        quantiles.level_index,
        quantiles.quantile_value,
        moments.mean_value,
        moments.stddev_value
    from (
        select
            percentile_cont({{ levels_sql or ('array[' ~ levels | join(', ') ~ ']::double precision[]') }})
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

{#- DuckDB's quantile_cont runs a selection per level: at 999 levels one sort
    of the column and a positional lookup is ~10x faster. Same interpolation
    as percentile_cont: v[lo] + (h - lo) * (v[lo + 1] - v[lo]), h = (n - 1) * p. -#}
{% macro duckdb__dqp_quantiles_query(source_sql, column_alias, column_index, levels, levels_sql=none) %}
    select * from (
        with sorted_values as (
            select
                list_sort(list(finite_value)) as sorted_value,
                count(finite_value) as value_count,
                avg(finite_value) as mean_value,
                stddev_samp(finite_value) as stddev_value
            from (
                select {{ dqp.dqp_finite_value(column_alias) }} as finite_value
                from {{ source_sql }}
            ) as finite_values
            where finite_value is not null
        ),
        positions as (
            select
                level_index,
                (value_count - 1) * level as position,
                floor((value_count - 1) * level)::bigint as lower_index
            from sorted_values
            cross join (
                select unnest(range(1, {{ levels | length + 1 }})) as level_index,
                    unnest({{ levels_sql or ('[' ~ levels | join(', ') ~ ']::double[]') }}) as level
            ) as requested
            where value_count > 0
        )
        select
            {{ column_index }} as column_index,
            positions.level_index,
            case
                when positions.position = positions.lower_index then sorted_value[positions.lower_index + 1]
                else sorted_value[positions.lower_index + 1] + (positions.position - positions.lower_index)
                    * (sorted_value[positions.lower_index + 2] - sorted_value[positions.lower_index + 1])
            end as quantile_value,
            sorted_values.mean_value,
            sorted_values.stddev_value
        from sorted_values
        left join positions on true
    ) as column_quantiles
{% endmacro %}
