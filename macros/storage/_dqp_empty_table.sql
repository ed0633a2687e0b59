{#- The body of a storage or audit model: one typed row that is never there,
    so the table's columns and types are exactly the spec's. -#}
{% macro _dqp_empty_table(table_name) %}
select
{%- for column_name, storage_type in dqp._dqp_storage_columns(table_name) %}
    cast(null as {{ dqp._dqp_storage_type(storage_type) }}) as {{ column_name }}{{ ',' if not loop.last }}
{%- endfor %}
where 1 = 0
{% endmacro %}
