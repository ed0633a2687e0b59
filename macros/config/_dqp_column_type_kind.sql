{#- 'numeric', 'categorical' (strings and booleans), 'temporal' (dates and
    timestamps, with or without a time zone; profiled as epoch seconds) or
    'other' (times of day, intervals, structs...) from the warehouse type of an
    adapter Column. -#}
{% macro _dqp_column_type_kind(column) %}
    {%- set data_type = (column.data_type or column.dtype or '') | lower -%}
    {%- if 'bool' in data_type -%}
        {{ return('categorical') }}
    {%- elif column.is_integer() or column.is_float() or column.is_numeric()
        or data_type.split('(')[0] in ['double', 'real', 'float', 'float4', 'float8', 'decimal', 'numeric',
            'double precision'] + dqp._dqp_integer_type_names() -%}
        {{ return('numeric') }}
    {%- elif column.is_string() or data_type.split('(')[0] in ['text', 'varchar', 'character varying', 'char', 'character', 'string', 'bpchar'] -%}
        {{ return('categorical') }}
    {%- elif data_type.split('(')[0].startswith('timestamp') or data_type.split('(')[0] in ['date', 'datetime'] -%}
        {{ return('temporal') }}
    {%- else -%}
        {{ return('other') }}
    {%- endif -%}
{% endmacro %}
