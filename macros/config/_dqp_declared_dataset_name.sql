{#- The one place the dataset_name default is applied: meta.dqp.dataset_name,
    else the declaring node's name. Returned as declared (untrimmed, any
    type); dqp_resolve_dataset validates it. -#}
{% macro _dqp_declared_dataset_name(node, declaration) %}
    {{ return(declaration.get('dataset_name', node.name) if declaration is mapping else node.name) }}
{% endmacro %}
