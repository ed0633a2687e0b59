{#- Profile one resolved dataset (see dqp_resolve_dataset) on both sides and
    append its rows to the dqp storage tables under run_id = invocation_id.
    It reads as its steps, in the order they run; the dqp_profile_runs row is
    written last: a run with that row is complete.

    Work per side: one streaming aggregate pass for every count and moment,
    one distinct-count statement, and, only where needed, one grouped pass
    each for KS bin counts, exact values and categories (whose value counts
    also give the novel and singleton counts). The reference side alone is
    sorted, once per numeric column, for its quartiles, fences and PSI/KS
    edges, which go straight into a temporary edge table the binned pass
    reads (no literal edges in the SQL). The current quartiles come from the
    staged KS counts: exact where values are counted, else interpolated in
    their bin with a stored error bound. Above the dataset's row_budget the grouped passes read a seeded
    sample of the side (_dqp_distribution_source); every count, moment and
    fence stays exact. Temporal columns are profiled as
    numbers: epoch seconds. KS rows are staged in a temporary table and PSI
    bins are summed from them, so PSI costs no scan of its own. Rows are
    written by column name from the storage spec (_dqp_insert_rows,
    _dqp_insert_select). -#}
{% macro dqp_profile_dataset(dataset) %}
    {%- set profiled_at = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set storage = dqp._dqp_storage_relations(['dqp_profile_runs', 'dqp_column_profiles', 'dqp_histograms',
        'dqp_category_counts', 'dqp_schema_snapshots']) -%}
    {%- set windows = dqp._dqp_side_windows(dataset) -%}
    {%- do dqp._dqp_fetch_value_offsets(dataset, windows.reference.filter) -%}
    {%- set sources = {
        'reference': dqp._dqp_side_source(dataset, dataset.reference.relation, windows.reference.filter),
        'current': dqp._dqp_side_source(dataset, dataset.current_relation, windows.current.filter),
    } -%}

    {#- 1. Reference quantiles: the fences, and the edges every bin count below uses. -#}
    {%- set edge_table = dqp.dqp_edge_table_name() -%}
    {%- set reference_cuts = dqp._dqp_stage_reference_quantiles(dataset, sources.reference) -%}
    {%- set bounds = reference_cuts.bounds -%}
    {#- 2. The one-pass counts on each side. -#}
    {%- set counts = {} -%}
    {%- for side in ['reference', 'current'] -%}
        {%- do counts.update({side: dqp._dqp_fetch_counts(sources[side], dataset.columns, bounds)}) -%}
    {%- endfor -%}
    {#- 3. Each column's profiled kind and KS method, from both sides' distinct counts. -#}
    {%- do dqp._dqp_choose_column_methods(dataset, counts) -%}
    {#- 3b. What the distribution pass reads: each side whole, or above
        row_budget a seeded sample whose own counts fill the PSI null bin. -#}
    {%- set samples = {} -%}
    {%- set distribution_sources = {} -%}
    {%- set distribution_counts = {} -%}
    {%- for side, relation in [('reference', dataset.reference.relation), ('current', dataset.current_relation)] -%}
        {%- set sample = dqp._dqp_distribution_source(dataset, side, relation, windows[side].filter, counts[side].row_count) -%}
        {%- do samples.update({side: sample}) -%}
        {%- do distribution_sources.update({side: sample.sql}) -%}
        {#- a sample's own counts, over the side's min and max (the quartile bins' clamps) -#}
        {%- set side_counts = counts[side] -%}
        {%- if sample.counts is not none -%}
            {%- set side_counts = {'row_count': sample.counts.row_count} -%}
            {%- for column in dataset.columns -%}
                {%- set entry = counts[side][column.column_index].copy() -%}
                {%- do entry.update(sample.counts[column.column_index]) -%}
                {%- do side_counts.update({column.column_index: entry}) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do distribution_counts.update({side: side_counts}) -%}
    {%- endfor -%}

    {#- 4. Writes: distribution rows first, the run row last. The category pass
        also counts each categorical column's novel and singleton values, which
        the profile rows carry. -#}
    {%- set novelty = dqp._dqp_insert_categories(dataset, storage.dqp_category_counts, distribution_sources,
        dataset.columns | selectattr('column_kind', 'equalto', 'categorical') | list, profiled_at) -%}
    {%- set current_quartiles = dqp._dqp_insert_histograms(dataset, storage.dqp_histograms,
        distribution_sources, distribution_counts, bounds, edge_table, profiled_at) -%}
    {%- do run_query('drop table ' ~ edge_table) -%}
    {#- The current quartiles of a numeric column profiled as categorical (few
        distinct values, no KS counts) still come from a sort. -#}
    {%- set sorted_columns = dataset.columns | selectattr('read_as', 'equalto', 'numeric')
        | rejectattr('column_kind', 'in', ['numeric', 'temporal']) | list -%}
    {%- if sorted_columns | length > 0 -%}
        {%- do current_quartiles.update(dqp._dqp_fetch_quantiles(sources.current, sorted_columns, [0.25, 0.5, 0.75])) -%}
    {%- endif -%}
    {%- set quantiles = {'reference': reference_cuts.quantiles, 'current': current_quartiles} -%}
    {%- do dqp._dqp_insert_profiles(dataset, storage.dqp_column_profiles, counts, quantiles, bounds, profiled_at, novelty) -%}
    {%- do dqp._dqp_insert_schema_snapshots(dataset, storage.dqp_schema_snapshots, profiled_at) -%}
    {%- do dqp._dqp_inject_test_failure(dataset) -%}
    {%- for side in ['reference', 'current'] if samples[side].stage is not none -%}
        {%- do run_query('drop table ' ~ samples[side].stage) -%}
    {%- endfor -%}
    {%- do dqp._dqp_insert_profile_run(dataset, storage.dqp_profile_runs, windows, profiled_at, samples) -%}
    {#- 5. Retention: prune old runs' bin and value rows, in this transaction. -#}
    {%- do dqp._dqp_prune_old_runs(dataset, storage, windows, profiled_at) -%}
{% endmacro %}
