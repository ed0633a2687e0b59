{#- A derived table of one side: every profiled column cast once to the type
    its statistics need and renamed to a positional alias (dqp_c1, ...), so
    user identifiers are quoted here and nowhere else. -#}
{% macro _dqp_side_source(dataset, relation, row_filter) %}
    {%- set projections = [] -%}
    {%- for column in dataset.columns -%}
        {%- set quoted = adapter.quote(column.name) -%}
        {%- if column.temporal -%}
            {%- do projections.append(dqp.dqp_epoch_seconds(quoted) ~ ' as ' ~ column.alias) -%}
        {%- elif column.type_kind == 'numeric' -%}
            {%- do projections.append('cast(' ~ quoted ~ ' as ' ~ dqp.dqp_type_double() ~ ') as ' ~ column.alias) -%}
        {%- elif column.type_kind == 'categorical' -%}
            {%- do projections.append('cast(' ~ quoted ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ column.alias) -%}
        {%- else -%}
            {%- do projections.append(quoted ~ ' as ' ~ column.alias) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if projections | length == 0 -%}{%- do projections.append('1 as dqp_no_columns') -%}{%- endif -%}
    {{ return('(select ' ~ projections | join(', ') ~ ' from ' ~ relation
        ~ ((' where ' ~ row_filter) if row_filter else '') ~ ') as dqp_source') }}
{% endmacro %}
