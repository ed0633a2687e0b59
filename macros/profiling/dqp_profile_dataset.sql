{#- Profile one resolved dataset (see dqp_resolve_dataset) on both sides and
    append its rows to the dqp storage tables under run_id = invocation_id.
    The dqp_profile_runs row is written last: a run with that row is complete.

    Work per side: one quantile sort per numeric column (reference: quartiles,
    PSI and KS cuts; current: quartiles), one streaming aggregate pass for
    every count and moment, one distinct-count statement, and, only where
    needed, one grouped pass each for KS cut counts, exact values and
    categories (whose value counts also give the novel and singleton counts).
    Temporal columns are profiled as numbers: epoch seconds. KS rows are
    staged in a temporary table and PSI bins are summed from them, so PSI
    costs no scan of its own. -#}
{% macro dqp_profile_dataset(dataset) %}
    {%- set settings = dataset.settings -%}
    {%- set profiled_at = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set storage = dqp._dqp_storage_relations(['dqp_profile_runs', 'dqp_column_profiles', 'dqp_histograms',
        'dqp_category_counts', 'dqp_schema_snapshots']) -%}
    {%- set windows = dqp._dqp_side_windows(dataset) -%}
    {%- do dqp._dqp_fetch_value_offsets(dataset, windows.reference.filter) -%}
    {%- set sources = {
        'reference': dqp._dqp_side_source(dataset, dataset.reference.relation, windows.reference.filter),
        'current': dqp._dqp_side_source(dataset, dataset.current_relation, windows.current.filter),
    } -%}
    {%- set numeric_columns = dataset.columns | selectattr('type_kind', 'equalto', 'numeric') | list -%}

    {#- 1. Reference quantiles: the fences and edges every count below uses. -#}
    {%- set quartile_levels = [0.25, 0.5, 0.75] -%}
    {%- set psi_levels = [] -%}
    {%- for i in range(1, settings.psi_bins) -%}{%- do psi_levels.append(i / settings.psi_bins) -%}{%- endfor -%}
    {%- set ks_levels = [] -%}
    {%- for i in range(1, settings.ks_quantile_edges) -%}{%- do ks_levels.append(i / settings.ks_quantile_edges) -%}{%- endfor -%}
    {#- The KS cuts include the PSI edges, so PSI bins can be summed from KS counts. -#}
    {%- set ks_levels = (ks_levels + psi_levels) | unique | sort -%}
    {%- set quantiles = {'reference': dqp._dqp_fetch_quantiles(sources.reference, numeric_columns,
        (quartile_levels + ks_levels) | unique | sort)} -%}
    {%- set bounds = {} -%}
    {%- for column in numeric_columns -%}
        {%- do bounds.update({column.index: dqp._dqp_reference_bounds(quantiles.reference[column.index], settings, psi_levels, ks_levels)}) -%}
    {%- endfor -%}

    {#- 2. The one-pass counts on each side, then the current quartiles. -#}
    {%- set counts = {} -%}
    {%- for side in ['reference', 'current'] -%}
        {%- do counts.update({side: dqp._dqp_fetch_counts(sources[side], dataset.columns, bounds)}) -%}
    {%- endfor -%}
    {%- do quantiles.update({'current': dqp._dqp_fetch_quantiles(sources.current, numeric_columns, quartile_levels)}) -%}

    {#- 3. Kind and KS method, now that both sides' distinct counts are known. -#}
    {%- for column in dataset.columns -%}
        {%- set reference_distinct = counts.reference[column.index].distinct_count -%}
        {%- set current_distinct = counts.current[column.index].distinct_count -%}
        {%- set kind = column.declared_kind or ('temporal' if column.temporal else column.type_kind) -%}
        {%- if column.declared_kind is none and kind == 'numeric'
            and [reference_distinct, current_distinct] | max <= settings.categorical_max_distinct -%}
            {%- set kind = 'categorical' -%}
        {%- endif -%}
        {%- set ks_method = none -%}
        {%- if kind in ['numeric', 'temporal'] -%}
            {%- set ks_method = 'exact' if reference_distinct + current_distinct <= settings.ks_exact_max_distinct else 'binned' -%}
        {%- endif -%}
        {%- do column.update({'kind': kind, 'ks_method': ks_method}) -%}
    {%- endfor -%}

    {#- 4. Write. Distribution rows first, the run row last. The category pass
        also counts each categorical column's novel and singleton values, which
        the profile rows carry. -#}
    {%- set novelty = dqp._dqp_insert_categories(dataset, storage.dqp_category_counts, sources,
        dataset.columns | selectattr('kind', 'equalto', 'categorical') | list, profiled_at) -%}
    {%- set rendered = dqp._dqp_profile_rows(dataset, dataset.columns, counts, quantiles, bounds, profiled_at, novelty) -%}
    {%- set head_columns = ['dataset_name', 'run_id', 'side', 'column_name', 'column_position'] -%}
    {%- do dqp._dqp_insert_values(storage.dqp_column_profiles, head_columns + ['data_type', 'column_kind', 'ks_method',
        'row_count', 'null_count', 'null_rate', 'nan_count', 'pos_inf_count', 'neg_inf_count', 'distinct_count',
        'min_value', 'max_value', 'mean_value', 'stddev_value', 'q1_value', 'median_value', 'q3_value',
        'iqr_lower_bound', 'iqr_upper_bound', 'iqr_outlier_count', 'zscore_lower_bound', 'zscore_upper_bound',
        'zscore_outlier_count', 'profiled_at', 'value_offset', 'singleton_count', 'novel_row_count'], rendered) -%}
    {#- temporal columns are profiled as numbers (epoch seconds) -#}
    {%- set numeric_kind = dataset.columns | selectattr('kind', 'in', ['numeric', 'temporal']) | list -%}
    {%- if numeric_kind | length > 0 -%}
        {#- KS rows of both sides are staged by one CREATE TABLE AS (which, unlike
            INSERT ... SELECT, PostgreSQL may run in parallel), copied to
            dqp_histograms, and summed into the PSI bins. -#}
        {%- set binned = numeric_kind | selectattr('ks_method', 'equalto', 'binned') | list -%}
        {%- set exact = numeric_kind | selectattr('ks_method', 'equalto', 'exact') | list -%}
        {%- set ks_queries = [] -%}
        {%- for side in ['reference', 'current'] -%}
            {%- if binned | length > 0 -%}
                {%- do ks_queries.append('select * from (' ~ dqp._dqp_ks_binned_query(dataset, side, sources[side], binned, bounds, profiled_at) ~ ') as ks_binned_' ~ side) -%}
            {%- endif -%}
            {%- if exact | length > 0 -%}
                {%- do ks_queries.append('select * from (' ~ dqp._dqp_ks_exact_query(dataset, side, sources[side], exact, profiled_at) ~ ') as ks_exact_' ~ side) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set stage = dqp.dqp_temp_relation('dqp_histogram_stage') -%}
        {%- set histogram_columns = 'dataset_name, run_id, side, column_name, column_position, histogram_kind, bin_index, '
            ~ 'lower_edge, upper_edge, bin_value, is_null_bin, value_count, profiled_at' -%}
        {%- do run_query('drop table if exists ' ~ stage) -%}
        {%- do run_query('create temporary table ' ~ stage ~ ' as\n' ~ ks_queries | join('\nunion all\n')) -%}
        {%- do run_query('insert into ' ~ storage.dqp_histograms ~ ' (' ~ histogram_columns ~ ')\nselect '
            ~ histogram_columns ~ ' from ' ~ stage) -%}
        {%- do dqp._dqp_insert_psi(dataset, storage.dqp_histograms, stage, numeric_kind, counts, bounds, profiled_at) -%}
        {%- do run_query('drop table ' ~ stage) -%}
    {%- endif -%}

    {%- set schema_rows = [] -%}
    {%- for side in ['reference', 'current'] -%}
        {%- for column in dataset[side ~ '_schema'] -%}
            {%- do schema_rows.append('(' ~ [dqp.dqp_string_literal(dataset.dataset_name), dqp.dqp_string_literal(invocation_id),
                "'" ~ side ~ "'", dqp.dqp_string_literal(column.name), column.position,
                dqp.dqp_string_literal(column.data_type), profiled_at] | join(', ') ~ ')') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do dqp._dqp_insert_values(storage.dqp_schema_snapshots, head_columns + ['data_type', 'profiled_at'], schema_rows) -%}

    {%- if var('dqp_test_fail_dataset', none) == dataset.dataset_name -%}
        {#- Test only (tests/integration/test_profiling_transactions.py): a
            statement that fails after every row but the run row is written. -#}
        {%- do run_query('select cast(' ~ dqp.dqp_string_literal('dqp_test_fail_dataset: injected failure in '
            ~ dataset.dataset_name) ~ ' as integer)') -%}
    {%- endif -%}

    {%- set reference = dataset.reference -%}
    {%- set s = dqp.dqp_string_literal -%}
    {%- set run_row = '(' ~ [
        s(dataset.dataset_name), s(invocation_id), profiled_at, s(dataset.node.unique_id),
        s(dqp.dqp_quote_relation(dataset.current_relation)), s(reference.kind), s(dqp.dqp_quote_relation(reference.relation)), s(reference.time_column),
        s(windows.current.start), s(windows.current.end), s(windows.reference.start), s(windows.reference.end),
        dqp.dqp_double_literal(reference.current_window_days), dqp.dqp_double_literal(reference.reference_window_days),
        s(tojson(dataset.critical_columns)), s(tojson(settings, sort_keys=true)),
        s(tojson(dqp._dqp_merge_policy(dataset.package_policy, dataset.policy), sort_keys=true)),
        dataset.columns | length, s(dqp.dqp_version())] | join(', ') ~ ')' -%}
    {%- do dqp._dqp_insert_values(storage.dqp_profile_runs, ['dataset_name', 'run_id', 'profiled_at', 'node_unique_id',
        'current_relation', 'reference_kind', 'reference_relation', 'time_column', 'current_window_start',
        'current_window_end', 'reference_window_start', 'reference_window_end', 'current_window_days',
        'reference_window_days', 'critical_columns', 'settings', 'policy', 'profiled_column_count', 'dqp_version'], [run_row]) -%}
{% endmacro %}
