{#- Every model, seed, snapshot or source table that declares `meta: dqp:`
    (directly or under `config: meta:`), as a list of {node, declaration}. -#}
{% macro dqp_declared_datasets() %}
    {%- set declared = [] -%}
    {%- if not execute -%}{{ return(declared) }}{%- endif -%}
    {%- for node in graph.nodes.values() | list + graph.sources.values() | list -%}
        {%- if node.resource_type in ['model', 'seed', 'snapshot', 'source'] -%}
            {%- set config_meta = (node.config or {}).get('meta') or {} -%}
            {%- set declaration = config_meta.get('dqp', (node.meta or {}).get('dqp')) -%}
            {%- if declaration is not none -%}
                {%- do declared.append({'node': node, 'declaration': declaration}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(declared | sort(attribute='node.unique_id')) }}
{% endmacro %}
