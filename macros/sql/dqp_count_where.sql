{#- The number of rows where a boolean SQL condition is true, as an aggregate
    expression. DuckDB's count_if evaluates it in about 0.6x the time of the
    portable count(case when ... then 1 end) in the one-pass statement (20
    double columns, 1M rows, measured on this project's machine). -#}
{% macro dqp_count_where(condition) %}
    {{ return(adapter.dispatch('dqp_count_where', 'dqp')(condition)) }}
{% endmacro %}

{% macro default__dqp_count_where(condition) %}count(case when {{ condition }} then 1 end){% endmacro %}

{% macro duckdb__dqp_count_where(condition) %}count_if({{ condition }}){% endmacro %}
