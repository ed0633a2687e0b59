"""The alert lifecycle: open once, keep, escalate, resolve, and what people do."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from dqp_runner.alerts import Alert, AlertTransitionError, mute_signal, plan_check, transition
from dqp_runner.signals import Signal
from dqp_runner.vocabulary import ACTION_FOR, Severity, SignalType

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def signal(column: str | None, signal_type: SignalType, severity: Severity, value: float = 1.0) -> Signal:
    return Signal(column, signal_type, "m", value, 0.5, None, None, severity, ACTION_FOR[signal_type], False)


def check(unresolved: list[Alert], signals: list[Signal], at: datetime = NOW, check_id: str = "c1") -> tuple:
    plan = plan_check("orders", unresolved, signals, "medium", at, check_id, "r1")
    state = {a.alert_id: a for a in unresolved}
    for alert in (*plan.inserts, *plan.updates):
        state[alert.alert_id] = alert
    return plan, [a for a in state.values() if a.status != "resolved"]


def test_opens_once_keeps_escalates_and_resolves() -> None:
    low = signal("amount", SignalType.PSI, Severity.LOW)
    plan, alerts = check([], [low])
    assert plan.events == () and alerts == []  # below alerts.min_severity

    medium = signal("amount", SignalType.PSI, Severity.MEDIUM)
    volume = signal(None, SignalType.VOLUME, Severity.HIGH)
    plan, alerts = check([], [medium, volume])
    assert [(e.column_name, e.signal_type, e.event_type) for e in plan.events] == [
        (None, "volume", "opened"), ("amount", "psi", "opened")
    ]
    assert len(plan.notified) == 2 and {a.status for a in alerts} == {"open"}

    plan, alerts = check(alerts, [medium, volume], NOW + timedelta(days=1), "c2")
    assert plan.events == () and plan.notified == []  # ongoing: kept, not re-opened, not notified
    assert {a.last_check_id for a in alerts} == {"c2"} and len(alerts) == 2

    high = signal("amount", SignalType.PSI, Severity.HIGH)
    plan, alerts = check(alerts, [high], NOW + timedelta(days=2), "c3")
    kinds = sorted((e.signal_type, e.event_type) for e in plan.events)
    assert kinds == [("psi", "escalated"), ("volume", "resolved")]
    assert [e.event_type for e in plan.notified] == ["escalated"]
    assert [(a.signal_type, a.severity) for a in alerts] == [("psi", "high")]

    plan, alerts = check(alerts, [], NOW + timedelta(days=3), "c4")
    assert [e.event_type for e in plan.events] == ["resolved"] and alerts == []
    assert plan.updates[0].resolved_at == NOW + timedelta(days=3)


def test_acknowledged_and_muted_alerts() -> None:
    medium = signal("amount", SignalType.PSI, Severity.MEDIUM)
    _, [alert] = check([], [medium])
    acked, event = transition(alert, "ack", "ana", "looking into it", NOW)
    assert (acked.status, event.event_type, event.author, event.reason) == ("acknowledged", "acknowledged", "ana",
                                                                           "looking into it")
    plan, [kept] = check([acked], [medium], NOW + timedelta(days=1))
    assert kept.status == "acknowledged" and plan.events == ()
    # an escalation reopens an acknowledged alert and notifies
    plan, [raised] = check([acked], [signal("amount", SignalType.PSI, Severity.HIGH)], NOW + timedelta(days=1))
    assert raised.status == "open" and [e.event_type for e in plan.notified] == ["escalated"]

    with pytest.raises(AlertTransitionError, match="must be in the future"):
        transition(alert, "mute", "ana", "known", NOW, until=NOW - timedelta(days=1))
    muted, _ = transition(alert, "mute", "ana", "known backfill", NOW, until=NOW + timedelta(days=2))
    plan, [still] = check([muted], [medium], NOW + timedelta(days=1))
    assert still.status == "muted" and plan.muted[("amount", "psi")].alert_id == alert.alert_id
    shown = mute_signal(medium, plan.muted[("amount", "psi")])
    assert shown.severity == Severity.INFO and shown.metric_value == medium.metric_value
    assert (shown.details["muted_severity"], shown.details["muted_by"], shown.details["muted_reason"]) == (
        "medium", "ana", "known backfill")
    # the mute expires: the alert is open again (not re-opened: same id, no notification)
    plan, [expired] = check([muted], [medium], NOW + timedelta(days=3))
    assert (expired.alert_id, expired.status) == (alert.alert_id, "open")
    assert [e.event_type for e in plan.events] == ["mute_expired"] and plan.notified == [] and not plan.muted

    with pytest.raises(AlertTransitionError, match="applies to an alert that is muted"):
        transition(alert, "unmute", "ana", "x", NOW)
    resolved, _ = transition(alert, "resolve", "ana", "fixed upstream", NOW)
    with pytest.raises(AlertTransitionError, match="is resolved"):
        transition(resolved, "ack", "ana", "x", NOW)
    with pytest.raises(AlertTransitionError, match="needs a --reason"):
        transition(alert, "ack", "ana", " ", NOW)
    assert replace(resolved, status="open").key == ("amount", "psi")
