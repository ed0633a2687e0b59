{{ config(schema=var('dqp_schema', none),
    post_hook="{{ dqp._dqp_run_identity_index(this) }}") }}
{#- Numeric bin counts per side: 'psi' (reference deciles, right-closed bins,
    open ends, plus a null bin for NULL and NaN), 'ks_binned' (reference
    quantile cuts) and 'ks_exact' (one row per distinct value). -#}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_histograms') }}
