{{ config(schema=var('dqp_schema', none),
    post_hook="{{ dqp._dqp_run_identity_index(this, unique=true) }}") }}
{#- One row per (dataset_name, run_id): written last by the profiling hook, so a
    run that has this row is complete. Rows are appended by dqp.on_run_end(). -#}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_profile_runs') }}
