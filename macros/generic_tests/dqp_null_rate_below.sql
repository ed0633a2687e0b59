{#- Column test: the current-side null rate of the column in the dataset's
    latest profile run (dqp_column_profiles.null_rate) is at most
    max_null_rate. NaN is not NULL: it is counted apart (nan_count). -#}
{% test dqp_null_rate_below(model, column_name, max_null_rate, dataset_name=none, fail_if_missing=false) %}
    {{ return(adapter.dispatch('test_dqp_null_rate_below', 'dqp')(model, column_name, max_null_rate, dataset_name, fail_if_missing)) }}
{% endtest %}

{% macro default__test_dqp_null_rate_below(model, column_name, max_null_rate, dataset_name, fail_if_missing) %}
    {%- set metric_sql -%}
        select
            null_rate as metric_value,
            row_count = 0 as insufficient_data
        from current_profile
    {%- endset -%}
    {{ dqp._dqp_column_guard_failures(
        dqp._dqp_test_dataset_name(dataset_name),
        dqp._dqp_test_column_name(column_name),
        dqp._dqp_test_threshold(max_null_rate, 'max_null_rate', upper=1),
        metric_sql,
        fail_if_missing
    ) }}
{% endmacro %}
