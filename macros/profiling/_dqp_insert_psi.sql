{#- PSI bins, summed from the KS counts already staged for this run instead
    of counted in another scan: the PSI edges (reference deciles, merged) are
    a subset of the KS cuts, so every KS bin (l, u] lies inside one PSI bin,
    and an exact KS value v lies in the PSI bin with lower < v <= upper.
    Every bin is written, empty ones with 0; NULL and NaN share the null bin,
    whose count comes from the profile. -#}
{% macro _dqp_insert_psi(dataset, relation, stage, columns, counts, bounds, profiled_at) %}
    {%- if columns | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- set d = dqp.dqp_double_literal -%}
    {%- set bins = [] -%}
    {%- for side in ['reference', 'current'] -%}
        {%- for column in columns -%}
            {%- set edges = bounds[column.index].psi_edges -%}
            {%- set head = "'" ~ side ~ "', " ~ dqp.dqp_string_literal(column.name) ~ ', ' ~ column.position -%}
            {%- for i in range(edges | length + 1) -%}
                {%- do bins.append('(' ~ [head, i, d(edges[i - 1] if i > 0 else none),
                    d(edges[i] if i < edges | length else none), 'false', 0] | join(', ') ~ ')') -%}
            {%- endfor -%}
            {%- set c = counts[side][column.index] -%}
            {%- do bins.append('(' ~ [head, edges | length + 1, d(none), d(none), 'true',
                c.null_count + c.nan_count] | join(', ') ~ ')') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set ks_key = 'coalesce(staged.bin_value, staged.upper_edge, ' ~ dqp.dqp_infinity(1) ~ ')' -%}
    {%- call statement('dqp_insert_psi', fetch_result=false) -%}
        insert into {{ relation }} (dataset_name, run_id, side, column_name, column_position, histogram_kind,
            bin_index, lower_edge, upper_edge, bin_value, is_null_bin, value_count, profiled_at)
        select
            {{ dqp.dqp_string_literal(dataset.dataset_name) }},
            {{ dqp.dqp_string_literal(invocation_id) }},
            psi_bins.side,
            psi_bins.column_name,
            psi_bins.column_position,
            'psi',
            psi_bins.bin_index,
            psi_bins.lower_edge,
            psi_bins.upper_edge,
            cast(null as {{ dqp.dqp_type_double() }}),
            psi_bins.is_null_bin,
            psi_bins.null_count + coalesce(sum(staged.value_count), 0),
            {{ profiled_at }}
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
    {%- endcall -%}
{% endmacro %}
