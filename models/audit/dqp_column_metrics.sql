{{ config(schema=var('dqp_schema', none), post_hook=[
    "{{ dqp._dqp_dataset_index_sql(this, 'check_id') }}",
]) }}
{#- Written by `dqp check`: every metric of every check, fired or not, in the
    same transaction as the check's dqp_check_runs row. The one home of each
    statistic: the dqp generic tests, the report and BI read these rows and
    never recompute a statistic. -#}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_column_metrics') }}
