{#- Every model, seed, snapshot or source table that declares `meta: dqp:`
    (directly or under `config: meta:`), as a list of {node, declaration,
    dataset_name}: dataset_name as declared, defaulted to the node's name
    (_dqp_declared_dataset_name), not yet validated. -#}
{% macro dqp_declared_datasets() %}
    {%- set declared = [] -%}
    {%- if not execute -%}{{ return(declared) }}{%- endif -%}
    {%- for node in graph.nodes.values() | list + graph.sources.values() | list -%}
        {%- if node.resource_type in ['model', 'seed', 'snapshot', 'source'] -%}
            {%- set declaration = dqp._dqp_node_declaration(node) -%}
            {%- if declaration is not none -%}
                {%- do declared.append({'node': node, 'declaration': declaration,
                    'dataset_name': dqp._dqp_declared_dataset_name(node, declaration)}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(declared | sort(attribute='node.unique_id')) }}
{% endmacro %}
