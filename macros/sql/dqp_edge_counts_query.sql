{#- Rows (column_index, bin_index, value_count) counting each column's non-null,
    non-NaN values (infinities included) in right-closed bins over its sorted
    distinct edges e0..e(k-1), read from edge_table (dqp_edge_table_name:
    the distinct edge_value of its is_edge rows per column_index): bin 0 is
    (-inf, e0], bin i is (e(i-1), e(i)], bin k is (e(k-1), +inf). One
    convention on every engine: a value equal to an edge counts in the bin
    that edge closes. Empty bins are omitted. One scan for all columns; each
    column's edges are aggregated into one array once, not per row (on
    PostgreSQL fetched and inlined, so the scan stays parallel).
    columns: list of {alias, index}. -#}
{% macro dqp_edge_counts_query(source_sql, columns, edge_table) %}
    {{ return(adapter.dispatch('dqp_edge_counts_query', 'dqp')(source_sql, columns, edge_table)) }}
{% endmacro %}

{% macro default__dqp_edge_counts_query(source_sql, columns, edge_table) %}
    {#- width_bucket is left-closed; bucketing -x against the negated, reversed
        edges makes it right-closed: bucket j of -x is bin (k - j) of x.
        The arrays are fetched first (one short row per column, as text, which
        round-trips a double exactly) and inlined: a query that reads a
        temporary table may not scan in parallel on PostgreSQL, which made
        this pass ~1.6x slower at 1M rows x 20 columns. -#}
    {%- set negated = {} -%}
    {%- set fetch_sql -%}
        select column_index, cast(array_agg(-edge_value order by edge_value desc) as {{ dbt.type_string() }}), count(*)
        from (select distinct column_index, edge_value from {{ edge_table }} where is_edge and edge_value is not null) as distinct_edges
        group by column_index
    {%- endset -%}
    {%- for row in run_query(fetch_sql).rows -%}
        {%- do negated.update({row[0] | int: {'array': row[1], 'count': row[2] | int}}) -%}
    {%- endfor -%}
    select column_index, bin_index, count(*) as value_count
    from {{ source_sql }}
    cross join lateral (
        values
        {%- for column in columns %}
            {%- set edges = negated.get(column.index, {'array': '{}', 'count': 0}) %}
            (
                {{ column.index }},
                case when not {{ dqp.dqp_is_nan(column.alias) }} then
                    {{ edges.count }} - width_bucket(-{{ column.alias }}, cast({{ dqp.dqp_string_literal(edges.array) }} as {{ dqp.dqp_type_double() }}[]))
                end
            ){{ ',' if not loop.last }}
        {%- endfor %}
    ) as buckets (column_index, bin_index)
    where bin_index is not null
    group by column_index, bin_index
{% endmacro %}

{% macro duckdb__dqp_edge_counts_query(source_sql, columns, edge_table) %}
    {#- histogram(x, edges) counts x <= edge per edge (right-closed) and keys the
        overflow bucket past the last edge; NaN is filtered first because
        histogram would put it in the lowest bucket. The edge lists are scalar
        subqueries, evaluated once. All columns share one scan. -#}
    with edge_lists as materialized (
        select
        {%- for column in columns %}
            coalesce((
                select list_sort(list(distinct edge_value)) from {{ edge_table }}
                where column_index = {{ column.index }} and is_edge and edge_value is not null
            ), []::double[]) as edges_{{ column.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    ),
    histogram_maps as materialized (
        select
        {%- for column in columns %}
            histogram(
                case when not isnan({{ column.alias }}) then {{ column.alias }} end,
                (select edges_{{ column.index }} from edge_lists)
            ) as bins_{{ column.index }}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ source_sql }}
    )
    {%- for column in columns %}
    select
        {{ column.index }} as column_index,
        coalesce(list_position(edge_lists.edges_{{ column.index }}, bin_rows.upper_key) - 1,
            len(edge_lists.edges_{{ column.index }})) as bin_index,
        bin_rows.value_count
    from (
        select
            unnest(map_keys(bins_{{ column.index }})) as upper_key,
            unnest(map_values(bins_{{ column.index }})) as value_count
        from histogram_maps
    ) as bin_rows
    cross join edge_lists
    where bin_rows.value_count > 0
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{% endmacro %}
