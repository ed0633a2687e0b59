{#- The value when it is a finite number, else NULL. NaN compares above
    +Infinity on PostgreSQL and DuckDB and is unordered in IEEE, so this one
    range test drops NULL, NaN and both infinities everywhere. -#}
{% macro dqp_finite_value(expression) -%}
    case
        when {{ expression }} > {{ dqp.dqp_infinity(-1) }}
            and {{ expression }} < {{ dqp.dqp_infinity(1) }}
            then {{ expression }}
    end
{%- endmacro %}
