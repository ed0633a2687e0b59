{#- The dqp_histograms rows of the numeric and temporal columns (temporal
    ones as epoch seconds): KS rows of both sides are staged by one CREATE
    TABLE AS (which, unlike INSERT ... SELECT, PostgreSQL may run in
    parallel), copied to dqp_histograms, summed into the PSI bins
    (_dqp_insert_psi), and read for the current side's quartiles
    (_dqp_fetch_staged_quartiles), so that side is never sorted.
    Binned counts use the edges in edge_table (dqp_edge_table_name).
    Returns the current quartiles: {column_index: {'quantiles': ..., 'error_bound': e}}. -#}
{% macro _dqp_insert_histograms(dataset, relation, sources, counts, bounds, edge_table, profiled_at) %}
    {%- set numeric_kind = dataset.columns | selectattr('column_kind', 'in', ['numeric', 'temporal']) | list -%}
    {%- if numeric_kind | length == 0 -%}{{ return({}) }}{%- endif -%}
    {%- set binned = numeric_kind | selectattr('ks_method', 'equalto', 'binned') | list -%}
    {%- set exact = numeric_kind | selectattr('ks_method', 'equalto', 'exact') | list -%}
    {%- set ks_queries = [] -%}
    {%- for side in ['reference', 'current'] -%}
        {%- if binned | length > 0 -%}
            {%- do ks_queries.append('select * from (' ~ dqp._dqp_ks_binned_query(dataset, side, sources[side], binned, edge_table, profiled_at) ~ ') as ks_binned_' ~ side) -%}
        {%- endif -%}
        {%- if exact | length > 0 -%}
            {%- do ks_queries.append('select * from (' ~ dqp._dqp_ks_exact_query(dataset, side, sources[side], exact, profiled_at) ~ ') as ks_exact_' ~ side) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set stage = dqp.dqp_temp_relation('dqp_histogram_stage') -%}
    {#- no drop-if-exists first: the stage is dropped when done, and a failed
        dataset's transaction rolls its creation back -#}
    {%- do run_query('create temporary table ' ~ stage ~ ' as\n' ~ ks_queries | join('\nunion all\n')) -%}
    {%- do dqp._dqp_insert_select(relation, 'dqp_histograms', 'select * from ' ~ stage) -%}
    {%- do dqp._dqp_insert_psi(dataset, relation, stage, numeric_kind, counts, bounds, profiled_at) -%}
    {%- set quartiles = dqp._dqp_fetch_staged_quartiles(stage, 'current', numeric_kind, counts.current) -%}
    {%- do run_query('drop table ' ~ stage) -%}
    {{ return(quartiles) }}
{% endmacro %}
