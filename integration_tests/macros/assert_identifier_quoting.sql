{#- `dbt run-operation assert_identifier_quoting` (test_hostile_names.py):
    dqp_quote_identifier and dqp_quote_relation render hostile names as
    expected, and the warehouse accepts them: a schema and a table named with
    quotes are created, written, read back and dropped through them. -#}
{% macro assert_identifier_quoting() %}
    {%- set expected = [
        ('plain', '"plain"'),
        ('a"b', '"a""b"'),
        ('""', '""""""'),
        ("it's", '"it\'s"'),
        ('semi;colon', '"semi;colon"'),
        ('dash--dash', '"dash--dash"'),
        ('back\\slash', '"back\\slash"'),
        ('prix_€_ü', '"prix_€_ü"'),
        ('select', '"select"'),
    ] -%}
    {%- for name, quoted in expected -%}
        {%- if dqp.dqp_quote_identifier(name) != quoted -%}
            {{ exceptions.raise_compiler_error('dqp_quote_identifier(' ~ name ~ ') gave ' ~ dqp.dqp_quote_identifier(name) ~ ', expected ' ~ quoted) }}
        {%- endif -%}
    {%- endfor -%}

    {%- set schema_name = target.schema ~ '_odd"schema' -%}
    {%- set relation = api.Relation.create(database=target.database, schema=schema_name, identifier='t"1; --') -%}
    {%- set rendered = dqp.dqp_quote_relation(relation) -%}
    {%- if not rendered.endswith('."' ~ target.schema ~ '_odd""schema"."t""1; --"') -%}
        {{ exceptions.raise_compiler_error('dqp_quote_relation gave ' ~ rendered) }}
    {%- endif -%}
    {%- do log('dqp_quote_relation: ' ~ rendered ~ ' (dbt renders ' ~ relation ~ ')', info=true) -%}
    {%- do run_query('create schema ' ~ dqp.dqp_quote_identifier(schema_name)) -%}
    {%- do run_query('create table ' ~ rendered ~ ' (' ~ dqp.dqp_quote_identifier('a"b') ~ ' integer)') -%}
    {%- do run_query('insert into ' ~ rendered ~ ' (' ~ dqp.dqp_quote_identifier('a"b') ~ ') values (42)') -%}
    {%- set value = run_query('select ' ~ dqp.dqp_quote_identifier('a"b') ~ ' from ' ~ rendered).columns[0].values()[0] -%}
    {%- do run_query('drop schema ' ~ dqp.dqp_quote_identifier(schema_name) ~ ' cascade') -%}
    {%- if value != 42 -%}
        {{ exceptions.raise_compiler_error('read back ' ~ value ~ ' from ' ~ rendered ~ ', expected 42') }}
    {%- endif -%}
    {%- do log('identifier quoting: ok', info=true) -%}
{% endmacro %}
