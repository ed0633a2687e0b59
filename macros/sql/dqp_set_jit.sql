{#- Turn the engine's JIT compilation off for dqp's statements (false) or
    back to the server default (true). PostgreSQL's JIT spends seconds
    compiling dqp's wide one-off aggregates and wins nothing back on them. -#}
{% macro dqp_set_jit(enabled) %}
    {{ return(adapter.dispatch('dqp_set_jit', 'dqp')(enabled)) }}
{% endmacro %}

{% macro default__dqp_set_jit(enabled) %}{% endmacro %}

{% macro postgres__dqp_set_jit(enabled) %}
    {% do run_query('reset jit' if enabled else 'set jit = off') %}
{% endmacro %}
