{{ config(schema=var('dqp_schema', none)) }}
{#- Per-column metric trends: every dqp_column_metrics row of each checked
    profile run's latest check (dqp_latest_checks), with the same metric's
    value in the previous checked run of the dataset and the delta. -#}
with metrics as (
    select
        metrics.dataset_name,
        metrics.run_id,
        metrics.check_id,
        latest_checks.profiled_at,
        metrics.column_name,
        metrics.metric_name,
        metrics.signal_type,
        metrics.method,
        metrics.state,
        metrics.metric_value,
        metrics.current_value
    from {{ ref('dqp_column_metrics') }} as metrics
    join {{ ref('dqp_latest_checks') }} as latest_checks
        on latest_checks.check_id = metrics.check_id
    where latest_checks.profiled_at is not null
)

select
    dataset_name,
    run_id,
    check_id,
    profiled_at,
    column_name,
    metric_name,
    signal_type,
    method,
    state,
    metric_value,
    current_value,
    lag(metric_value) over by_metric as previous_metric_value,
    metric_value - lag(metric_value) over by_metric as metric_value_delta,
    lag(current_value) over by_metric as previous_current_value,
    current_value - lag(current_value) over by_metric as current_value_delta,
    lag(state) over by_metric as previous_state
from metrics
window by_metric as (partition by dataset_name, column_name, metric_name order by profiled_at, run_id)
