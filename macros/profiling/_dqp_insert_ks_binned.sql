{#- Binned KS input: each side's counts in right-closed bins over the
    reference quantile cuts (dqp_edge_counts_query, one scan per side),
    stored with the bin's edges. Empty bins are omitted. -#}
{% macro _dqp_insert_ks_binned(dataset, relation, sources, columns, bounds, profiled_at) %}
    {%- set binned = [] -%}
    {%- for column in columns -%}
        {%- if bounds[column.index].ks_edges | length > 0 -%}
            {%- do binned.append({'alias': column.alias, 'index': column.index, 'edges': bounds[column.index].ks_edges}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if binned | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- set by_index = {} -%}
    {%- for column in columns -%}{%- do by_index.update({column.index: column}) -%}{%- endfor -%}
    {%- set rows = [] -%}
    {%- for side in ['reference', 'current'] -%}
        {%- for row in run_query(dqp.dqp_edge_counts_query(sources[side], binned)).rows -%}
            {%- set column = by_index[row[0] | int] -%}
            {%- set edges = bounds[column.index].ks_edges -%}
            {%- set bin_index = row[1] | int -%}
            {%- do rows.append('(' ~ [
                dqp.dqp_string_literal(dataset.dataset_name), dqp.dqp_string_literal(invocation_id),
                "'" ~ side ~ "'", dqp.dqp_string_literal(column.name), column.position, "'ks_binned'", bin_index,
                dqp.dqp_double_literal(edges[bin_index - 1] if bin_index > 0 else none),
                dqp.dqp_double_literal(edges[bin_index] if bin_index < edges | length else none),
                dqp.dqp_double_literal(none), 'false', row[2] | int, profiled_at] | join(', ') ~ ')') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do dqp._dqp_insert_values(relation, ['dataset_name', 'run_id', 'side', 'column_name', 'column_position',
        'histogram_kind', 'bin_index', 'lower_edge', 'upper_edge', 'bin_value', 'is_null_bin', 'value_count', 'profiled_at'], rows) -%}
{% endmacro %}
