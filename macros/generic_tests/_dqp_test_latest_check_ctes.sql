{#- The CTEs every dqp generic test starts from: `latest_run`, the dataset's
    latest complete profile run (the view dqp_latest_profile_runs, the one
    home of that rule; zero or one row), and `latest_check`, the latest check
    (checked_at, ties by check_id) of that run (the view dqp_latest_checks,
    the one home of that rule; zero or one row). A test never reads a check of
    an older run: a verdict is only ever about the data it was computed on.
    Ends with a comma. -#}
{% macro _dqp_test_latest_check_ctes(dataset_literal) %}
latest_run as (
    select dataset_name, run_id, profiled_at
    from {{ ref('dqp', 'dqp_latest_profile_runs') }}
    where dataset_name = {{ dataset_literal }}
),

latest_check as (
    select
        latest_checks.check_id,
        latest_checks.checked_at,
        latest_checks.health_score,
        latest_checks.decision,
        latest_checks.decision_rank,
        latest_checks.worst_severity,
        latest_checks.signal_count,
        latest_checks.decision_reason
    from {{ ref('dqp', 'dqp_latest_checks') }} as latest_checks
    inner join latest_run
        on latest_checks.dataset_name = latest_run.dataset_name
        and latest_checks.run_id = latest_run.run_id
    {#- The literal again, so the engine ranks only this dataset's checks. #}
    where latest_checks.dataset_name = {{ dataset_literal }}
),
{% endmacro %}
