{{ config(schema=var('dqp_schema', none),
    post_hook="{{ dqp._dqp_run_identity_index(this) }}") }}
{#- One row per (dataset_name, run_id, side, column_name). Numeric statistics
    cover finite values only; NULL, NaN and +/-Infinity are counted apart.
    value_offset (appended last, 0.2.0): when set, the numeric statistics are
    relative to it (see _dqp_fetch_value_offsets). Temporal columns are
    profiled as numbers: epoch seconds. -#}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_column_profiles') }}
