{#- SQL CASE mapping a positional column_index back to a column's name or
    position, for inserts that stay inside the warehouse. -#}
{% macro _dqp_column_name_case(columns, attribute) %}
    case column_index
    {%- for column in columns %}
        when {{ column.column_index }} then {{ dqp.dqp_string_literal(column[attribute]) if attribute == 'name' else column[attribute] }}
    {%- endfor %}
    end
{% endmacro %}
