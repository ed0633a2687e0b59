{#- Dataset test: the latest verdict `dqp check` recorded for the dataset
    (dqp_check_runs, latest checked_at, ties by run_id) is below fail_on.
    fail_on is 'BLOCK_PIPELINE' (default), 'WARN' or 'MONITOR': a verdict at
    or above it returns one failing row, with its decision_rank, so that
    `fail_calc: "coalesce(max(decision_rank), 0)"` with warn_if / error_if can
    warn on WARN and error on BLOCK_PIPELINE in one test. No recorded verdict
    passes, unless fail_if_missing. -#}
{% test dqp_latest_verdict_not_blocked(model, dataset_name=none, fail_on='BLOCK_PIPELINE', fail_if_missing=false) %}
    {{ return(adapter.dispatch('test_dqp_latest_verdict_not_blocked', 'dqp')(model, dataset_name, fail_on, fail_if_missing)) }}
{% endtest %}

{% macro default__test_dqp_latest_verdict_not_blocked(model, dataset_name, fail_on, fail_if_missing) %}
    {%- set decisions = ['NO_ACTION', 'MONITOR', 'WARN', 'BLOCK_PIPELINE'] -%}
    {%- set fail_on_decision = (fail_on | string | upper) -%}
    {%- if fail_on_decision not in decisions[1:] -%}
        {{ exceptions.raise_compiler_error("dqp_latest_verdict_not_blocked: fail_on must be one of MONITOR, WARN, BLOCK_PIPELINE, got " ~ fail_on) }}
    {%- endif -%}
    {%- if fail_if_missing is not boolean -%}
        {{ exceptions.raise_compiler_error("dqp_latest_verdict_not_blocked: fail_if_missing must be true or false, got " ~ fail_if_missing) }}
    {%- endif -%}
    {%- set dataset_literal = dqp.dqp_string_literal(dqp._dqp_test_dataset_name(dataset_name)) -%}
    {%- set failing_literals = [] -%}
    {%- for decision in decisions[decisions.index(fail_on_decision):] -%}
        {%- do failing_literals.append(dqp.dqp_string_literal(decision)) -%}
    {%- endfor -%}
with latest_check as (
    select dataset_name, run_id, checked_at, health_score, decision, decision_rank, worst_severity, signal_count
    from (
        select
            check_runs.*,
            row_number() over (order by checked_at desc, run_id desc) as recency_rank
        from {{ ref('dqp', 'dqp_check_runs') }} as check_runs
        where dataset_name = {{ dataset_literal }}
    ) as ranked_checks
    where recency_rank = 1
),

outcome as (
    select
        {{ dataset_literal }} as dataset_name,
        latest_check.run_id,
        latest_check.checked_at,
        latest_check.health_score,
        latest_check.decision,
        latest_check.decision_rank,
        latest_check.worst_severity,
        latest_check.signal_count,
        case
            when latest_check.run_id is null then 'no_verdict_recorded'
            when latest_check.decision in ({{ failing_literals | join(', ') }})
                then 'decision_at_or_above_{{ fail_on_decision | lower }}'
        end as failure_reason
    from (select 1 as anchor) as anchor
    left join latest_check on 1 = 1
)

select *
from outcome
where failure_reason is not null
{%- if not fail_if_missing %}
    and failure_reason <> 'no_verdict_recorded'
{%- endif %}
{% endmacro %}
