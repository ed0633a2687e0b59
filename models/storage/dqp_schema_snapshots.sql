{{ config(schema=var('dqp_schema', none),
    post_hook="{{ dqp._dqp_run_identity_index(this) }}") }}
{#- The columns each side had when it was profiled, as the warehouse reports them. -#}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_schema_snapshots') }}
