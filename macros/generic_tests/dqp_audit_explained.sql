{#- Audit invariant, attached to dqp_check_runs by the package: every check
    run whose decision is above NO_ACTION has at least one explanation row
    in dqp_signals (same dataset_name and run_id) with a severity other than
    'info' (the same check_id, for checks recorded since 0.2.0). Returns the
    unexplained check runs. -#}
{% test dqp_audit_explained(model, signals=none) %}
    {{ return(adapter.dispatch('test_dqp_audit_explained', 'dqp')(model, signals)) }}
{% endtest %}

{% macro default__test_dqp_audit_explained(model, signals) %}
    {%- set signals_relation = signals if signals is not none else ref('dqp', 'dqp_signals') -%}
select
    check_runs.dataset_name,
    check_runs.run_id,
    check_runs.check_id,
    check_runs.checked_at,
    check_runs.decision,
    check_runs.decision_rank,
    check_runs.signal_count
from (select * from {{ model }}) as check_runs
where (check_runs.decision_rank > 0 or check_runs.decision <> 'NO_ACTION')
    and not exists (
        select 1
        from {{ signals_relation }} as explanations
        where explanations.dataset_name = check_runs.dataset_name
            and explanations.run_id = check_runs.run_id
            and (check_runs.check_id is null or explanations.check_id = check_runs.check_id)
            and explanations.severity <> 'info'
    )
{% endmacro %}
