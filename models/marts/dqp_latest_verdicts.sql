{{ config(schema=var('dqp_schema', none)) }}
{#- The verdict about each dataset: the latest check (checked_at) of its latest
    checked profile run (profiled_at). A re-check of an old run
    (`dqp check --recheck`) never hides the verdict about newer data. -#}
with ranked as (
    select
        check_runs.*,
        row_number() over (
            partition by check_runs.dataset_name
            order by profile_runs.profiled_at desc nulls last, check_runs.checked_at desc,
                check_runs.run_id desc, check_runs.check_id desc
        ) as recency_rank
    from {{ ref('dqp_check_runs') }} as check_runs
    left join {{ ref('dqp_profile_runs') }} as profile_runs
        on profile_runs.dataset_name = check_runs.dataset_name
        and profile_runs.run_id = check_runs.run_id
)

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
from ranked
where recency_rank = 1
