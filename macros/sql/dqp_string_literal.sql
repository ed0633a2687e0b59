{#- Render any Python value as an escaped SQL string literal (or NULL). User
    strings reach SQL only through here, as values, or dqp_quote_identifier,
    as names. -#}
{% macro dqp_string_literal(value) -%}
    {%- if value is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        '{{ (value | string).replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}
