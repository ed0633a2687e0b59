{{ config(schema=var('dqp_schema', none),
    post_hook="{{ dqp._dqp_run_identity_index(this) }}") }}
{#- Categorical value counts per side over one shared category set: the top K
    values of either side, then '__other__' and '__null__'. -#}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_category_counts') }}
