{#- How to read a seeded uniform sample of `percent` % of one relation's rows:
    {'clause': text after the relation's alias, 'predicate': a where-clause
    term or none, 'method': stored as dqp_profile_runs.<side>_sample_method}.
    Both engines sample each row independently (Bernoulli), with a fixed
    seed, so a rerun on the same data keeps the same rows. -#}
{% macro _dqp_sample_clause(relation, percent, seed) %}
    {{ return(adapter.dispatch('_dqp_sample_clause', 'dqp')(relation, percent, seed)) }}
{% endmacro %}

{#- DuckDB samples any relation, views included, before the row filter. -#}
{% macro default___dqp_sample_clause(relation, percent, seed) %}
    {{ return({'clause': 'tablesample bernoulli(' ~ '%.12f' | format(percent) ~ ' percent) repeatable (' ~ seed ~ ')',
               'predicate': none, 'method': 'bernoulli'}) }}
{% endmacro %}

{% macro duckdb___dqp_sample_clause(relation, percent, seed) %}
    {{ return(dqp.default___dqp_sample_clause(relation, percent, seed)) }}
{% endmacro %}

{#- PostgreSQL's TABLESAMPLE reads tables and materialized views only. Any
    other relation (a view) keeps a row when a seeded hash of the whole row's
    text falls under the fraction: deterministic and uniform over distinct
    rows, but identical rows are kept or dropped together. -#}
{% macro postgres___dqp_sample_clause(relation, percent, seed) %}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if found is not none and found.type in ['table', 'materialized_view'] -%}
        {{ return({'clause': 'tablesample bernoulli (' ~ '%.12f' | format(percent) ~ ') repeatable (' ~ seed ~ ')',
                   'predicate': none, 'method': 'bernoulli'}) }}
    {%- endif -%}
    {%- set cells = '%d' | format((percent * 10000) | round(0, 'ceil')) -%}
    {{ return({'clause': '',
               'predicate': "mod(abs(cast(hashtext('" ~ seed ~ ":' || cast(dqp_row as text)) as bigint)), 1000000) < " ~ cells,
               'method': 'row_hash'}) }}
{% endmacro %}
