{#- Binned KS input: each side's counts in right-closed bins over the
    reference cuts (dqp_edge_counts_query, one scan per side), inserted with
    each bin's edges without leaving the warehouse. Empty bins are omitted; a
    reference without finite values has no cuts, so everything lands in one
    open bin. -#}
{% macro _dqp_insert_ks_binned(dataset, relation, sources, columns, bounds, profiled_at) %}
    {%- if columns | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- set binned = [] -%}
    {%- for column in columns -%}
        {%- do binned.append({'alias': column.alias, 'index': column.index, 'edges': bounds[column.index].ks_edges}) -%}
    {%- endfor -%}
    {%- for side in ['reference', 'current'] -%}
        {%- call statement('dqp_insert_ks_binned', fetch_result=false) -%}
            insert into {{ relation }} (dataset_name, run_id, side, column_name, column_position, histogram_kind,
                bin_index, lower_edge, upper_edge, bin_value, is_null_bin, value_count, profiled_at)
            select
                {{ dqp.dqp_string_literal(dataset.dataset_name) }},
                {{ dqp.dqp_string_literal(invocation_id) }},
                '{{ side }}',
                binned_columns.column_name,
                binned_columns.column_position,
                'ks_binned',
                bins.bin_index,
                binned_columns.edges[bins.bin_index],
                binned_columns.edges[bins.bin_index + 1],
                cast(null as {{ dqp.dqp_type_double() }}),
                false,
                bins.value_count,
                {{ profiled_at }}
            from ({{ dqp.dqp_edge_counts_query(sources[side], binned) }}) as bins
            inner join (
                values
                {%- for column in columns %}
                    ({{ column.index }}, {{ dqp.dqp_string_literal(column.name) }}, {{ column.position }},
                        {{ dqp.dqp_double_array_literal(bounds[column.index].ks_edges) }}){{ ',' if not loop.last }}
                {%- endfor %}
            ) as binned_columns (column_index, column_name, column_position, edges)
                on binned_columns.column_index = bins.column_index
        {%- endcall -%}
    {%- endfor -%}
{% endmacro %}
