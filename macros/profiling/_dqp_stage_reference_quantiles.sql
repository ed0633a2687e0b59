{#- The reference side's quantiles of every numeric column (quartiles, PSI
    and KS levels; one sort per column, the only sort of a run) go straight
    into the temporary edge table (dqp_edge_table_name) by one CREATE TABLE
    AS, so the ~1,000 KS edges per column never pass through Jinja; only the
    quartile and PSI levels and the moments are fetched (a dozen rows per
    column) for the bounds (_dqp_reference_bounds: IQR and z-score fences,
    PSI edges). A row is a KS edge (is_edge) unless its level is a quartile
    that is not also a KS level.
    Returns {'quantiles': {column_index: ...}, 'bounds': {column_index: ...}}. -#}
{% macro _dqp_stage_reference_quantiles(dataset, source_sql) %}
    {%- set settings = dataset.settings -%}
    {%- set numeric_columns = dataset.columns | selectattr('read_as', 'equalto', 'numeric') | list -%}
    {%- set quartile_levels = [0.25, 0.5, 0.75] -%}
    {%- set psi_levels = [] -%}
    {%- for cut in range(1, settings.psi_bins) -%}{%- do psi_levels.append(cut / settings.psi_bins) -%}{%- endfor -%}
    {%- set ks_levels = [] -%}
    {%- for cut in range(1, settings.ks_quantile_edges) -%}{%- do ks_levels.append(cut / settings.ks_quantile_edges) -%}{%- endfor -%}
    {#- The KS cuts include the PSI edges, so PSI bins can be summed from KS counts. -#}
    {%- set ks_levels = (ks_levels + psi_levels) | unique | sort -%}
    {%- set levels = (quartile_levels + ks_levels) | unique | sort -%}
    {%- set not_edge_indexes = [] -%}
    {%- set fetched_indexes = [] -%}
    {%- for level in levels -%}
        {%- if level not in ks_levels -%}{%- do not_edge_indexes.append(loop.index) -%}{%- endif -%}
        {%- if level in quartile_levels or level in psi_levels -%}{%- do fetched_indexes.append(loop.index) -%}{%- endif -%}
    {%- endfor -%}
    {%- set edge_table = dqp.dqp_edge_table_name() -%}
    {%- do run_query('drop table if exists ' ~ edge_table) -%}
    {%- set queries = [] -%}
    {%- for column in numeric_columns -%}
        {%- do queries.append(dqp.dqp_quantiles_query(source_sql, column.alias, column.column_index, levels,
            '(select level_list from dqp_levels)')) -%}
    {%- endfor -%}
    {%- set double = dqp.dqp_type_double() -%}
    {%- set stage_sql -%}
        create temporary table {{ edge_table }} as
        {# the ~1,000 levels rendered once, not once per column #}
        with dqp_levels as (select {{ dqp.dqp_double_array_literal(levels) }} as level_list)
        select
            cast(column_index as {{ dbt.type_int() }}) as column_index,
            cast(level_index as {{ dbt.type_int() }}) as level_index,
            {% if not_edge_indexes -%}
            coalesce(level_index not in ({{ not_edge_indexes | join(', ') }}), false)
            {%- else -%}
            level_index is not null
            {%- endif %} as is_edge,
            cast(quantile_value as {{ double }}) as edge_value,
            cast(mean_value as {{ double }}) as mean_value,
            cast(stddev_value as {{ double }}) as stddev_value
        from (
        {%- if queries %}
            {{ queries | join('\nunion all\n') }}
        {%- else %}
            select 0 as column_index, 0 as level_index, 0.0 as quantile_value, 0.0 as mean_value, 0.0 as stddev_value
            where 1 = 0
        {%- endif %}
        ) as reference_quantiles
    {%- endset -%}
    {%- do run_query(stage_sql) -%}

    {%- set quantiles = {} -%}
    {%- for column in numeric_columns -%}
        {%- do quantiles.update({column.column_index: {'quantiles': {}, 'mean': none, 'stddev': none}}) -%}
    {%- endfor -%}
    {%- if numeric_columns | length > 0 -%}
        {%- set fetch_sql = 'select column_index, level_index, edge_value, mean_value, stddev_value from ' ~ edge_table
            ~ ' where level_index is null or level_index in (' ~ fetched_indexes | join(', ') ~ ')' -%}
        {%- for row in run_query(fetch_sql).rows -%}
            {%- set entry = quantiles[row[0] | int] -%}
            {%- if row[1] is not none and row[2] is not none -%}
                {%- do entry.quantiles.update({levels[(row[1] | int) - 1]: row[2] | float}) -%}
            {%- endif -%}
            {%- do entry.update({'mean': none if row[3] is none else row[3] | float,
                                 'stddev': none if row[4] is none else row[4] | float}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set bounds = {} -%}
    {%- for column in numeric_columns -%}
        {%- do bounds.update({column.column_index: dqp._dqp_reference_bounds(quantiles[column.column_index], settings, psi_levels)}) -%}
    {%- endfor -%}
    {{ return({'quantiles': quantiles, 'bounds': bounds}) }}
{% endmacro %}
