{#- Shared body of the column-level dqp tests. Reads the current side of the
    column in the dataset's latest complete profile run (dqp_profile_runs,
    latest profiled_at, ties by run_id) and returns one failing row when:
    - the run has no profile of the column ('column_not_profiled');
    - the metric is missing although both sides have data ('metric_not_computed');
    - the metric is above the threshold ('above_threshold');
    - there is no profile run at all and fail_if_missing ('dataset_not_profiled').
    A metric that is undefined for lack of data (an empty side) passes.

    metric_sql: a select over the CTE `current_profile` (zero or one row of
    dqp_column_profiles) returning at most one row with `metric_value` and
    `insufficient_data` (boolean). The column name is matched exactly, else
    case-insensitively. -#}
{% macro _dqp_column_guard_failures(dataset_name, column_name, threshold_sql, metric_sql, fail_if_missing) %}
    {%- set dataset_literal = dqp.dqp_string_literal(dataset_name) -%}
    {%- set column_literal = dqp.dqp_string_literal(column_name) -%}
    {%- if fail_if_missing is not boolean -%}
        {{ exceptions.raise_compiler_error("dqp test '" ~ model.name ~ "': fail_if_missing must be true or false, got " ~ fail_if_missing) }}
    {%- endif -%}
with latest_run as (
    select dataset_name, run_id, profiled_at
    from (
        select
            dataset_name,
            run_id,
            profiled_at,
            row_number() over (order by profiled_at desc, run_id desc) as recency_rank
        from {{ ref('dqp', 'dqp_profile_runs') }}
        where dataset_name = {{ dataset_literal }}
    ) as ranked_runs
    where recency_rank = 1
),

current_profile as (
    select *
    from (
        select
            profiles.*,
            row_number() over (
                order by case when profiles.column_name = {{ column_literal }} then 0 else 1 end, profiles.column_name
            ) as match_rank
        from {{ ref('dqp', 'dqp_column_profiles') }} as profiles
        inner join latest_run
            on profiles.dataset_name = latest_run.dataset_name
            and profiles.run_id = latest_run.run_id
        where profiles.side = 'current'
            and lower(profiles.column_name) = lower({{ column_literal }})
    ) as matched_profiles
    where match_rank = 1
),

metric as (
    {{ metric_sql }}
),

outcome as (
    select
        {{ dataset_literal }} as dataset_name,
        latest_run.run_id,
        latest_run.profiled_at,
        coalesce(current_profile.column_name, {{ column_literal }}) as column_name,
        current_profile.column_kind,
        metric.metric_value,
        {{ threshold_sql }} as threshold,
        case
            when latest_run.run_id is null then 'dataset_not_profiled'
            when current_profile.column_name is null then 'column_not_profiled'
            when metric.metric_value is null and metric.insufficient_data then null
            when metric.metric_value is null then 'metric_not_computed'
            when metric.metric_value > {{ threshold_sql }} then 'above_threshold'
        end as failure_reason
    from (select 1 as anchor) as anchor
    left join latest_run on 1 = 1
    left join current_profile on 1 = 1
    left join metric on 1 = 1
)

select *
from outcome
where failure_reason is not null
{%- if not fail_if_missing %}
    and failure_reason <> 'dataset_not_profiled'
{%- endif %}
{% endmacro %}
