{#- Written by `dqp check` (in the same transaction as the check's audit rows)
    and by `dqp alert ack|mute|unmute|resolve`: the current state of each
    alert, one row per alert; every change is also an event in
    dqp_alert_events. alert_id is unique (the index the post-hook declares). -#}
{{ config(schema=var('dqp_schema', none), post_hook=[
    "{{ dqp._dqp_alerts_identity_sql(this, 'alert_id') }}",
]) }}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_alerts') }}
