{#- From the reference quantiles and moments of one column: IQR fences
    (Q1 - k*IQR, Q3 + k*IQR), z-score fences (mean -/+ z*stddev), and the
    merged PSI edges (the KS edges stay in the edge table). All None / empty when the reference has no
    finite values. -#}
{% macro _dqp_reference_bounds(reference_stats, settings, psi_levels) %}
    {%- set quantiles = reference_stats.quantiles -%}
    {%- set bounds = {'iqr_lower': none, 'iqr_upper': none, 'z_lower': none, 'z_upper': none,
                      'psi_edges': []} -%}
    {%- if quantiles.get(0.25) is not none and quantiles.get(0.75) is not none -%}
        {%- set q1, q3 = quantiles[0.25], quantiles[0.75] -%}
        {%- do bounds.update({'iqr_lower': q1 - settings.iqr_multiplier * (q3 - q1),
                              'iqr_upper': q3 + settings.iqr_multiplier * (q3 - q1)}) -%}
    {%- endif -%}
    {%- if reference_stats.mean is not none and reference_stats.stddev is not none -%}
        {%- do bounds.update({'z_lower': reference_stats.mean - settings.zscore_threshold * reference_stats.stddev,
                              'z_upper': reference_stats.mean + settings.zscore_threshold * reference_stats.stddev}) -%}
    {%- endif -%}
    {%- set edges = [] -%}
    {%- for level in psi_levels -%}
        {%- if quantiles.get(level) is not none -%}{%- do edges.append(quantiles[level]) -%}{%- endif -%}
    {%- endfor -%}
    {%- do bounds.update({'psi_edges': edges | unique | sort}) -%}
    {{ return(bounds) }}
{% endmacro %}
