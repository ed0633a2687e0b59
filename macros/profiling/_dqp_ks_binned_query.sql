{#- Binned KS input for one side as dqp_histograms rows: counts in
    right-closed bins over the edges in the edge table (dqp_edge_counts_query,
    one scan), each with its bin's edges joined back from that table. Empty
    bins are omitted; a column without edges (a reference without finite
    values) has everything in one open bin. -#}
{% macro _dqp_ks_binned_query(dataset, side, source_sql, columns, edge_table, profiled_at) %}
    {%- set binned = [] -%}
    {%- for column in columns -%}
        {%- do binned.append({'alias': column.alias, 'index': column.column_index}) -%}
    {%- endfor -%}
    {%- set double = dqp.dqp_type_double() -%}
    {%- set sql -%}
        select
            cast({{ dqp.dqp_string_literal(dataset.dataset_name) }} as {{ dbt.type_string() }}) as dataset_name,
            cast({{ dqp.dqp_string_literal(invocation_id) }} as {{ dbt.type_string() }}) as run_id,
            cast('{{ side }}' as {{ dbt.type_string() }}) as side,
            cast({{ dqp._dqp_column_name_case(columns, 'name') }} as {{ dbt.type_string() }}) as column_name,
            cast({{ dqp._dqp_column_name_case(columns, 'column_position') }} as {{ dbt.type_int() }}) as column_position,
            cast('ks_binned' as {{ dbt.type_string() }}) as histogram_kind,
            cast(bins.bin_index as {{ dbt.type_int() }}) as bin_index,
            cast(lower_edges.edge_value as {{ double }}) as lower_edge,
            cast(upper_edges.edge_value as {{ double }}) as upper_edge,
            cast(null as {{ double }}) as bin_value,
            false as is_null_bin,
            cast(bins.value_count as {{ dbt.type_bigint() }}) as value_count,
            {{ profiled_at }} as profiled_at
        from ({{ dqp.dqp_edge_counts_query(source_sql, binned, edge_table) }}) as bins
        left join (
            select column_index as edge_column_index, edge_value, row_number() over (partition by column_index order by edge_value) - 1 as edge_index
            from (select distinct column_index, edge_value from {{ edge_table }} where is_edge and edge_value is not null) as distinct_edges
        ) as lower_edges
            on lower_edges.edge_column_index = bins.column_index and lower_edges.edge_index = bins.bin_index - 1
        left join (
            select column_index as edge_column_index, edge_value, row_number() over (partition by column_index order by edge_value) - 1 as edge_index
            from (select distinct column_index, edge_value from {{ edge_table }} where is_edge and edge_value is not null) as distinct_edges
        ) as upper_edges
            on upper_edges.edge_column_index = bins.column_index and upper_edges.edge_index = bins.bin_index
    {%- endset -%}
    {{ return(sql) }}
{% endmacro %}
