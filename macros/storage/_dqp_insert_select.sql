{#- Insert the rows of a query into a dqp table by column name: the query
    names each of the table's columns (aliases), in any order; the insert
    lists them in the spec's order. -#}
{% macro _dqp_insert_select(relation, table_name, select_sql) %}
    {%- set column_names = dqp._dqp_storage_columns(table_name) | map(attribute=0) | join(', ') -%}
    {%- call statement('dqp_insert_select', fetch_result=false) -%}
        insert into {{ relation }} ({{ column_names }})
        select {{ column_names }}
        from (
            {{ select_sql }}
        ) as named_rows
    {%- endcall -%}
{% endmacro %}
