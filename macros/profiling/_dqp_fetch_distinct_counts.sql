{#- Distinct non-null values per column on one side (NaN not counted as a
    value; infinities are). A hash or sort per column, so it is a statement of
    its own: inside the one pass it would make that pass sort and, on
    PostgreSQL, rule out a parallel scan. Integer and decimal columns are
    counted on their own type (dqp_cN_exact), not the double, which would
    merge values beyond 15-17 significant digits. Returns {column_index: n}. -#}
{% macro _dqp_fetch_distinct_counts(source_sql, columns) %}
    {%- set expressions = [] -%}
    {%- for column in columns -%}
        {%- set counted = column.alias -%}
        {%- if column.get('exact_type') -%}
            {%- set counted = column.alias ~ '_exact' -%}
        {%- elif column.read_as == 'numeric' and not column.finite_only -%}
            {%- set counted = 'case when not ' ~ dqp.dqp_is_nan(counted) ~ ' then ' ~ counted ~ ' end' -%}
        {%- endif -%}
        {%- do expressions.append('count(distinct ' ~ counted ~ ') as c' ~ column.column_index) -%}
    {%- endfor -%}
    {%- set counts = {} -%}
    {%- if expressions | length == 0 -%}{{ return(counts) }}{%- endif -%}
    {%- set row = run_query('select ' ~ expressions | join(',\n    ') ~ '\nfrom ' ~ source_sql).rows[0] -%}
    {%- for column in columns -%}
        {%- do counts.update({column.column_index: row[loop.index0] | int}) -%}
    {%- endfor -%}
    {{ return(counts) }}
{% endmacro %}
