{#- The CTEs every dqp generic test starts from: `latest_run`, the dataset's
    latest complete profile run (the view dqp_latest_profile_runs, the one
    home of that rule; zero or one row), and `latest_check`, the latest check
    (checked_at, ties by check_id) of that run in dqp_check_runs (zero or one
    row). A test never reads a check of an older run: a verdict is only ever
    about the data it was computed on. Ends with a comma. -#}
{% macro _dqp_test_latest_check_ctes(dataset_literal) %}
latest_run as (
    select dataset_name, run_id, profiled_at
    from {{ ref('dqp', 'dqp_latest_profile_runs') }}
    where dataset_name = {{ dataset_literal }}
),

latest_check as (
    select
        check_id, checked_at, health_score, decision, decision_rank, worst_severity, signal_count, decision_reason
    from (
        select
            check_runs.*,
            row_number() over (order by check_runs.checked_at desc, check_runs.check_id desc) as recency_rank
        from {{ ref('dqp', 'dqp_check_runs') }} as check_runs
        inner join latest_run
            on check_runs.dataset_name = latest_run.dataset_name
            and check_runs.run_id = latest_run.run_id
    ) as ranked_checks
    where recency_rank = 1
),
{% endmacro %}
