{#- Dataset test: the verdict `dqp check` recorded about the dataset's latest
    profile run (its latest check, see _dqp_test_latest_check_ctes) is below
    fail_on ('BLOCK_PIPELINE' by default, 'WARN' or 'MONITOR'). Returns at
    most one row with a failure_reason and a failure_weight (2 fails, 1
    warns): 'decision_at_or_above_<fail_on>' (weight 2, with the check's
    decision_rank, so `fail_calc: "coalesce(max(decision_rank), 0)"` can
    still warn on WARN and error on BLOCK_PIPELINE in one test), or what it
    could not judge: 'no_profile_yet', 'verdict_older_than_data' (inside a
    `dbt build` that rebuilds the data), 'not_checked_yet' (weight 1, or 2
    with fail_if_missing or the var dqp_tests_strict, except
    verdict_older_than_data). A verdict about an older run than the latest
    profile is never judged. -#}
{% test dqp_latest_verdict_not_blocked(model, dataset_name=none, fail_on='BLOCK_PIPELINE', fail_if_missing=false) %}
    {{ config(fail_calc='coalesce(max(failure_weight), 0)', warn_if='>= 1', error_if='>= 2') }}
    {%- set test_sql = adapter.dispatch('test_dqp_latest_verdict_not_blocked', 'dqp')(model, dataset_name, fail_on, fail_if_missing) -%}
    {%- do dqp._dqp_test_explain(test_sql) -%}
    {{ return(test_sql) }}
{% endtest %}

{% macro default__test_dqp_latest_verdict_not_blocked(model, dataset_name, fail_on, fail_if_missing) %}
    {%- set decisions = ['NO_ACTION', 'MONITOR', 'WARN', 'BLOCK_PIPELINE'] -%}
    {%- set fail_on_decision = (fail_on | string | upper) -%}
    {%- if fail_on_decision not in decisions[1:] -%}
        {{ exceptions.raise_compiler_error("dqp_latest_verdict_not_blocked: fail_on must be one of MONITOR, WARN, BLOCK_PIPELINE, got " ~ fail_on) }}
    {%- endif -%}
    {%- set resolved_name = dqp._dqp_test_dataset_name(dataset_name) -%}
    {%- set dataset_literal = dqp.dqp_string_literal(resolved_name) -%}
    {%- set data_rebuilt = dqp._dqp_test_data_rebuilt(resolved_name) -%}
    {%- set failing_literals = [] -%}
    {%- for decision in decisions[decisions.index(fail_on_decision):] -%}
        {%- do failing_literals.append(dqp.dqp_string_literal(decision)) -%}
    {%- endfor -%}
with {{ dqp._dqp_test_latest_check_ctes(dataset_literal) }}

judged as (
    select
        {{ dataset_literal }} as dataset_name,
        latest_run.run_id,
        latest_run.profiled_at,
        latest_check.check_id,
        latest_check.checked_at,
        latest_check.health_score,
        latest_check.decision,
        latest_check.decision_rank,
        latest_check.worst_severity,
        latest_check.signal_count,
        latest_check.decision_reason,
        case
            when latest_run.run_id is null then 'no_profile_yet'
            when {{ 'true' if data_rebuilt else 'false' }} then 'verdict_older_than_data'
            when latest_check.decision is null then 'not_checked_yet'
            when latest_check.decision in ({{ failing_literals | join(', ') }})
                then 'decision_at_or_above_{{ fail_on_decision | lower }}'
        end as failure_reason
    from (select 1 as anchor) as anchor
    left join latest_run on 1 = 1
    left join latest_check on 1 = 1
),

outcome as (
    select
        dataset_name, run_id, profiled_at, check_id, checked_at, health_score, decision,
        {#- Only a judged verdict carries its rank, so a rank-based fail_calc
            never fails on a verdict about older data. -#}
        case when failure_reason like 'decision_at_or_above_%' then decision_rank end as decision_rank,
        worst_severity, signal_count, decision_reason, failure_reason
    from judged
)

select
    outcome.*,
    {{ dqp._dqp_test_failure_weight('failure_reason', fail_if_missing) }} as failure_weight
from outcome
where failure_reason is not null
{% endmacro %}
