{#- Written by `dqp check` and `dqp alert ...`: append-only, one row per change
    of an alert (opened, escalated, resolved, mute_expired, acknowledged,
    muted, unmuted), with who did it and why. event_id is unique (the index
    the post-hook declares). -#}
{{ config(schema=var('dqp_schema', none), post_hook=[
    "{{ dqp._dqp_alerts_identity_sql(this, 'event_id') }}",
]) }}
{#- The columns: dqp_runner/storage_spec.py (see _dqp_storage_spec). -#}
{{ dqp._dqp_empty_table('dqp_alert_events') }}
