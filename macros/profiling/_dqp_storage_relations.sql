{#- The dqp storage tables as built by this package's models, by model name,
    rendered for SQL (dqp_quote_relation). Fails clearly when they have not
    been built yet. -#}
{% macro _dqp_storage_relations(names) %}
    {%- set relations = {} -%}
    {%- for name in names -%}
        {%- set node = graph.nodes.get('model.dqp.' ~ name) -%}
        {%- if node is none -%}
            {%- do dqp._dqp_raise_error("model dqp." ~ name ~ " is missing from the project graph; is the dqp package installed (dbt deps)?") -%}
        {%- endif -%}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias or node.name) -%}
        {%- if relation is none -%}
            {%- do dqp._dqp_raise_error("storage table " ~ node.schema ~ "." ~ (node.alias or node.name) ~ " does not exist yet; build the dqp models once with `dbt run --select package:dqp` (a full `dbt run` or `dbt build` does it too)") -%}
        {%- endif -%}
        {%- do relations.update({name: dqp.dqp_quote_relation(relation)}) -%}
    {%- endfor -%}
    {{ return(relations) }}
{% endmacro %}
