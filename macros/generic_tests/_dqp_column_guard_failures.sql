{#- Shared body of the column-level dqp tests. They read, never recompute:
    the metric `dqp check` stored in dqp_column_metrics for the column, in the
    latest check of the dataset's latest complete profile run
    (_dqp_test_latest_check_ctes). Returns at most one row, with a
    failure_reason and a failure_weight (2 fails, 1 warns: see
    _dqp_test_failure_weight and the tests' default fail_calc):
    - 'no_profile_yet': the dataset has no profile run (a fresh schema);
    - 'verdict_older_than_data': inside a `dbt build` that rebuilds the data
      and profiles it only after its tests;
    - 'column_not_profiled': the latest run has no profile of the column;
    - 'not_checked_yet': `dqp check` has not checked the latest run (or
      checked it before 0.2.0, which stored no metrics);
    - 'metric_not_computed': the check has no such metric for the column
      (e.g. PSI of a categorical column);
    - 'insufficient_data': the checker found too little data to judge it;
    - 'above_threshold': the stored value is above the threshold.

    signal_types: the dqp_column_metrics.signal_type values the test reads
    (the first found wins, then the first metric of the check);
    value_column: 'metric_value' or 'current_value'.
    The column name is matched exactly, else case-insensitively. -#}
{% macro _dqp_column_guard_failures(dataset_name, column_name, threshold_sql, signal_types, value_column, fail_if_missing) %}
    {%- set dataset_literal = dqp.dqp_string_literal(dataset_name) -%}
    {%- set column_literal = dqp.dqp_string_literal(column_name) -%}
    {%- set type_literals = [] -%}
    {%- for name in signal_types -%}{%- do type_literals.append(dqp.dqp_string_literal(name)) -%}{%- endfor -%}
    {%- if value_column not in ['metric_value', 'current_value'] -%}
        {{ exceptions.raise_compiler_error("_dqp_column_guard_failures: value_column must be metric_value or current_value, got " ~ value_column) }}
    {%- endif -%}
    {%- set data_rebuilt = dqp._dqp_test_data_rebuilt(dataset_name) -%}
with {{ dqp._dqp_test_latest_check_ctes(dataset_literal) }}

current_profile as (
    select column_name, column_kind
    from (
        select
            profiles.column_name,
            profiles.column_kind,
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
    select metric_name, state, value, threshold, details
    from (
        select
            metrics.metric_name,
            metrics.state,
            metrics.{{ value_column }} as value,
            metrics.threshold,
            metrics.details,
            row_number() over (
                order by
                    case metrics.signal_type
                    {%- for literal in type_literals %} when {{ literal }} then {{ loop.index }}{% endfor %}
                    end,
                    metrics.metric_index
            ) as match_rank
        from {{ ref('dqp', 'dqp_column_metrics') }} as metrics
        inner join latest_check on metrics.check_id = latest_check.check_id
        inner join current_profile on metrics.column_name = current_profile.column_name
        where metrics.signal_type in ({{ type_literals | join(', ') }})
    ) as matched_metrics
    where match_rank = 1
),

outcome as (
    select
        {{ dataset_literal }} as dataset_name,
        latest_run.run_id,
        latest_run.profiled_at,
        latest_check.check_id,
        latest_check.checked_at,
        coalesce(current_profile.column_name, {{ column_literal }}) as column_name,
        current_profile.column_kind,
        metric.metric_name,
        metric.state as metric_state,
        metric.value as metric_value,
        {{ threshold_sql }} as threshold,
        metric.details as metric_details,
        case
            when latest_run.run_id is null then 'no_profile_yet'
            when {{ 'true' if data_rebuilt else 'false' }} then 'verdict_older_than_data'
            when current_profile.column_name is null then 'column_not_profiled'
            when latest_check.check_id is null then 'not_checked_yet'
            when metric.metric_name is null then 'metric_not_computed'
            when metric.state = 'insufficient_data' then 'insufficient_data'
            when metric.value is null then 'metric_not_computed'
            when metric.value > {{ threshold_sql }} then 'above_threshold'
        end as failure_reason
    from (select 1 as anchor) as anchor
    left join latest_run on 1 = 1
    left join latest_check on 1 = 1
    left join current_profile on 1 = 1
    left join metric on 1 = 1
)

select
    outcome.*,
    {{ dqp._dqp_test_failure_weight('failure_reason', fail_if_missing) }} as failure_weight
from outcome
where failure_reason is not null
{% endmacro %}
