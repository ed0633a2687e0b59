{#- Turn the engine's JIT compilation off (false) or on (true) for the
    current transaction only (SET LOCAL), so the session's own setting comes
    back when it ends. PostgreSQL's JIT spends
    seconds compiling dqp's wide one-off aggregates and wins nothing back on
    them. -#}
{% macro dqp_set_jit(enabled) %}
    {{ return(adapter.dispatch('dqp_set_jit', 'dqp')(enabled)) }}
{% endmacro %}

{% macro default__dqp_set_jit(enabled) %}{% endmacro %}

{% macro postgres__dqp_set_jit(enabled) %}
    {% do run_query('set local jit = ' ~ ('on' if enabled else 'off')) %}
{% endmacro %}
