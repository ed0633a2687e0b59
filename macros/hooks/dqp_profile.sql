{#- Profile declared datasets. From the hook it gets the ones this invocation
    built; as `dbt run-operation dqp_profile --args '{datasets: [orders]}'` it
    profiles the named datasets (all declared when none are named). -#}
{% macro dqp_profile(declared=none, datasets=none) %}
    {%- set all_declared = dqp.dqp_declared_datasets() -%}
    {%- do dqp._dqp_check_unique_dataset_names(all_declared) -%}
    {%- if declared is none -%}
        {%- set declared = all_declared -%}
    {%- endif -%}
    {%- set resolved = [] -%}
    {%- for item in declared -%}
        {%- set dataset = dqp.dqp_resolve_dataset(item.node, item.declaration) -%}
        {%- if dataset.enabled and (datasets is none or dataset.dataset_name in datasets) -%}
            {%- do resolved.append(dataset) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set names = resolved | map(attribute='dataset_name') | list -%}
    {%- for name in datasets or [] -%}
        {%- if name not in names -%}
            {%- do dqp._dqp_raise_error("no enabled dataset named '" ~ name ~ "'; declared: " ~ names | join(', ')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if resolved | length == 0 -%}{{ return('') }}{%- endif -%}
    {#- One transaction per dataset, on every engine (dqp_begin_transaction,
        then a commit after its run row): a dataset that fails or is
        interrupted leaves no row, and the datasets before it stay committed,
        each with its run row. The timeout and JIT are set with SET LOCAL
        inside that transaction, so the session's own settings come back at
        its commit. -#}
    {%- for dataset in resolved -%}
        {%- do log('dqp: profiling ' ~ dataset.dataset_name ~ ' (' ~ dataset.columns | length ~ ' columns, '
            ~ 'statement_timeout_seconds = ' ~ dataset.settings.statement_timeout_seconds ~ ')', info=true) -%}
        {%- do dqp.dqp_begin_transaction() -%}
        {%- do dqp.dqp_set_statement_timeout(dataset.settings.statement_timeout_seconds) -%}
        {%- do dqp.dqp_set_jit(false) -%}
        {%- do dqp.dqp_profile_dataset(dataset) -%}
        {%- do adapter.commit() -%}
    {%- endfor -%}
{% endmacro %}
