{{ config(schema=var('dqp_schema', none)) }}
{#- The most recent check of each dataset: what a BI tile or a CI gate reads. -#}
with ranked as (
    select
        check_runs.*,
        row_number() over (
            partition by dataset_name order by checked_at desc, run_id desc
        ) as recency_rank
    from {{ ref('dqp_check_runs') }} as check_runs
)

select
    dataset_name,
    run_id,
    checked_at,
    health_score,
    decision,
    decision_rank,
    worst_severity,
    signal_count
from ranked
where recency_rank = 1
