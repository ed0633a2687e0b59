{{ config(schema=var('dqp_schema', none)) }}
{#- Health score trends per dataset: one row per checked profile run (its
    latest check, dqp_latest_checks), with the previous run's score and the
    mean of the last dqp_trend_runs runs before it (var, default 7), and the
    deltas. -#}
{%- set trend_runs = var('dqp_trend_runs', 7) | int -%}
{%- if trend_runs < 1 -%}
    {{ exceptions.raise_compiler_error("var dqp_trend_runs: expected an integer >= 1, got " ~ var('dqp_trend_runs')) }}
{%- endif %}
with ordered as (
    select
        dataset_name,
        run_id,
        check_id,
        checked_at,
        profiled_at,
        health_score,
        decision,
        lag(health_score) over by_time as previous_health_score,
        lag(decision) over by_time as previous_decision,
        avg(health_score) over (by_time rows between {{ trend_runs }} preceding and 1 preceding)
            as last_n_mean_health_score,
        count(health_score) over (by_time rows between {{ trend_runs }} preceding and 1 preceding)
            as last_n_runs,
        row_number() over (partition by dataset_name order by profiled_at desc, run_id desc) as recency_rank
    from {{ ref('dqp_latest_checks') }}
    -- A check whose profile run is gone has no place in the series.
    where profiled_at is not null
    window by_time as (partition by dataset_name order by profiled_at, run_id)
)

select
    dataset_name,
    run_id,
    check_id,
    checked_at,
    profiled_at,
    health_score,
    decision,
    previous_health_score,
    health_score - previous_health_score as health_score_delta,
    previous_decision,
    last_n_mean_health_score,
    health_score - last_n_mean_health_score as health_score_delta_vs_last_n,
    last_n_runs,
    recency_rank = 1 as is_latest
from ordered
