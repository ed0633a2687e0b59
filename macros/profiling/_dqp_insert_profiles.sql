{#- The dqp_column_profiles rows of both sides, by column name, from the
    fetched counts and quantiles and the categorical columns' novelty counts
    (_dqp_insert_categories). -#}
{% macro _dqp_insert_profiles(dataset, relation, counts, quantiles, bounds, profiled_at, novelty) %}
    {%- set double = dqp.dqp_double_literal -%}
    {%- set text = dqp.dqp_string_literal -%}
    {%- set rows = [] -%}
    {%- for side in ['reference', 'current'] -%}
        {%- set row_count = counts[side].row_count -%}
        {%- for column in dataset.columns -%}
            {%- set column_counts = counts[side][column.column_index] -%}
            {%- set column_bounds = bounds.get(column.column_index, {}) -%}
            {%- set column_quantiles = quantiles[side].get(column.column_index, {}).get('quantiles', {}) -%}
            {%- set column_novelty = novelty.get(column.column_index, {}) -%}
            {%- do rows.append({
                'dataset_name': text(dataset.dataset_name),
                'run_id': text(invocation_id),
                'side': "'" ~ side ~ "'",
                'column_name': text(column.name),
                'column_position': column.column_position,
                'data_type': text(column.reference_data_type if side == 'reference' else column.data_type),
                'column_kind': text(column.column_kind),
                'ks_method': text(column.ks_method),
                'row_count': row_count,
                'null_count': column_counts.null_count,
                'null_rate': double((column_counts.null_count / row_count) if row_count > 0 else none),
                'nan_count': column_counts.nan_count,
                'pos_inf_count': column_counts.pos_inf_count,
                'neg_inf_count': column_counts.neg_inf_count,
                'distinct_count': column_counts.distinct_count,
                'min_value': double(column_counts.get('min')),
                'max_value': double(column_counts.get('max')),
                'mean_value': double(column_counts.get('mean')),
                'stddev_value': double(column_counts.get('stddev')),
                'q1_value': double(column_quantiles.get(0.25)),
                'median_value': double(column_quantiles.get(0.5)),
                'q3_value': double(column_quantiles.get(0.75)),
                'iqr_lower_bound': double(column_bounds.get('iqr_lower')),
                'iqr_upper_bound': double(column_bounds.get('iqr_upper')),
                'iqr_outlier_count': column_counts.get('iqr_outliers'),
                'zscore_lower_bound': double(column_bounds.get('z_lower')),
                'zscore_upper_bound': double(column_bounds.get('z_upper')),
                'zscore_outlier_count': column_counts.get('z_outliers'),
                'profiled_at': profiled_at,
                'value_offset': text(column.get('value_offset')),
                'singleton_count': column_novelty.get(side ~ '_singletons'),
                'novel_row_count': column_novelty.get('novel_rows') if side == 'current' else none,
                'quartile_error_bound': double(quantiles[side].get(column.column_index, {}).get('error_bound',
                    0.0 if column_quantiles else none)),
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do dqp._dqp_insert_rows(relation, 'dqp_column_profiles', rows) -%}
{% endmacro %}
