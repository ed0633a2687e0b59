{#- PSI bins, summed from the KS counts already staged for this run instead
    of counted in another scan: the PSI edges (reference deciles, merged) are
    a subset of the KS cuts, so every KS bin (l, u] lies inside one PSI bin,
    and an exact KS value v lies in the PSI bin with lower < v <= upper.
    Every bin is written, empty ones with 0; NULL and NaN share the null bin,
    whose count comes from the profile. -#}
{% macro _dqp_insert_psi(dataset, relation, stage, columns, counts, bounds, profiled_at) %}
    {%- if columns | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- set double = dqp.dqp_double_literal -%}
    {%- set bins = [] -%}
    {%- for side in ['reference', 'current'] -%}
        {%- for column in columns -%}
            {%- set edges = bounds[column.column_index].psi_edges -%}
            {%- set head = "'" ~ side ~ "', " ~ dqp.dqp_string_literal(column.name) ~ ', ' ~ column.column_position -%}
            {%- for bin_index in range(edges | length + 1) -%}
                {%- do bins.append('(' ~ [head, bin_index, double(edges[bin_index - 1] if bin_index > 0 else none),
                    double(edges[bin_index] if bin_index < edges | length else none), 'false', 0] | join(', ') ~ ')') -%}
            {%- endfor -%}
            {%- set column_counts = counts[side][column.column_index] -%}
            {%- do bins.append('(' ~ [head, edges | length + 1, double(none), double(none), 'true',
                column_counts.null_count + column_counts.nan_count] | join(', ') ~ ')') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set ks_key = 'coalesce(staged.bin_value, staged.upper_edge, ' ~ dqp.dqp_infinity(1) ~ ')' -%}
    {%- set psi_rows_sql -%}
        select
            {{ dqp.dqp_string_literal(dataset.dataset_name) }} as dataset_name,
            {{ dqp.dqp_string_literal(invocation_id) }} as run_id,
            psi_bins.side,
            psi_bins.column_name,
            psi_bins.column_position,
            'psi' as histogram_kind,
            psi_bins.bin_index,
            psi_bins.lower_edge,
            psi_bins.upper_edge,
            cast(null as {{ dqp.dqp_type_double() }}) as bin_value,
            psi_bins.is_null_bin,
            psi_bins.null_count + coalesce(sum(staged.value_count), 0) as value_count,
            {{ profiled_at }} as profiled_at
        from (
            values
            {{ bins | join(',\n            ') }}
        ) as psi_bins (side, column_name, column_position, bin_index, lower_edge, upper_edge, is_null_bin, null_count)
        left join {{ stage }} as staged
            on not psi_bins.is_null_bin
            and staged.side = psi_bins.side
            and staged.column_name = psi_bins.column_name
            and (psi_bins.lower_edge is null or {{ ks_key }} > psi_bins.lower_edge)
            and (psi_bins.upper_edge is null or {{ ks_key }} <= psi_bins.upper_edge)
        group by psi_bins.side, psi_bins.column_name, psi_bins.column_position, psi_bins.bin_index,
            psi_bins.lower_edge, psi_bins.upper_edge, psi_bins.is_null_bin, psi_bins.null_count
    {%- endset -%}
    {%- do dqp._dqp_insert_select(relation, 'dqp_histograms', psi_rows_sql) -%}
{% endmacro %}
