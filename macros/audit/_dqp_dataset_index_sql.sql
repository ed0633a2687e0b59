{#- A plain index on (dataset_name, <second column>) of a dqp table, declared by
    the model's post-hook: `dqp check` reads a dataset's history in one query
    per check (dqp_column_metrics by dataset_name and check_id), so it must not
    scan every dataset's rows. -#}
{% macro _dqp_dataset_index_sql(relation, second_column) %}
    {%- if second_column not in ('check_id', 'run_id') -%}
        {{ exceptions.raise_compiler_error("_dqp_dataset_index_sql: second_column must be 'check_id' or 'run_id', got " ~ second_column) }}
    {%- endif -%}
    create index if not exists {{ dqp.dqp_quote_identifier(relation.identifier ~ '_dataset') }}
        on {{ dqp.dqp_quote_relation(relation) }} (dataset_name, {{ second_column }})
{% endmacro %}
