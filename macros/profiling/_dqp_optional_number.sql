{#- A fetched value as int or float, keeping NULL as None (Jinja's int/float
    filters would turn it into 0). -#}
{% macro _dqp_optional_number(value, kind) %}
    {%- if value is none -%}{{ return(none) }}{%- endif -%}
    {{ return(value | int if kind == 'int' else value | float) }}
{% endmacro %}
