{#- True when this invocation is a `dbt build` that rebuilds the dataset's data
    and profiles it at run end, after its tests: every stored profile and
    verdict is then about older data than the test guards, so the dqp tests
    report 'verdict_older_than_data' instead of judging it. Declared sources
    are profiled on every `dbt build`. -#}
{% macro _dqp_test_data_rebuilt(dataset_name) %}
    {%- if not execute or flags.WHICH != 'build' or not var('dqp_enabled', true) -%}{{ return(false) }}{%- endif -%}
    {%- for item in dqp.dqp_declared_datasets() -%}
        {%- set declared_name = (item.dataset_name | string) | trim -%}
        {%- if declared_name == dataset_name and item.declaration.get('enabled', true)
              and (item.node.resource_type == 'source' or item.node.unique_id in selected_resources) -%}
            {{ return(true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}
