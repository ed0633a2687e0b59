{{ config(schema=var('dqp_schema', none)) }}
{#- The verdict about each dataset: the latest check (checked_at) of its latest
    checked profile run (profiled_at), from dqp_latest_checks. A re-check of an
    old run (`dqp check --recheck`) never hides the verdict about newer data; a
    check whose profile run is gone comes last. -#}
select
    dataset_name,
    run_id,
    checked_at,
    health_score,
    decision,
    decision_rank,
    worst_severity,
    signal_count,
    check_id,
    decision_reason,
    policy_fingerprint
from (
    select
        latest_checks.*,
        row_number() over (
            partition by dataset_name
            order by profiled_at desc nulls last, checked_at desc, run_id desc, check_id desc
        ) as recency_rank
    from {{ ref('dqp_latest_checks') }} as latest_checks
) as ranked_runs
where recency_rank = 1
