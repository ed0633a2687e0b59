{#- Quantiles (at `levels`), mean and stddev of each numeric column's finite
    values on one side, fetched as {column_index: {'quantiles': {level: value},
    'mean': m, 'stddev': s}}. One sort per column: the only sorting step. -#}
{% macro _dqp_fetch_quantiles(source_sql, columns, levels) %}
    {%- set by_column = {} -%}
    {%- if columns | length == 0 -%}{{ return(by_column) }}{%- endif -%}
    {%- set queries = [] -%}
    {%- for column in columns -%}
        {%- do queries.append(dqp.dqp_quantiles_query(source_sql, column.alias, column.column_index, levels)) -%}
        {%- do by_column.update({column.column_index: {'quantiles': {}, 'mean': none, 'stddev': none}}) -%}
    {%- endfor -%}
    {%- for row in run_query(queries | join('\nunion all\n')).rows -%}
        {%- set entry = by_column[row[0] | int] -%}
        {%- if row[2] is not none -%}
            {%- do entry.quantiles.update({levels[(row[1] | int) - 1]: row[2] | float}) -%}
        {%- endif -%}
        {%- do entry.update({'mean': none if row[3] is none else row[3] | float,
                             'stddev': none if row[4] is none else row[4] | float}) -%}
    {%- endfor -%}
    {{ return(by_column) }}
{% endmacro %}
