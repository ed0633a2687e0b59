{#- Fail compilation with a message naming the node, the key and what was expected.
    An empty key is the declaration itself (meta.dqp). -#}
{% macro _dqp_config_error(node, key, problem) %}
    {{ exceptions.raise_compiler_error(
        "dqp: invalid declaration on " ~ node.resource_type ~ " '" ~ node.name ~ "' ("
        ~ node.unique_id ~ "): meta.dqp" ~ ('.' ~ key if key else '') ~ ": " ~ problem
    ) }}
{% endmacro %}
