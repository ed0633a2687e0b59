{#- The reference side's quantiles of every numeric column (quartiles, PSI
    and KS levels, one sort per column) and the bounds derived from them
    (_dqp_reference_bounds: IQR and z-score fences, PSI and KS edges).
    Returns {'quantiles': {column_index: ...}, 'bounds': {column_index: ...}}. -#}
{% macro _dqp_fetch_reference_cuts(dataset, source_sql) %}
    {%- set settings = dataset.settings -%}
    {%- set numeric_columns = dataset.columns | selectattr('read_as', 'equalto', 'numeric') | list -%}
    {%- set quartile_levels = [0.25, 0.5, 0.75] -%}
    {%- set psi_levels = [] -%}
    {%- for cut in range(1, settings.psi_bins) -%}{%- do psi_levels.append(cut / settings.psi_bins) -%}{%- endfor -%}
    {%- set ks_levels = [] -%}
    {%- for cut in range(1, settings.ks_quantile_edges) -%}{%- do ks_levels.append(cut / settings.ks_quantile_edges) -%}{%- endfor -%}
    {#- The KS cuts include the PSI edges, so PSI bins can be summed from KS counts. -#}
    {%- set ks_levels = (ks_levels + psi_levels) | unique | sort -%}
    {%- set quantiles = dqp._dqp_fetch_quantiles(source_sql, numeric_columns, (quartile_levels + ks_levels) | unique | sort) -%}
    {%- set bounds = {} -%}
    {%- for column in numeric_columns -%}
        {%- do bounds.update({column.column_index: dqp._dqp_reference_bounds(quantiles[column.column_index], settings, psi_levels, ks_levels)}) -%}
    {%- endfor -%}
    {{ return({'quantiles': quantiles, 'bounds': bounds}) }}
{% endmacro %}
