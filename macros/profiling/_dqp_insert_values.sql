{#- Insert rendered row tuples into a storage table, in batches so no single
    statement grows without bound. -#}
{% macro _dqp_insert_values(relation, column_names, rows, batch_size=500) %}
    {%- for batch in rows | batch(batch_size) -%}
        {%- call statement('dqp_insert', fetch_result=false) -%}
            insert into {{ relation }} ({{ column_names | join(', ') }})
            values
            {{ batch | join(',\n') }}
        {%- endcall -%}
    {%- endfor -%}
{% endmacro %}
