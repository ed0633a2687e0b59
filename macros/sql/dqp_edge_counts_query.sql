{#- Rows (column_index, bin_index, value_count) counting each column's non-null,
    non-NaN values (infinities included) in right-closed bins over sorted
    distinct edges e0..e(k-1): bin 0 is (-inf, e0], bin i is (e(i-1), e(i)],
    bin k is (e(k-1), +inf). Empty bins are omitted. One scan for all columns;
    edges are inlined as literals (an array from a subquery is re-read per row).
    columns: list of {alias, index, edges}. -#}
{% macro dqp_edge_counts_query(source_sql, columns) %}
    {{ return(adapter.dispatch('dqp_edge_counts_query', 'dqp')(source_sql, columns)) }}
{% endmacro %}

{% macro default__dqp_edge_counts_query(source_sql, columns) %}
    {#- width_bucket is left-closed; bucketing -x against the negated, reversed
        edges makes it right-closed: bucket j of -x is bin (k - j) of x. -#}
    select column_index, bin_index, count(*) as value_count
    from {{ source_sql }}
    cross join lateral (
        values
        {%- for column in columns %}
            (
                {{ column.index }},
                case when not {{ dqp.dqp_is_nan(column.alias) }} then
                    {{ column.edges | length }} - width_bucket(
                        -{{ column.alias }},
                        array[{% for edge in column.edges | reverse %}{{ -edge }}{{ ', ' if not loop.last }}{% endfor %}]::double precision[]
                    )
                end
            ){{ ',' if not loop.last }}
        {%- endfor %}
    ) as buckets (column_index, bin_index)
    where bin_index is not null
    group by column_index, bin_index
{% endmacro %}

{% macro duckdb__dqp_edge_counts_query(source_sql, columns) %}
    {#- histogram(x, edges) counts x <= edge per edge (right-closed) and keys the
        overflow bucket past the last edge; NaN is filtered first because
        histogram would put it in the lowest bucket. All columns share one scan. -#}
    with histogram_maps as materialized (
        select
        {%- for column in columns %}
            histogram(
                case when not isnan({{ column.alias }}) then {{ column.alias }} end,
                [{{ column.edges | join(', ') }}]::double[]
            ) as bins_{{ column.index }}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ source_sql }}
    )
    {%- for column in columns %}
    select
        {{ column.index }} as column_index,
        coalesce(
            list_position([{{ column.edges | join(', ') }}]::double[], upper_key) - 1,
            {{ column.edges | length }}
        ) as bin_index,
        value_count
    from (
        select
            unnest(map_keys(bins_{{ column.index }})) as upper_key,
            unnest(map_values(bins_{{ column.index }})) as value_count
        from histogram_maps
    ) as bin_rows
    where value_count > 0
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{% endmacro %}
