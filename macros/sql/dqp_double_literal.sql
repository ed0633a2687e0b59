{#- Render a number as a double or bigint literal, or a typed NULL. Floats go
    through repr so the warehouse parses back the exact same double. -#}
{% macro dqp_double_literal(value) -%}
    {%- if value is none -%}
        cast(null as {{ dqp.dqp_type_double() }})
    {%- else -%}
        cast('{{ value | float }}' as {{ dqp.dqp_type_double() }})
    {%- endif -%}
{%- endmacro %}
