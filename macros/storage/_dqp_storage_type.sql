{#- A portable storage type of _dqp_storage_spec, rendered for the adapter. -#}
{% macro _dqp_storage_type(storage_type) %}
    {%- if storage_type == 'string' -%}{{ return(dbt.type_string()) }}
    {%- elif storage_type == 'int' -%}{{ return(dbt.type_int()) }}
    {%- elif storage_type == 'bigint' -%}{{ return(dbt.type_bigint()) }}
    {%- elif storage_type == 'double' -%}{{ return(dqp.dqp_type_double()) }}
    {%- elif storage_type == 'boolean' -%}{{ return(dbt.type_boolean()) }}
    {%- elif storage_type == 'timestamp' -%}{{ return(dbt.type_timestamp()) }}
    {%- endif -%}
    {%- do dqp._dqp_raise_error("_dqp_storage_type: unknown storage type '" ~ storage_type ~ "'") -%}
{% endmacro %}
