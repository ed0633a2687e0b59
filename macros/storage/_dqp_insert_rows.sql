{#- Insert rows into a dqp table, each row a mapping from column name to a
    rendered SQL value; a column the row leaves out is written NULL. Values go
    in the spec's column order, in batches so no single statement grows
    without bound. A key the table does not have is an error (a typo would
    otherwise drop a value silently). -#}
{% macro _dqp_insert_rows(relation, table_name, rows, batch_size=500) %}
    {%- set column_names = dqp._dqp_storage_columns(table_name) | map(attribute=0) | list -%}
    {%- set tuples = [] -%}
    {%- for row in rows -%}
        {%- for key in row if key not in column_names -%}
            {%- do dqp._dqp_raise_error("_dqp_insert_rows: " ~ table_name ~ " has no column '" ~ key ~ "'") -%}
        {%- endfor -%}
        {%- set values = [] -%}
        {%- for column_name in column_names -%}
            {%- set value = row.get(column_name) -%}
            {%- do values.append('null' if value is none else value) -%}
        {%- endfor -%}
        {%- do tuples.append('(' ~ values | join(', ') ~ ')') -%}
    {%- endfor -%}
    {%- for batch in tuples | batch(batch_size) -%}
        {%- call statement('dqp_insert', fetch_result=false) -%}
            insert into {{ relation }} ({{ column_names | join(', ') }})
            values
            {{ batch | join(',\n') }}
        {%- endcall -%}
    {%- endfor -%}
{% endmacro %}
