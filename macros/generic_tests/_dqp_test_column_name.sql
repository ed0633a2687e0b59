{#- The column a column-level dqp test reads, as the warehouse names it: dbt
    passes a column declared with `quote: true` already quoted, and the dqp
    tables store names unquoted. -#}
{% macro _dqp_test_column_name(column_name) %}
    {%- set name = column_name | string -%}
    {%- set quote_char = dqp.dqp_quote_identifier('x')[0] -%}
    {%- if name | length >= 2 and name.startswith(quote_char) and name.endswith(quote_char) -%}
        {%- set name = name[1:-1].replace(quote_char ~ quote_char, quote_char) -%}
    {%- endif -%}
    {{ return(name) }}
{% endmacro %}
