{#- Resolve meta.dqp.reference.relation: a model/seed/snapshot name, or
    'source_name.table_name' for a source. Same-package nodes win a name clash. -#}
{% macro _dqp_find_reference_node(node, reference_name) %}
    {%- if reference_name is not string or reference_name | length == 0 -%}
        {{ dqp._dqp_config_error(node, 'reference.relation', 'expected the name of a model, seed, snapshot or source (source_name.table_name), got ' ~ reference_name) }}
    {%- endif -%}
    {%- set matches = [] -%}
    {%- if '.' in reference_name -%}
        {%- set source_name, table_name = reference_name.split('.', 1) -%}
        {%- for source in graph.sources.values() -%}
            {%- if source.source_name == source_name and source.name == table_name -%}
                {%- do matches.append(source) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- else -%}
        {%- for candidate in graph.nodes.values() -%}
            {%- if candidate.resource_type in ['model', 'seed', 'snapshot'] and candidate.name == reference_name -%}
                {%- do matches.append(candidate) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if matches | length > 1 -%}
            {%- set same_package = matches | selectattr('package_name', 'equalto', node.package_name) | list -%}
            {%- if same_package | length == 1 -%}{%- set matches = same_package -%}{%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- if matches | length == 0 -%}
        {{ dqp._dqp_config_error(node, 'reference.relation', "unknown reference '" ~ reference_name ~ "': expected a model, seed or snapshot name, or source_name.table_name") }}
    {%- elif matches | length > 1 -%}
        {{ dqp._dqp_config_error(node, 'reference.relation', "ambiguous reference '" ~ reference_name ~ "': " ~ (matches | map(attribute='unique_id') | join(', '))) }}
    {%- endif -%}
    {{ return(matches[0]) }}
{% endmacro %}
