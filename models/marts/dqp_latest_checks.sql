{{ config(schema=var('dqp_schema', none)) }}
{#- The one home of the "latest check of a run" rule: each checked profile
    run's latest check (checked_at, ties broken by check_id), with the run's
    profiled_at (null when dqp_profile_runs no longer has the run).
    dqp_latest_verdicts, dqp_trends, dqp_metric_trends and the dqp generic
    tests (_dqp_test_latest_check_ctes) read it. -#}
select
    dataset_name,
    run_id,
    check_id,
    checked_at,
    profiled_at,
    health_score,
    decision,
    decision_rank,
    worst_severity,
    signal_count,
    decision_reason,
    policy_fingerprint
from (
    select
        check_runs.dataset_name,
        check_runs.run_id,
        check_runs.check_id,
        check_runs.checked_at,
        profile_runs.profiled_at,
        check_runs.health_score,
        check_runs.decision,
        check_runs.decision_rank,
        check_runs.worst_severity,
        check_runs.signal_count,
        check_runs.decision_reason,
        check_runs.policy_fingerprint,
        row_number() over (
            partition by check_runs.dataset_name, check_runs.run_id
            order by check_runs.checked_at desc, check_runs.check_id desc
        ) as recency_rank
    from {{ ref('dqp_check_runs') }} as check_runs
    left join {{ ref('dqp_profile_runs') }} as profile_runs
        on profile_runs.dataset_name = check_runs.dataset_name
        and profile_runs.run_id = check_runs.run_id
) as ranked_checks
where recency_rank = 1
