{#- The columns of one dqp table, in storage order, as [name, portable type]
    pairs (the spec: _dqp_storage_spec, generated from dqp_runner/storage_spec.py). -#}
{% macro _dqp_storage_columns(table_name) %}
    {%- set spec = dqp._dqp_storage_spec() -%}
    {%- if table_name not in spec -%}
        {%- do dqp._dqp_raise_error("_dqp_storage_columns: no dqp table named '" ~ table_name ~ "'") -%}
    {%- endif -%}
    {{ return(spec[table_name]) }}
{% endmacro %}
