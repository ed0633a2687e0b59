{#- Positive or negative infinity as a double literal. -#}
{% macro dqp_infinity(sign=1) %}
    {{ return(adapter.dispatch('dqp_infinity', 'dqp')(sign)) }}
{% endmacro %}

{% macro default__dqp_infinity(sign=1) -%}
    cast('{{ "-" if sign < 0 else "" }}Infinity' as {{ dqp.dqp_type_double() }})
{%- endmacro %}
