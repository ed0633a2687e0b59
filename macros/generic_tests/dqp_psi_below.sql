{#- Column test: the Population Stability Index of the column between the
    reference and current sides of the dataset's latest profile run is at
    most max_psi. Computed in SQL from that run's 'psi' rows of
    dqp_histograms (reference-decile bins plus the null bin), as the checker
    does: PSI = sum over bins of (c - r) * ln(c / r), with c and r each bin's
    share of its side and an empty share replaced by epsilon. Unlike
    dqp_signals, which only holds signals that fired, this value exists for
    every column profiled as numeric. -#}
{% test dqp_psi_below(model, column_name, max_psi, dataset_name=none, epsilon=0.0001, fail_if_missing=false) %}
    {{ return(adapter.dispatch('test_dqp_psi_below', 'dqp')(model, column_name, max_psi, dataset_name, epsilon, fail_if_missing)) }}
{% endtest %}

{% macro default__test_dqp_psi_below(model, column_name, max_psi, dataset_name, epsilon, fail_if_missing) %}
    {%- set double = dqp.dqp_type_double() -%}
    {%- if execute and (epsilon is not number or epsilon is boolean or epsilon <= 0 or epsilon >= 1) -%}
        {{ exceptions.raise_compiler_error("dqp_psi_below: epsilon must be a number in (0, 1), got " ~ epsilon) }}
    {%- endif -%}
    {%- set epsilon_sql = dqp.dqp_double_literal(epsilon) -%}
    {%- set metric_sql -%}
        with psi_bins as (
            select
                histograms.side,
                histograms.bin_index,
                cast(histograms.value_count as {{ double }}) as value_count
            from {{ ref('dqp', 'dqp_histograms') }} as histograms
            inner join current_profile
                on histograms.dataset_name = current_profile.dataset_name
                and histograms.run_id = current_profile.run_id
                and histograms.column_name = current_profile.column_name
            where histograms.histogram_kind = 'psi'
        ),

        side_totals as (
            select
                sum(case when side = 'reference' then value_count else 0 end) as reference_total,
                sum(case when side = 'current' then value_count else 0 end) as current_total,
                count(*) as bin_rows
            from psi_bins
        ),

        shares as (
            select
                psi_bins.bin_index,
                sum(case when psi_bins.side = 'reference' then psi_bins.value_count / side_totals.reference_total end) as reference_share,
                sum(case when psi_bins.side = 'current' then psi_bins.value_count / side_totals.current_total end) as current_share
            from psi_bins
            cross join side_totals
            where side_totals.reference_total > 0 and side_totals.current_total > 0
            group by psi_bins.bin_index
        ),

        smoothed as (
            select
                case when coalesce(reference_share, 0) = 0 then {{ epsilon_sql }} else reference_share end as reference_share,
                case when coalesce(current_share, 0) = 0 then {{ epsilon_sql }} else current_share end as current_share
            from shares
        )

        select
            case
                when side_totals.reference_total > 0 and side_totals.current_total > 0
                    then (select sum((current_share - reference_share) * ln(current_share / reference_share)) from smoothed)
            end as metric_value,
            side_totals.bin_rows > 0 and (side_totals.reference_total = 0 or side_totals.current_total = 0) as insufficient_data
        from side_totals
    {%- endset -%}
    {{ dqp._dqp_column_guard_failures(
        dqp._dqp_test_dataset_name(dataset_name),
        dqp._dqp_test_column_name(column_name),
        dqp._dqp_test_threshold(max_psi, 'max_psi'),
        metric_sql,
        fail_if_missing
    ) }}
{% endmacro %}
