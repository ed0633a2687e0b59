{#- The warehouse integer type names (PostgreSQL and DuckDB spellings), the
    one list _dqp_column_is_integer and _dqp_column_type_kind share. -#}
{% macro _dqp_integer_type_names() %}
    {{ return(['integer', 'bigint', 'smallint', 'tinyint', 'hugeint', 'ubigint', 'uinteger', 'usmallint', 'utinyint',
        'uhugeint', 'int', 'int2', 'int4', 'int8']) }}
{% endmacro %}
