{#- The identity of dqp_check_runs, declared by the model's post-hooks: a
    unique index on (dataset_name, run_id, policy_fingerprint), so checking a
    run again under the same policy adds nothing, while a re-check under
    another policy (`dqp check --recheck`) is a new row. step 'drop_legacy'
    drops the 0.1.0 index on (dataset_name, run_id), which would refuse every
    re-check; step 'create' creates the index. Rows of 0.1.0 have no
    fingerprint (NULL), which a unique index never matches; the checker
    treats them as checked under another policy. The checker runs the same
    statements (dqp_runner/warehouse.py), so the two must stay in step. -#}
{% macro _dqp_check_runs_identity_sql(relation, step) %}
    {%- if step == 'drop_legacy' -%}
        drop index if exists {{ dqp.dqp_quote_identifier(relation.schema) }}.{{ dqp.dqp_quote_identifier('dqp_check_runs_identity') }}
    {%- elif step == 'create' -%}
        create unique index if not exists {{ dqp.dqp_quote_identifier('dqp_check_runs_check_identity') }}
            on {{ dqp.dqp_quote_relation(relation) }} (dataset_name, run_id, policy_fingerprint)
    {%- else -%}
        {{ exceptions.raise_compiler_error("_dqp_check_runs_identity_sql: step must be 'drop_legacy' or 'create', got " ~ step) }}
    {%- endif -%}
{% endmacro %}
