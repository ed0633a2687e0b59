{#- Fail when two declarations share a dataset_name: it is the dataset's identity in every dqp table. -#}
{% macro _dqp_check_unique_dataset_names(names) %}
    {%- for name in names | unique -%}
        {%- if names | select('equalto', name) | list | length > 1 -%}
            {{ exceptions.raise_compiler_error("dqp: dataset_name '" ~ name ~ "' is declared more than once; give each declaration its own meta.dqp.dataset_name") }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
