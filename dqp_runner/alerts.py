"""The alert lifecycle (pure): what one check, or one person, does to dqp_alerts.

An alert is keyed by (dataset, column or None, signal type); at most one alert
per key is not resolved. ``plan_check`` takes the key's unresolved alerts and
the check's signals (severities before any mute) and returns the new rows and
the events:

* a signal at or above ``alerts.min_severity`` with no unresolved alert opens
  one ('opened', notified);
* one that keeps firing keeps its alert ('open', 'acknowledged' or 'muted'
  stay as they are; nothing is notified again), unless its severity rose:
  then 'escalated' (notified), and an acknowledged alert is open again;
* a muted alert whose ``muted_until`` has passed is open again ('mute_expired');
* an unresolved alert whose key did not fire is resolved ('resolved').

``transition`` is what `dqp alert ack|mute|unmute|resolve` does.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from dqp_runner.signals import Signal
from dqp_runner.vocabulary import Severity

Status = Literal["open", "acknowledged", "muted", "resolved"]
Action = Literal["ack", "mute", "unmute", "resolve"]
AlertKey = tuple[str | None, str]  # (column_name, signal_type) within one dataset

CHECK_AUTHOR = "dqp check"
NOTIFIED_EVENTS = ("opened", "escalated")


class AlertTransitionError(ValueError):
    """A person asked for a change the alert's status does not allow."""


