{#- Column test: the current side's outlier rate in the dataset's latest
    profile run is at most max_rate. The rate is the outlier count over the
    finite values (not NULL, NaN or +/-Infinity), with the reference's fences:
    method 'iqr' counts values outside Q1 - k*IQR .. Q3 + k*IQR, 'zscore'
    values beyond mean +/- z*stddev (k and z: the dataset's settings). -#}
{% test dqp_outlier_rate_below(model, column_name, max_rate, method='iqr', dataset_name=none, fail_if_missing=false) %}
    {{ return(adapter.dispatch('test_dqp_outlier_rate_below', 'dqp')(model, column_name, max_rate, method, dataset_name, fail_if_missing)) }}
{% endtest %}

{% macro default__test_dqp_outlier_rate_below(model, column_name, max_rate, method, dataset_name, fail_if_missing) %}
    {%- set count_columns = {'iqr': 'iqr_outlier_count', 'zscore': 'zscore_outlier_count'} -%}
    {%- if method not in count_columns -%}
        {{ exceptions.raise_compiler_error("dqp_outlier_rate_below: method must be 'iqr' or 'zscore', got " ~ method) }}
    {%- endif -%}
    {%- set metric_sql -%}
        select
            case
                when finite_count > 0
                    then cast({{ count_columns[method] }} as {{ dqp.dqp_type_double() }}) / finite_count
            end as metric_value,
            finite_count = 0 as insufficient_data
        from (
            select
                {{ count_columns[method] }},
                row_count - null_count - nan_count - pos_inf_count - neg_inf_count as finite_count
            from current_profile
        ) as counted
    {%- endset -%}
    {{ dqp._dqp_column_guard_failures(
        dqp._dqp_test_dataset_name(dataset_name),
        dqp._dqp_test_column_name(column_name),
        dqp._dqp_test_threshold(max_rate, 'max_rate', upper=1),
        metric_sql,
        fail_if_missing
    ) }}
{% endmacro %}
