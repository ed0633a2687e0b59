{#- 64-bit float type. dbt.type_float() is a 32-bit FLOAT on DuckDB, too coarse
    for statistics compared at 1e-9. -#}
{% macro dqp_type_double() %}
    {{ return(adapter.dispatch('dqp_type_double', 'dqp')()) }}
{% endmacro %}

{% macro default__dqp_type_double() %}double precision{% endmacro %}

{% macro duckdb__dqp_type_double() %}double{% endmacro %}
