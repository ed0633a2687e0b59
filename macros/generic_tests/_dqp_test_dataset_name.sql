{#- The dataset a dqp generic test reads: the `dataset_name` argument when
    given (it must name a declared dataset), else the dataset declared by the
    node the test is attached to (its meta.dqp.dataset_name, or the node's
    name). Anything else fails compilation naming the test. At parse time,
    when the graph is not available yet, the argument is returned as is. -#}
{% macro _dqp_test_dataset_name(dataset_name=none) %}
    {#- Outside the test's own signature `model` is the test node (the test
        macros' `model` argument shadows it there). -#}
    {%- set test_node = model -%}
    {%- if not execute -%}{{ return(dataset_name or '') }}{%- endif -%}
    {%- set test_label = "dqp test '" ~ test_node.name ~ "'" -%}

    {%- if dataset_name is not none -%}
        {%- if dataset_name is not string or dataset_name | trim | length == 0 -%}
            {{ exceptions.raise_compiler_error(test_label ~ ": dataset_name must be a non-empty string, got " ~ dataset_name) }}
        {%- endif -%}
        {%- set declared_names = [] -%}
        {%- for item in dqp.dqp_declared_datasets() -%}
            {%- do declared_names.append((item.dataset_name | string) | trim) -%}
        {%- endfor -%}
        {%- if dataset_name | trim not in declared_names -%}
            {{ exceptions.raise_compiler_error(test_label ~ ": no declared dataset named '" ~ dataset_name ~ "'; declared: "
                ~ (declared_names | sort | join(', ') or 'none (add meta.dqp to a model, seed, snapshot or source)')) }}
        {%- endif -%}
        {{ return(dataset_name | trim) }}
    {%- endif -%}

    {#- The node under test: attached_node for models, seeds and snapshots;
        for a source test, the one source among the test's parents. -#}
    {%- set candidates = [] -%}
    {%- if test_node.get('attached_node') -%}
        {%- do candidates.append(test_node.attached_node) -%}
    {%- else -%}
        {%- for unique_id in (test_node.get('depends_on') or {}).get('nodes') or [] -%}
            {%- if unique_id.startswith('source.') -%}{%- do candidates.append(unique_id) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set node = none -%}
    {%- if candidates | length == 1 -%}
        {%- set node = graph.nodes.get(candidates[0]) or graph.sources.get(candidates[0]) -%}
    {%- endif -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error(test_label ~ ": cannot tell which dqp dataset to read; pass the dataset_name argument") }}
    {%- endif -%}
    {%- set declaration = dqp._dqp_node_declaration(node) -%}
    {%- if declaration is not mapping -%}
        {{ exceptions.raise_compiler_error(test_label ~ ": " ~ node.resource_type ~ " '" ~ node.name
            ~ "' declares no meta.dqp; declare it there or pass the dataset_name argument") }}
    {%- endif -%}
    {{ return((dqp._dqp_declared_dataset_name(node, declaration) | string) | trim) }}
{% endmacro %}
