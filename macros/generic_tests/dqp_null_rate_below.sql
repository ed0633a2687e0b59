{#- Column test: the current side's null rate of the column, as the latest
    check of the dataset's latest profile run stored it (the null_rate row
    of dqp_column_metrics (signal_type), current_value), is at most max_null_rate. NaN is
    not NULL. See _dqp_column_guard_failures for the reasons. -#}
{% test dqp_null_rate_below(model, column_name, max_null_rate, dataset_name=none, fail_if_missing=false) %}
    {{ config(fail_calc='coalesce(max(failure_weight), 0)', warn_if='>= 1', error_if='>= 2') }}
    {%- set test_sql = adapter.dispatch('test_dqp_null_rate_below', 'dqp')(model, column_name, max_null_rate, dataset_name, fail_if_missing) -%}
    {%- do dqp._dqp_test_explain(test_sql) -%}
    {{ return(test_sql) }}
{% endtest %}

{% macro default__test_dqp_null_rate_below(model, column_name, max_null_rate, dataset_name, fail_if_missing) %}
    {{ dqp._dqp_column_guard_failures(
        dqp._dqp_test_dataset_name(dataset_name),
        dqp._dqp_test_column_name(column_name),
        dqp._dqp_test_threshold(max_null_rate, 'max_null_rate', upper=1),
        ['null_rate'],
        'current_value',
        fail_if_missing
    ) }}
{% endmacro %}
