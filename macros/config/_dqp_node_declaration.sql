{#- The one place meta.dqp is read: a node's `meta: dqp:` declaration, under
    `config: meta:` (dbt 1.10+) or directly under `meta:`; none when absent. -#}
{% macro _dqp_node_declaration(node) %}
    {%- set config_meta = (node.config or {}).get('meta') or {} -%}
    {{ return(config_meta.get('dqp', (node.meta or {}).get('dqp'))) }}
{% endmacro %}
