{#- Written by `dqp check`, one row per check, in the same transaction as its
    dqp_signals and dqp_column_metrics rows. A check is identified by check_id;
    (dataset_name, run_id, policy_fingerprint) is unique, enforced by the index
    the post-hook declares (the checker creates the same index if missing). -#}
{{ config(schema=var('dqp_schema', none), post_hook=[
    "{{ dqp._dqp_check_runs_identity_sql(this, 'drop_legacy') }}",
    "{{ dqp._dqp_check_runs_identity_sql(this, 'create') }}",
]) }}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_check_runs') }}
