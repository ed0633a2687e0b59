{#- Rendered VALUES tuples for dqp_column_profiles, from both sides' fetched
    counts and quantiles, and the categorical columns' novelty counts
    (_dqp_insert_categories). -#}
{% macro _dqp_profile_rows(dataset, columns, counts, quantiles, bounds, profiled_at, novelty) %}
    {%- set profile_rows = [] -%}
    {%- set d = dqp.dqp_double_literal -%}
    {%- set s = dqp.dqp_string_literal -%}
    {%- for side in ['reference', 'current'] -%}
        {%- set row_count = counts[side].row_count -%}
        {%- for column in columns -%}
            {%- set c = counts[side][column.index] -%}
            {%- set b = bounds.get(column.index, {}) -%}
            {%- set q = quantiles[side].get(column.index, {}).get('quantiles', {}) -%}
            {%- do profile_rows.append('(' ~ [
                s(dataset.dataset_name), s(invocation_id), "'" ~ side ~ "'", s(column.name), column.position,
                s(column.reference_data_type if side == 'reference' else column.data_type), s(column.kind), s(column.ks_method),
                row_count, c.null_count, d((c.null_count / row_count) if row_count > 0 else none),
                c.nan_count, c.pos_inf_count, c.neg_inf_count, c.distinct_count,
                d(c.get('min')), d(c.get('max')), d(c.get('mean')), d(c.get('stddev')),
                d(q.get(0.25)), d(q.get(0.5)), d(q.get(0.75)),
                d(b.get('iqr_lower')), d(b.get('iqr_upper')), c.get('iqr_outliers') if c.get('iqr_outliers') is not none else 'null',
                d(b.get('z_lower')), d(b.get('z_upper')), c.get('z_outliers') if c.get('z_outliers') is not none else 'null',
                profiled_at, s(column.get('value_offset')),
                novelty.get(column.index, {}).get(side ~ '_singletons', 'null'),
                novelty.get(column.index, {}).get('novel_rows', 'null') if side == 'current' else 'null'] | join(', ') ~ ')') -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(profile_rows) }}
{% endmacro %}
