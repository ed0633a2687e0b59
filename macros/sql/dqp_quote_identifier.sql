{#- Quote one identifier (a column, table or schema name) for SQL: every
    embedded quote character is doubled, so no name can close the quotes and
    write SQL of its own. Every identifier dqp writes into SQL goes through
    here (relations through dqp_quote_relation). -#}
{% macro dqp_quote_identifier(name) %}
    {{ return(adapter.dispatch('dqp_quote_identifier', 'dqp')(name)) }}
{% endmacro %}

{#- Standard SQL (PostgreSQL, DuckDB): "name", with " doubled. -#}
{% macro default__dqp_quote_identifier(name) %}
    {{ return('"' ~ (name | string).replace('"', '""') ~ '"') }}
{% endmacro %}
