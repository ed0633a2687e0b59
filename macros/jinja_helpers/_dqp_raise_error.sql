{#- Stop with dqp's own message. A failing on-run-end hook makes dbt print
    "Exited because of keyboard interrupt" (dbt's line, whatever the cause)
    and then the error wrapped in "Compilation Error in operation ..." and a
    macro stack; the message is logged first as one plain line so it reads
    on its own. -#}
{% macro _dqp_raise_error(message) %}
    {%- do log('dqp error: ' ~ message, info=true) -%}
    {{ exceptions.raise_compiler_error('dqp: ' ~ message) }}
{% endmacro %}
