{#- Bound every dqp statement of the current transaction (SET LOCAL): the
    session's own statement_timeout comes back when it ends. 0 lifts the
    bound. dbt has opened the transaction (every statement after a commit
    opens one), so SET LOCAL applies. -#}
{% macro dqp_set_statement_timeout(seconds) %}
    {{ return(adapter.dispatch('dqp_set_statement_timeout', 'dqp')(seconds)) }}
{% endmacro %}

{% macro default__dqp_set_statement_timeout(seconds) %}
    {% do run_query("set local statement_timeout = " ~ ((seconds | int) * 1000)) %}
{% endmacro %}

{#- DuckDB has no per-statement timeout; dqp's budgets bound its work there. -#}
{% macro duckdb__dqp_set_statement_timeout(seconds) %}{% endmacro %}
