{#- Seconds since 1970-01-01 00:00:00 UTC as a double, for a date or a
    timestamp expression. A timestamp with time zone gives its instant; a
    timestamp without one (or a date, at midnight) is read as UTC wall time,
    as the time windows read it. Exact to the microsecond within about 140
    years of 1970 (a double holds 2^53 microseconds). -#}
{% macro dqp_epoch_seconds(expression) %}
    {{ return(adapter.dispatch('dqp_epoch_seconds', 'dqp')(expression)) }}
{% endmacro %}

{% macro default__dqp_epoch_seconds(expression) %}
    {{ return('cast(extract(epoch from ' ~ expression ~ ') as ' ~ dqp.dqp_type_double() ~ ')') }}
{% endmacro %}
