{#- Exact-typed numeric columns (integers, decimals) are counted on their own
    type, but every statistic is computed on a double, which is exact only up
    to 2^53 in magnitude (15-17 significant digits). For a column whose
    reference values reach 2^53, the statistics are computed on
    (value - offset) cast to double instead, with offset = the reference
    minimum in the column's own type, so they stay exact while the column's
    spread stays under 2^53; they are stored relative to that offset
    (dqp_column_profiles.value_offset). Marks each column dict with
    exact_type and value_offset (text, or none). One aggregate query over the
    reference side, only when there are exact-typed numeric columns. -#}
{% macro _dqp_fetch_value_offsets(dataset, row_filter) %}
    {%- set exact_columns = [] -%}
    {%- for column in dataset.columns -%}
        {%- set exact_sides = [] -%}
        {%- for data_type in [column.data_type, column.reference_data_type] -%}
            {%- set type_name = (data_type or '') | lower -%}
            {%- if 'int' in type_name or 'decimal' in type_name or 'numeric' in type_name -%}
                {%- do exact_sides.append(data_type) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set exact = column.read_as == 'numeric' and exact_sides | length == 2 -%}
        {%- do column.update({'exact_type': exact, 'value_offset': none}) -%}
        {%- if exact -%}{%- do exact_columns.append(column) -%}{%- endif -%}
    {%- endfor -%}
    {%- if exact_columns | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- set expressions = [] -%}
    {%- for column in exact_columns -%}
        {%- set quoted = dqp.dqp_quote_identifier(column.name) -%}
        {%- do expressions.append('cast(min(' ~ quoted ~ ') as ' ~ dbt.type_string() ~ ')') -%}
        {%- do expressions.append('greatest(abs(cast(min(' ~ quoted ~ ') as ' ~ dqp.dqp_type_double() ~ ')), abs(cast(max('
            ~ quoted ~ ') as ' ~ dqp.dqp_type_double() ~ ')))') -%}
    {%- endfor -%}
    {%- set row = run_query('select ' ~ expressions | join(',\n    ') ~ '\nfrom ' ~ dqp.dqp_quote_relation(dataset.reference.relation)
        ~ ((' where ' ~ row_filter) if row_filter else '')).rows[0] -%}
    {%- for column in exact_columns -%}
        {%- set minimum, magnitude = row[loop.index0 * 2], row[loop.index0 * 2 + 1] -%}
        {#- the offset is cast to the column's own type, so only a plain type name is rendered -#}
        {%- if magnitude is not none and magnitude | float >= 9007199254740992.0
            and modules.re.match('^[A-Za-z0-9_ (),]+$', column.reference_data_type) -%}
            {%- do column.update({'value_offset': minimum | string | trim}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