@dataclass(frozen=True)
class Alert:
    """One row of dqp_alerts (the current state of one alert)."""

    alert_id: str
    dataset_name: str
    column_name: str | None
    signal_type: str
    status: Status
    severity: str
    opened_at: datetime
    opened_check_id: str | None
    last_seen_at: datetime
    last_check_id: str | None
    last_metric_value: float | None = None
    resolved_at: datetime | None = None
    muted_until: datetime | None = None
    status_author: str | None = None
    status_reason: str | None = None
    status_changed_at: datetime | None = None

    @property
    def key(self) -> AlertKey:
        return (self.column_name, self.signal_type)

    def row(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class AlertEvent:
    """One row of dqp_alert_events (append-only): a change of one alert."""

    alert_id: str
    dataset_name: str
    column_name: str | None
    signal_type: str
    event_type: str  # opened, escalated, resolved, mute_expired, acknowledged, muted, unmuted
    status: Status
    severity: str
    event_at: datetime
    author: str
    reason: str | None = None
    check_id: str | None = None
    run_id: str | None = None
    muted_until: datetime | None = None
    metric_value: float | None = None
    event_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def row(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class AlertPlan:
    """What one check does to the alerts of its dataset."""

    inserts: tuple[Alert, ...] = ()
    updates: tuple[Alert, ...] = ()
    events: tuple[AlertEvent, ...] = ()
    muted: Mapping[AlertKey, Alert] = field(default_factory=dict)

    @property
    def notified(self) -> list[AlertEvent]:
        return [event for event in self.events if event.event_type in NOTIFIED_EVENTS]

    def status_of(self, key: AlertKey) -> Alert | None:
        for alert in (*self.inserts, *self.updates):
            if alert.key == key and alert.status != "resolved":
                return alert
        return None


def firing(signals: Sequence[Signal], min_severity: str) -> dict[AlertKey, Signal]:
    """The worst signal of each key at or above ``min_severity``."""
    lowest = Severity.from_label(min_severity)
    worst: dict[AlertKey, Signal] = {}
    for signal in signals:
        if signal.severity < lowest:
            continue
        key = (signal.column_name, signal.signal_type.value)
        if key not in worst or signal.severity > worst[key].severity:
            worst[key] = signal
    return worst


def plan_check(
    dataset_name: str,
    unresolved: Sequence[Alert],
    signals: Sequence[Signal],
    min_severity: str,
    now: datetime,
    check_id: str,
    run_id: str,
) -> AlertPlan:
    """Open, keep, escalate, unmute (expired) and resolve the dataset's alerts for one check."""
    fired = firing(signals, min_severity)
    current = {alert.key: alert for alert in unresolved}
    inserts: list[Alert] = []
    updates: list[Alert] = []
    events: list[AlertEvent] = []
    muted: dict[AlertKey, Alert] = {}

    def event(alert: Alert, event_type: str, reason: str | None = None, value: float | None = None) -> None:
        events.append(AlertEvent(
            alert.alert_id, dataset_name, alert.column_name, alert.signal_type, event_type, alert.status,
            alert.severity, now, CHECK_AUTHOR, reason, check_id, run_id, alert.muted_until, value,
        ))

    for key in sorted(fired, key=lambda k: (k[0] is not None, k[0] or "", k[1])):
        signal = fired[key]
        severity = signal.severity.label
        alert = current.get(key)
        if alert is None:
            opened = Alert(
                uuid.uuid4().hex[:16], dataset_name, key[0], key[1], "open", severity, now, check_id, now, check_id,
                signal.metric_value, status_author=CHECK_AUTHOR, status_changed_at=now,
            )
            inserts.append(opened)
            event(opened, "opened", value=signal.metric_value)
            continue
        changed = replace(alert, last_seen_at=now, last_check_id=check_id, last_metric_value=signal.metric_value)
        if changed.status == "muted" and changed.muted_until is not None and changed.muted_until <= now:
            changed = replace(changed, status="open", muted_until=None, status_author=CHECK_AUTHOR,
                              status_reason="mute expired", status_changed_at=now)
            event(changed, "mute_expired", "mute expired", signal.metric_value)
        if Severity.from_label(severity) > Severity.from_label(changed.severity):
            status: Status = "open" if changed.status == "acknowledged" else changed.status
            changed = replace(changed, severity=severity, status=status)
            event(changed, "escalated", f"severity rose from {alert.severity} to {severity}", signal.metric_value)
        if changed.status == "muted":
            muted[key] = changed
        updates.append(changed)
    for key, alert in sorted(current.items(), key=lambda item: (item[0][0] is not None, item[0][0] or "", item[0][1])):
        if key in fired:
            continue
        resolved = replace(alert, status="resolved", resolved_at=now, muted_until=None, status_author=CHECK_AUTHOR,
                           status_reason="signal stopped firing", status_changed_at=now)
        updates.append(resolved)
        event(resolved, "resolved", "signal stopped firing")
    return AlertPlan(tuple(inserts), tuple(updates), tuple(events), muted)


ALLOWED: dict[Action, tuple[tuple[Status, ...], Status, str]] = {
    # action: (statuses it applies to, status after, event type)
    "ack": (("open",), "acknowledged", "acknowledged"),
    "mute": (("open", "acknowledged", "muted"), "muted", "muted"),
    "unmute": (("muted",), "open", "unmuted"),
    "resolve": (("open", "acknowledged", "muted"), "resolved", "resolved"),
}


def transition(
    alert: Alert, action: Action, author: str, reason: str, now: datetime, until: datetime | None = None
) -> tuple[Alert, AlertEvent]:
    """A person's change of one alert: the new row and its event."""
    applies_to, status, event_type = ALLOWED[action]
    if alert.status not in applies_to:
        raise AlertTransitionError(
            f"alert {alert.alert_id} is {alert.status}; `dqp alert {action}` applies to an alert that is "
            f"{' or '.join(applies_to)}"
        )
    if not reason.strip():
        raise AlertTransitionError(f"`dqp alert {action}` needs a --reason")
    if action == "mute" and (until is None or until <= now):
        raise AlertTransitionError(f"--until must be in the future (now {now:%Y-%m-%d %H:%M} UTC), got {until}")
    changed = replace(
        alert, status=status, status_author=author, status_reason=reason, status_changed_at=now,
        muted_until=until if action == "mute" else None,
        resolved_at=now if action == "resolve" else alert.resolved_at,
    )
    event = AlertEvent(
        alert.alert_id, alert.dataset_name, alert.column_name, alert.signal_type, event_type, status,
        alert.severity, now, author, reason, muted_until=changed.muted_until,
    )
    return changed, event


def mute_signal(signal: Signal, alert: Alert) -> Signal:
    """A muted signal keeps its row and value but deducts nothing and decides nothing: 'info', with the mute."""
    details = dict(signal.details)
    details.update(
        muted=True,
        muted_severity=signal.severity.label,
        alert_id=alert.alert_id,
        muted_by=alert.status_author,
        muted_reason=alert.status_reason,
        muted_until=alert.muted_until.isoformat() if alert.muted_until else None,
    )
    return replace(signal, severity=Severity.INFO, details=details)
