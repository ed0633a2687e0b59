{#- Binned KS input for one side as dqp_histograms rows: counts in
    right-closed bins over the reference cuts (dqp_edge_counts_query, one
    scan), each with its bin's edges. Empty bins are omitted; a reference
    without finite values has no cuts, so everything lands in one open bin. -#}
{% macro _dqp_ks_binned_query(dataset, side, source_sql, columns, bounds, profiled_at) %}
    {%- set binned = [] -%}
    {%- for column in columns -%}
        {%- do binned.append({'alias': column.alias, 'index': column.column_index, 'edges': bounds[column.column_index].ks_edges}) -%}
    {%- endfor -%}
    {%- set double = dqp.dqp_type_double() -%}
    {%- set sql -%}
        select
            cast({{ dqp.dqp_string_literal(dataset.dataset_name) }} as {{ dbt.type_string() }}) as dataset_name,
            cast({{ dqp.dqp_string_literal(invocation_id) }} as {{ dbt.type_string() }}) as run_id,
            cast('{{ side }}' as {{ dbt.type_string() }}) as side,
            cast(binned_columns.column_name as {{ dbt.type_string() }}) as column_name,
            cast(binned_columns.column_position as {{ dbt.type_int() }}) as column_position,
            cast('ks_binned' as {{ dbt.type_string() }}) as histogram_kind,
            cast(bins.bin_index as {{ dbt.type_int() }}) as bin_index,
            cast(binned_columns.edges[bins.bin_index] as {{ double }}) as lower_edge,
            cast(binned_columns.edges[bins.bin_index + 1] as {{ double }}) as upper_edge,
            cast(null as {{ double }}) as bin_value,
            false as is_null_bin,
            cast(bins.value_count as {{ dbt.type_bigint() }}) as value_count,
            {{ profiled_at }} as profiled_at
        from ({{ dqp.dqp_edge_counts_query(source_sql, binned) }}) as bins
        inner join (
            values
            {%- for column in columns %}
                ({{ column.column_index }}, {{ dqp.dqp_string_literal(column.name) }}, {{ column.column_position }},
                    {{ dqp.dqp_double_array_literal(bounds[column.column_index].ks_edges) }}){{ ',' if not loop.last }}
            {%- endfor %}
        ) as binned_columns (column_index, column_name, column_position, edges)
            on binned_columns.column_index = bins.column_index
    {%- endset -%}
    {{ return(sql) }}
{% endmacro %}
