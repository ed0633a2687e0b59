{#- True when a double is NaN. PostgreSQL sorts NaN as equal to itself and
    above every number, so the comparison form is exact there. -#}
{% macro dqp_is_nan(expression) %}
    {{ return(adapter.dispatch('dqp_is_nan', 'dqp')(expression)) }}
{% endmacro %}

{% macro default__dqp_is_nan(expression) %}({{ expression }} <> {{ expression }}){% endmacro %}

{% macro postgres__dqp_is_nan(expression) %}({{ expression }} = cast('NaN' as double precision)){% endmacro %}

{% macro duckdb__dqp_is_nan(expression) %}isnan({{ expression }}){% endmacro %}
