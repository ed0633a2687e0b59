{#- Bound every dqp statement on this connection; 0 lifts the bound. -#}
{% macro dqp_set_statement_timeout(seconds) %}
    {{ return(adapter.dispatch('dqp_set_statement_timeout', 'dqp')(seconds)) }}
{% endmacro %}

{% macro default__dqp_set_statement_timeout(seconds) %}
    {% do run_query("set statement_timeout = " ~ ((seconds | int) * 1000)) %}
{% endmacro %}

{#- DuckDB has no per-statement timeout; dqp's budgets bound its work there. -#}
{% macro duckdb__dqp_set_statement_timeout(seconds) %}{% endmacro %}
