{#- An array (list) literal of doubles, e.g. reference edges inlined into a
    query. Empty lists are typed too. -#}
{% macro dqp_double_array_literal(values) %}
    {{ return(adapter.dispatch('dqp_double_array_literal', 'dqp')(values)) }}
{% endmacro %}

{% macro default__dqp_double_array_literal(values) %}
    {{ return('array[' ~ values | map('float') | join(', ') ~ ']::' ~ dqp.dqp_type_double() ~ '[]') }}
{% endmacro %}
