{#- The warehouse relation a graph node (model, seed, snapshot or source) builds or names. -#}
{% macro _dqp_node_relation(node) %}
    {{ return(api.Relation.create(
        database=node.database,
        schema=node.schema,
        identifier=node.get('alias') or node.get('identifier') or node.name
    )) }}
{% endmacro %}
