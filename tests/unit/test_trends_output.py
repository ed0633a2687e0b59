"""Score deltas and new / ongoing / resolved per signal, in the JSON and the table."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from rich.console import Console

from dqp_runner.alerts import Alert, mute_signal
from dqp_runner.check import DatasetCheck, check_policy
from dqp_runner.cli import render_table
from dqp_runner.history import MetricHistory
from dqp_runner.scoring import score_and_decide
from dqp_runner.signals import Signal
from dqp_runner.vocabulary import ACTION_FOR, Severity, SignalType
from dqp_runner.warehouse import ProfileRun

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _signal(column: str | None, signal_type: SignalType, severity: Severity) -> Signal:
    return Signal(column, signal_type, "m", 0.3, 0.1, 0.001, None, severity, ACTION_FOR[signal_type], False)


def test_score_delta_trends_and_resolved_signals() -> None:
    policy = check_policy("orders", {}, {})
    run = ProfileRun("orders", "run-2", NOW, "relation", frozenset(), {}, None, None)
    alert = Alert("a1", "orders", "note", "chi_square", "muted", "medium", NOW, "c0", NOW, "c0",
                  muted_until=NOW + timedelta(days=3), status_author="ana", status_reason="known")
    signals = [
        _signal("amount", SignalType.PSI, Severity.MEDIUM),
        _signal(None, SignalType.VOLUME, Severity.HIGH),
        mute_signal(_signal("note", SignalType.CHI_SQUARE, Severity.MEDIUM), alert),
    ]
    verdict = score_and_decide(signals, policy.policy)
    history = MetricHistory({}, "c1", 100.0, frozenset({("amount", "psi"), ("amount", "null_rate")}))
    check = DatasetCheck(run, verdict, policy, history=history)
    assert check.score_delta == verdict.health_score - 100.0 == -28.0  # medium 8 + high 20; the muted row 0
    document = check.to_dict()
    trends = {(row["column_name"], row["signal_type"]): row["trend"] for row in document["signals"]}
    assert trends == {("amount", "psi"): "ongoing", (None, "volume"): "new", ("note", "chi_square"): None}
    assert document["resolved_signals"] == [{"column_name": "amount", "signal_type": "null_rate"}]
    assert (document["previous_health_score"], document["health_score_delta"]) == (100.0, -28.0)

    output = io.StringIO()
    render_table(Console(file=output, width=250), [check])
    table = output.getvalue()
    assert "Δscore" in table and "-28.0" in table and "trend" in table
    assert "resolved since the previous run: null_rate on amount" in table
    assert "muted (medium)" in table
