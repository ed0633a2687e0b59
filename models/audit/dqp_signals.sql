{{ config(schema=var('dqp_schema', none)) }}
{#- Written by `dqp check`: the explanation rows of each check, one per
    signal that fired, with its score impact and recommended action code. -#}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_signals') }}
