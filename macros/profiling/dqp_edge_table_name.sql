{#- The connection-local temporary edge table one dataset's binned pass reads:
    (column_index, level_index, is_edge, edge_value, mean_value,
    stddev_value). The grouped pass bins at the distinct edge_value of the
    rows with is_edge, per column_index; level_index and the moments are set
    only when the table was filled from reference quantiles. -#}
{% macro dqp_edge_table_name() %}
    {{ return(dqp.dqp_temp_relation('dqp_edge_stage')) }}
{% endmacro %}
