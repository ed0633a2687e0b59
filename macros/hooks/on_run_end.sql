{#- Package on-run-end hook. It runs after every node of the invocation has
    been built, so the current side is always read as rebuilt: no ordering
    trap. Profiles each declared dataset whose node this invocation built
    successfully (seeds, models, snapshots); sources, which dbt never builds,
    are profiled on every `dbt run` and `dbt build`. -#}
{% macro on_run_end() %}
    {%- if not execute or not var('dqp_enabled', true) -%}{{ return('') }}{%- endif -%}
    {#- Every command that runs hooks (test too) checks the whole project's
        dataset names, so a duplicate cannot slip through a selection. -#}
    {%- do dqp._dqp_check_unique_dataset_names(dqp.dqp_declared_datasets()) -%}
    {%- set command = flags.WHICH -%}
    {%- if command not in ['run', 'build', 'seed', 'snapshot'] -%}{{ return('') }}{%- endif -%}
    {%- set built = [] -%}
    {%- for result in results -%}
        {%- if result.status in ['success', 'pass'] and result.node.resource_type in ['model', 'seed', 'snapshot'] -%}
            {%- do built.append(result.node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set selected = [] -%}
    {%- for item in dqp.dqp_declared_datasets() -%}
        {%- if item.node.unique_id in built or (item.node.resource_type == 'source' and command in ['run', 'build']) -%}
            {%- do selected.append(item) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do dqp.dqp_profile(selected) -%}
    {{ return('') }}
{% endmacro %}
