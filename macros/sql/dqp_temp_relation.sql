{#- A connection-local temporary table name, schema-qualified where the
    engine allows, so dropping it can never touch a user's table. -#}
{% macro dqp_temp_relation(name) %}
    {{ return(adapter.dispatch('dqp_temp_relation', 'dqp')(name)) }}
{% endmacro %}

{% macro default__dqp_temp_relation(name) %}
    {{ return(dqp.dqp_quote_identifier(name)) }}
{% endmacro %}

{% macro postgres__dqp_temp_relation(name) %}
    {{ return('pg_temp.' ~ dqp.dqp_quote_identifier(name)) }}
{% endmacro %}

{% macro duckdb__dqp_temp_relation(name) %}
    {{ return('temp.main.' ~ dqp.dqp_quote_identifier(name)) }}
{% endmacro %}
