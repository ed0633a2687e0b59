{#- Fail when two declarations share a dataset_name: it is the dataset's identity
    in every dqp table. Takes every declaration of the project (items of
    dqp_declared_datasets()), never only the selected ones, so a duplicate is
    caught whatever an invocation selects. -#}
{% macro _dqp_check_unique_dataset_names(declared) %}
    {%- set nodes_by_name = {} -%}
    {%- for item in declared -%}
        {%- set name = item.dataset_name -%}
        {%- if name is string -%}
            {%- set name = name | trim -%}
            {%- do nodes_by_name.setdefault(name, []).append(item.node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name, unique_ids in nodes_by_name | dictsort -%}
        {%- if unique_ids | length > 1 -%}
            {{ exceptions.raise_compiler_error("dqp: dataset_name '" ~ name ~ "' is declared by " ~ unique_ids | length
                ~ " nodes: " ~ unique_ids | join(', ') ~ "; a dataset_name is the dataset's identity in every dqp table, "
                ~ "so give each declaration its own meta.dqp.dataset_name (checked across the whole project, whatever is selected)") }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
