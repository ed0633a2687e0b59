{#- A derived table of one side: every profiled column cast once to the type
    its statistics need and renamed to a positional alias (dqp_c1, ...), so
    user column names are quoted here (dqp_quote_identifier) and every later
    query reads only the aliases. Numeric columns of an exact type also keep
    their own value (dqp_cN_exact) for the distinct count, and a column with a
    value_offset (_dqp_fetch_value_offsets) is read relative to it. With
    sample, only a seeded sample of the relation's rows is read. -#}
{% macro _dqp_side_source(dataset, relation, row_filter, sample=none) %}
    {%- set projections = [] -%}
    {%- for column in dataset.columns -%}
        {%- set quoted = dqp.dqp_quote_identifier(column.name) -%}
        {%- if column.temporal -%}
            {%- do projections.append(dqp.dqp_epoch_seconds(quoted) ~ ' as ' ~ column.alias) -%}
        {%- elif column.read_as == 'numeric' -%}
            {%- set value = quoted -%}
            {%- if column.get('value_offset') is not none -%}
                {%- set value = '(' ~ quoted ~ ' - cast(' ~ dqp.dqp_string_literal(column.value_offset) ~ ' as ' ~ column.reference_data_type ~ '))' -%}
            {%- endif -%}
            {%- do projections.append('cast(' ~ value ~ ' as ' ~ dqp.dqp_type_double() ~ ') as ' ~ column.alias) -%}
            {%- if column.get('exact_type') -%}
                {#- counted on its own type: distinct values a double would merge stay apart -#}
                {%- do projections.append(quoted ~ ' as ' ~ column.alias ~ '_exact') -%}
            {%- endif -%}
        {%- elif column.read_as == 'categorical' -%}
            {%- do projections.append('cast(' ~ quoted ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ column.alias) -%}
        {%- else -%}
            {%- do projections.append(quoted ~ ' as ' ~ column.alias) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if projections | length == 0 -%}{%- do projections.append('1 as dqp_no_columns') -%}{%- endif -%}
    {#- a sample (_dqp_sample_clause) reads the relation as dqp_row: its clause follows the alias -#}
    {%- set conditions = ([row_filter] if row_filter else []) + ([sample.predicate] if sample and sample.predicate else []) -%}
    {{ return('(select ' ~ projections | join(', ') ~ ' from ' ~ dqp.dqp_quote_relation(relation)
        ~ ((' as dqp_row ' ~ sample.clause) if sample else '')
        ~ ((' where ' ~ conditions | join(' and ')) if conditions else '') ~ ') as dqp_source') }}
{% endmacro %}
