{{ config(schema=var('dqp_schema', none)) }}
{#- The one home of the "latest run" rule: each dataset's latest complete
    profile run, by profiled_at, ties broken by run_id. The dqp generic tests
    (_dqp_test_latest_check_ctes) and `dqp check` read it; join it to
    dqp_profile_runs on (dataset_name, run_id) for the run's other columns. -#}
select dataset_name, run_id, profiled_at
from (
    select
        dataset_name,
        run_id,
        profiled_at,
        row_number() over (partition by dataset_name order by profiled_at desc, run_id desc) as recency_rank
    from {{ ref('dqp_profile_runs') }}
) as ranked_runs
where recency_rank = 1
