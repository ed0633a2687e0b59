{#- Column test: the Population Stability Index of the column in the latest
    check of the dataset's latest profile run is at most max_psi. Reads the
    'psi' row `dqp check` stored in dqp_column_metrics (metric_value): the
    same value, from the same table, that the checker decided on; PSI is
    never recomputed here. See _dqp_column_guard_failures for the reasons. -#}
{#- epsilon is accepted for 0.1.0 projects and ignored: the checker's policy
    (psi.epsilon) applies. -#}
{% test dqp_psi_below(model, column_name, max_psi, dataset_name=none, epsilon=none, fail_if_missing=false) %}
    {{ config(fail_calc='coalesce(max(failure_weight), 0)', warn_if='>= 1', error_if='>= 2') }}
    {%- set test_sql = adapter.dispatch('test_dqp_psi_below', 'dqp')(model, column_name, max_psi, dataset_name, fail_if_missing) -%}
    {%- do dqp._dqp_test_explain(test_sql) -%}
    {{ return(test_sql) }}
{% endtest %}

{% macro default__test_dqp_psi_below(model, column_name, max_psi, dataset_name, fail_if_missing) %}
    {{ dqp._dqp_column_guard_failures(
        dqp._dqp_test_dataset_name(dataset_name),
        dqp._dqp_test_column_name(column_name),
        dqp._dqp_test_threshold(max_psi, 'max_psi'),
        ['psi'],
        'metric_value',
        fail_if_missing
    ) }}
{% endmacro %}
