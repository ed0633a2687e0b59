{#- The select expressions counting each column's distinct non-null values on
    one side (NaN not counted as a value; infinities are), aliased cN_distinct.
    A hash or sort per column, so _dqp_fetch_counts runs them as a second
    aggregate beside the streaming one, in the same statement: inside that
    pass they would make it sort and, on PostgreSQL, rule out a parallel scan.
    Integer and decimal columns are counted on their own type (dqp_cN_exact),
    not the double, which would merge values beyond 15-17 significant digits. -#}
{% macro _dqp_distinct_count_expressions(columns) %}
    {%- set expressions = [] -%}
    {%- for column in columns -%}
        {%- set counted = column.alias -%}
        {%- if column.get('exact_type') -%}
            {%- set counted = column.alias ~ '_exact' -%}
        {%- elif column.read_as == 'numeric' and not column.finite_only -%}
            {%- set counted = 'case when not ' ~ dqp.dqp_is_nan(counted) ~ ' then ' ~ counted ~ ' end' -%}
        {%- endif -%}
        {%- do expressions.append('count(distinct ' ~ counted ~ ') as c' ~ column.column_index ~ '_distinct') -%}
    {%- endfor -%}
    {{ return(expressions) }}
{% endmacro %}
