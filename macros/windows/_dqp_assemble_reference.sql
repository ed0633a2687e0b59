{#- Assemble a reference side from stored windows instead of scanning it:
    the current-side rows of the runs `window_run_ids` (earlier daily runs,
    say) are added up into reference-side rows of run `into_run_id`, so every
    consumer reads stored reference rows as it does after a scan. The cost is
    five statements over stored rows (one check, four insert ... select),
    whatever the number of windows or their rows: the data is never read.

    What adds up, and how (the windows must share edges and fences, see
    _dqp_window_mismatches, else this fails naming the columns):
    - rows, nulls, NaN, +/-Infinity, fence outlier counts: sums;
    - PSI and KS-binned bins: sums at the shared edges; KS-exact and category
      counts: sums by value (a value a window did not list counts 0 there);
    - min and max: min of mins, max of maxes;
    - mean and sample stddev: the parallel formula over finite values,
      mean = sum(n_i mean_i) / n and
      (n - 1) var = sum((n_i - 1) var_i) + sum(n_i (mean_i - mean)^2);
    - distinct count: exact for a KS-exact column (its summed values);
      otherwise the largest window's, a lower bound (distinct values do not
      add up);
    - quartiles: from the summed bins, exact from KS-exact values, within
      one bin's width from KS-binned ones (as dqp_runner.windows states);
    - singleton and novelty counts: NULL (they do not add up either);
    - schema: the last window's.
    Call: dbt run-operation dqp._dqp_assemble_reference --args
    '{dataset_name: d, window_run_ids: [r1, r2], into_run_id: r}'. -#}
{% macro _dqp_assemble_reference(dataset_name, window_run_ids, into_run_id) %}
    {%- if window_run_ids | length == 0 -%}
        {%- do dqp._dqp_raise_error('assembling the reference of ' ~ dataset_name ~ ': no stored windows given') -%}
    {%- endif -%}
    {%- set storage = dqp._dqp_storage_relations(['dqp_column_profiles', 'dqp_histograms',
        'dqp_category_counts', 'dqp_schema_snapshots']) -%}
    {%- set text = dqp.dqp_string_literal -%}
    {%- set double = dqp.dqp_type_double() -%}
    {%- set run_literals = [] -%}
    {%- for run_id in window_run_ids -%}{%- do run_literals.append(text(run_id)) -%}{%- endfor -%}
    {%- set run_filter = 'dataset_name = ' ~ text(dataset_name) ~ " and side = 'current' and run_id in ("
        ~ run_literals | join(', ') ~ ')' -%}
    {%- set mismatches = dqp._dqp_window_mismatches(storage, run_filter, window_run_ids | length) -%}
    {%- if mismatches | length > 0 -%}
        {%- do dqp._dqp_raise_error('assembling the reference of ' ~ dataset_name ~ ' from runs '
            ~ window_run_ids | join(', ') ~ ': the stored windows do not share edges or fences for column(s) '
            ~ mismatches | join(', ') ~ ' (or a window lacks them); windows add up only when binned against '
            ~ 'the same reference, such as a pinned baseline') -%}
    {%- endif -%}
    {%- set standalone = flags.WHICH == 'run-operation' -%}
    {%- if standalone -%}{%- do dqp.dqp_begin_transaction() -%}{%- endif -%}
    {%- set head = text(dataset_name) ~ ' as dataset_name, ' ~ text(into_run_id) ~ " as run_id, 'reference' as side" -%}
    {%- set profiled_at = 'max(profiled_at) as profiled_at' -%}

    {%- set histograms_sql -%}
        select {{ head }}, column_name, min(column_position) as column_position, histogram_kind, bin_index,
            lower_edge, upper_edge, bin_value, is_null_bin, sum(value_count) as value_count, {{ profiled_at }}
        from {{ storage.dqp_histograms }}
        where {{ run_filter }} and histogram_kind <> 'ks_exact'
        group by column_name, histogram_kind, bin_index, lower_edge, upper_edge, bin_value, is_null_bin
        union all
        select {{ head }}, column_name, min(column_position) as column_position, histogram_kind,
            cast(row_number() over (partition by column_name order by bin_value) - 1 as integer) as bin_index,
            cast(null as {{ double }}) as lower_edge, cast(null as {{ double }}) as upper_edge, bin_value,
            is_null_bin, sum(value_count) as value_count, {{ profiled_at }}
        from {{ storage.dqp_histograms }}
        where {{ run_filter }} and histogram_kind = 'ks_exact'
        group by column_name, histogram_kind, bin_value, is_null_bin
    {%- endset -%}
    {%- do dqp._dqp_insert_select(storage.dqp_histograms, 'dqp_histograms', histograms_sql) -%}

    {%- set categories_sql -%}
        select {{ head }}, column_name, min(column_position) as column_position, category_value, category_kind,
            sum(value_count) as value_count, {{ profiled_at }}
        from {{ storage.dqp_category_counts }}
        where {{ run_filter }}
        group by column_name, category_value, category_kind
    {%- endset -%}
    {%- do dqp._dqp_insert_select(storage.dqp_category_counts, 'dqp_category_counts', categories_sql) -%}

    {%- set profiles_sql -%}
        with windows as (
            select profiles.*,
                row_count - null_count - nan_count - pos_inf_count - neg_inf_count as finite_count
            from {{ storage.dqp_column_profiles }} as profiles
            where {{ run_filter }}
        ),
        pooled as (
            select column_name,
                cast(sum(finite_count) as {{ double }}) as finite_total,
                sum(case when mean_value is not null then finite_count * mean_value end)
                    / nullif(cast(sum(case when mean_value is not null then finite_count end) as {{ double }}), 0)
                    as pooled_mean
            from windows
            group by column_name
        ),
        exact_values as (
            select column_name, count(distinct bin_value) as distinct_values
            from {{ storage.dqp_histograms }}
            where {{ run_filter }} and histogram_kind = 'ks_exact'
            group by column_name
        ),
        {#- Quartiles from the bins just summed into this run: exact
            (percentile_cont's rule) from KS-exact values; from KS-binned
            bins, interpolated in the bin the cumulative count reaches, open
            ends closed at the pooled min and max (within one bin's width). -#}
        summed_bins as (
            select column_name, histogram_kind, bin_value, lower_edge, upper_edge, value_count,
                sum(value_count) over (partition by column_name, histogram_kind
                    order by bin_index rows between unbounded preceding and current row) as upto,
                sum(value_count) over (partition by column_name, histogram_kind) as total
            from {{ storage.dqp_histograms }}
            where dataset_name = {{ text(dataset_name) }} and run_id = {{ text(into_run_id) }}
                and side = 'reference' and histogram_kind in ('ks_exact', 'ks_binned') and value_count > 0
                and not is_null_bin
        ),
        probabilities as (
            select cast(0.25 as {{ double }}) as probability
            union all select cast(0.5 as {{ double }})
            union all select cast(0.75 as {{ double }})
        ),
        exact_positions as (
            select columns.column_name, probabilities.probability,
                (columns.total - 1) * probabilities.probability as position
            from (select distinct column_name, total from summed_bins where histogram_kind = 'ks_exact') as columns
            cross join probabilities
        ),
        exact_quantiles as (
            select positions.column_name, positions.probability,
                min(case when bins.upto > floor(positions.position) then bins.bin_value end)
                + (positions.position - floor(positions.position))
                * (min(case when bins.upto > ceil(positions.position) then bins.bin_value end)
                   - min(case when bins.upto > floor(positions.position) then bins.bin_value end)) as quantile,
                cast(0 as {{ double }}) as error_bound
            from exact_positions as positions
            inner join summed_bins as bins
                on bins.column_name = positions.column_name and bins.histogram_kind = 'ks_exact'
            group by positions.column_name, positions.probability, positions.position
        ),
        column_bounds as (
            select column_name, min(min_value) as low, max(max_value) as high from windows group by column_name
        ),
        binned_quantiles as (
            select bins.column_name, probabilities.probability,
                coalesce(greatest(bins.lower_edge, bounds.low), bounds.low)
                + (probabilities.probability * bins.total - (bins.upto - bins.value_count)) / bins.value_count
                * (coalesce(least(bins.upper_edge, bounds.high), bounds.high)
                   - coalesce(greatest(bins.lower_edge, bounds.low), bounds.low)) as quantile,
                {#- the bin holds the true quartile: its clamped width bounds the error -#}
                coalesce(least(bins.upper_edge, bounds.high), bounds.high)
                   - coalesce(greatest(bins.lower_edge, bounds.low), bounds.low) as error_bound
            from summed_bins as bins
            cross join probabilities
            inner join column_bounds as bounds on bounds.column_name = bins.column_name
            where bins.histogram_kind = 'ks_binned'
                and bins.upto >= probabilities.probability * bins.total
                and bins.upto - bins.value_count < probabilities.probability * bins.total
        ),
        quartiles as (
            select column_name,
                max(case when probability = 0.25 then quantile end) as q1_value,
                max(case when probability = 0.5 then quantile end) as median_value,
                max(case when probability = 0.75 then quantile end) as q3_value,
                max(error_bound) as error_bound
            from (select * from exact_quantiles union all select * from binned_quantiles) as quantiles
            group by column_name
        )
        select {{ head }}, windows.column_name, min(column_position) as column_position,
            min(data_type) as data_type, min(column_kind) as column_kind, min(ks_method) as ks_method,
            sum(row_count) as row_count, sum(null_count) as null_count,
            cast(sum(null_count) as {{ double }}) / nullif(cast(sum(row_count) as {{ double }}), 0) as null_rate,
            sum(nan_count) as nan_count, sum(pos_inf_count) as pos_inf_count, sum(neg_inf_count) as neg_inf_count,
            coalesce(min(exact_values.distinct_values), max(distinct_count)) as distinct_count,
            min(min_value) as min_value, max(max_value) as max_value,
            min(pooled.pooled_mean) as mean_value,
            case when min(pooled.pooled_mean) is not null then sqrt((sum(case when finite_count > 1 then (finite_count - 1) * stddev_value * stddev_value else 0 end)
                  + sum(case when mean_value is not null
                        then finite_count * (mean_value - pooled.pooled_mean) * (mean_value - pooled.pooled_mean)
                        else 0 end))
                 / nullif(min(pooled.finite_total) - 1, 0)) end as stddev_value,
            min(quartiles.q1_value) as q1_value, min(quartiles.median_value) as median_value,
            min(quartiles.q3_value) as q3_value,
            min(iqr_lower_bound) as iqr_lower_bound, min(iqr_upper_bound) as iqr_upper_bound,
            sum(iqr_outlier_count) as iqr_outlier_count,
            min(zscore_lower_bound) as zscore_lower_bound, min(zscore_upper_bound) as zscore_upper_bound,
            sum(zscore_outlier_count) as zscore_outlier_count,
            {{ profiled_at }}, min(value_offset) as value_offset,
            cast(null as bigint) as singleton_count, cast(null as bigint) as novel_row_count,
            min(quartiles.error_bound) as quartile_error_bound
        from windows
        inner join pooled on pooled.column_name = windows.column_name
        left join exact_values on exact_values.column_name = windows.column_name
        left join quartiles on quartiles.column_name = windows.column_name
        group by windows.column_name
    {%- endset -%}
    {%- do dqp._dqp_insert_select(storage.dqp_column_profiles, 'dqp_column_profiles', profiles_sql) -%}

    {%- set schema_sql -%}
        select {{ head }}, column_name, column_position, data_type, profiled_at
        from {{ storage.dqp_schema_snapshots }}
        where dataset_name = {{ text(dataset_name) }} and side = 'current' and run_id = {{ run_literals[-1] }}
    {%- endset -%}
    {%- do dqp._dqp_insert_select(storage.dqp_schema_snapshots, 'dqp_schema_snapshots', schema_sql) -%}
    {%- if standalone -%}{%- do adapter.commit() -%}{%- endif -%}
    {%- do log('dqp: assembled the reference of ' ~ dataset_name ~ ' into run ' ~ into_run_id ~ ' from '
        ~ window_run_ids | length ~ ' stored windows', info=true) -%}
{% endmacro %}
