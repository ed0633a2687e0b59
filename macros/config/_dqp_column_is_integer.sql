{#- Whether an adapter Column has an integer type, which can hold neither NaN
    nor +/-Infinity: the profiler then skips those checks for it. -#}
{% macro _dqp_column_is_integer(column) %}
    {%- set data_type = (column.data_type or column.dtype or '') | lower -%}
    {{ return(column.is_integer() or data_type.split('(')[0] in dqp._dqp_integer_type_names()) }}
{% endmacro %}
