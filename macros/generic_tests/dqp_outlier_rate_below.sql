{#- Column test: the current side's outlier rate of the column, as the latest
    check of the dataset's latest profile run stored it (the 'iqr_outliers'
    or 'zscore_outliers' row of dqp_column_metrics, current_value: outliers
    over finite values, with the reference's fences), is at most max_rate.
    See _dqp_column_guard_failures for the reasons. -#}
{% test dqp_outlier_rate_below(model, column_name, max_rate, method='iqr', dataset_name=none, fail_if_missing=false) %}
    {{ config(fail_calc='coalesce(max(failure_weight), 0)', warn_if='>= 1', error_if='>= 2') }}
    {%- set test_sql = adapter.dispatch('test_dqp_outlier_rate_below', 'dqp')(model, column_name, max_rate, method, dataset_name, fail_if_missing) -%}
    {%- do dqp._dqp_test_explain(test_sql) -%}
    {{ return(test_sql) }}
{% endtest %}

{% macro default__test_dqp_outlier_rate_below(model, column_name, max_rate, method, dataset_name, fail_if_missing) %}
    {%- set signal_types = {'iqr': 'iqr_outliers', 'zscore': 'zscore_outliers'} -%}
    {%- if method not in signal_types -%}
        {{ exceptions.raise_compiler_error("dqp_outlier_rate_below: method must be 'iqr' or 'zscore', got " ~ method) }}
    {%- endif -%}
    {{ dqp._dqp_column_guard_failures(
        dqp._dqp_test_dataset_name(dataset_name),
        dqp._dqp_test_column_name(column_name),
        dqp._dqp_test_threshold(max_rate, 'max_rate', upper=1),
        [signal_types[method]],
        'current_value',
        fail_if_missing
    ) }}
{% endmacro %}
