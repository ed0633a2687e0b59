{#- Retention: delete the bulky rows (dqp_histograms, dqp_category_counts) of
    this dataset's runs older than its latest dqp_retention_runs runs, and mark
    those runs pruned (dqp_profile_runs.pruned_at), so a re-check of one fails
    clearly instead of reading half a run. Kept whatever their age: baseline
    rows (run_id 'baseline:...'), runs already pruned (so each build deletes
    about one run's rows: the work is bounded, not a rescan of history), and,
    for a time split, the latest run of each current window that ends inside
    this run's reference window, which an assembled reference reads (an
    earlier re-run of the same window is not kept for it). Window bounds are
    ISO 8601 text of one format per dataset, so text order is time order.

    It runs inside the dataset's transaction, after the run row: the deletes
    and the pruned_at marks commit or roll back together with this run, so no
    run is ever left pruned but unmarked. At most 20 runs are pruned per build,
    so turning retention on over a long history spreads the work. -#}
{% macro _dqp_prune_old_runs(dataset, storage, windows, profiled_at) %}
    {%- set keep_runs = var('dqp_retention_runs', 30) -%}
    {%- if keep_runs is none or keep_runs == 0 -%}{{ return([]) }}{%- endif -%}
    {%- if keep_runs is boolean or keep_runs is not number or keep_runs < 0 or keep_runs != (keep_runs | int) -%}
        {%- do dqp._dqp_raise_error("var dqp_retention_runs: expected a whole number of runs to keep per dataset "
            ~ "(0 or none keeps every run), got " ~ keep_runs) -%}
    {%- endif -%}
    {%- set text = dqp.dqp_string_literal -%}
    {%- set window_guard = '' -%}
    {%- if dataset.reference.kind == 'time_window' and windows.reference.start is not none -%}
        {%- set window_guard = 'and not (window_recency = 1 and current_window_end > ' ~ text(windows.reference.start) ~ ')' -%}
    {%- endif -%}
    {%- set candidates_sql -%}
        select run_id from (
            select run_id, pruned_at, current_window_end,
                row_number() over (order by profiled_at desc, run_id desc) as recency,
                row_number() over (partition by current_window_end order by profiled_at desc, run_id desc) as window_recency
            from {{ storage.dqp_profile_runs }}
            where dataset_name = {{ text(dataset.dataset_name) }} and run_id not like 'baseline:%'
        ) as runs
        where recency > {{ keep_runs | int }} and pruned_at is null {{ window_guard }}
        order by recency desc
        limit 20
    {%- endset -%}
    {%- set run_ids = run_query(candidates_sql).columns[0].values() | list -%}
    {%- if run_ids | length == 0 -%}{{ return([]) }}{%- endif -%}
    {%- set run_literals = [] -%}
    {%- for run_id in run_ids -%}{%- do run_literals.append(text(run_id)) -%}{%- endfor -%}
    {%- set run_filter = 'dataset_name = ' ~ text(dataset.dataset_name) ~ ' and run_id in ('
        ~ run_literals | join(', ') ~ ')' -%}
    {%- for table in ['dqp_histograms', 'dqp_category_counts'] -%}
        {%- do run_query('delete from ' ~ storage[table] ~ ' where ' ~ run_filter) -%}
    {%- endfor -%}
    {%- do run_query('update ' ~ storage.dqp_profile_runs ~ ' set pruned_at = ' ~ profiled_at ~ ' where ' ~ run_filter) -%}
    {%- do log('dqp: retention pruned ' ~ run_ids | length ~ ' old run(s) of ' ~ dataset.dataset_name
        ~ ' (dqp_retention_runs = ' ~ keep_runs ~ ')', info=true) -%}
    {{ return(run_ids) }}
{% endmacro %}
