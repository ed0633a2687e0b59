"""Signals to a health score, a decision and explanation rows.

Scoring rules (see docs/policy.md):

* Each signal's raw deduction is ``weights.<severity>`` times
  ``critical_columns.deduction_multiplier`` on a critical column ('info' is 0).
* Per signal type the deductions are summed and capped at
  ``scoring.cap_per_signal_type``. Under a cap every signal of that type keeps
  the same share of its raw deduction (proportional split), so the split does
  not depend on the order signals arrive in.
* ``health_score = clamp(100 - sum of capped per-type deductions, 0, 100)``.
* The decision is the worse of the score band, the floor that the worst
  severity forces, and the floor a medium-or-worse signal on a critical column
  forces (``critical_columns.floor_medium``).
* ``decision_reason`` says which of the three decided, and why.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass

from dqp_runner.metrics import JsonValue
from dqp_runner.policy import Policy
from dqp_runner.signals import Signal, signal_sort_key
from dqp_runner.vocabulary import SIGNAL_TYPE_ORDER, Severity, SignalType

# Scores and impacts are rounded so rows read cleanly; rounding is monotone,
# so it keeps "more signals never raise the score".
_DIGITS = 6


class InvariantError(RuntimeError):
    """A verdict would break a contract (e.g. a decision with nothing to explain it)."""


class Decision(enum.IntEnum):
    NO_ACTION = 0
    MONITOR = 1
    WARN = 2
    BLOCK_PIPELINE = 3


@dataclass(frozen=True)
class Explanation:
    signal: Signal
    score_impact: float

    def row(self) -> dict[str, JsonValue | dict[str, JsonValue]]:
        signal = self.signal
        return {
            "signal_type": signal.signal_type.value,
            "column_name": signal.column_name,
            "method": signal.method,
            "metric_value": signal.metric_value,
            "threshold": signal.threshold,
            "p_value": signal.p_value,
            "error_bound": signal.error_bound,
            "severity": signal.severity.label,
            "score_impact": self.score_impact,
            "recommended_action": signal.recommended_action.value,
            "is_critical_column": signal.is_critical_column,
            "details": {key: signal.details[key] for key in sorted(signal.details)},
        }


@dataclass(frozen=True)
class Verdict:
    """Score, decision and rows of one dataset.

    ``decision_reason`` is one sentence: the score band that decided, or the
    floor (worst severity, or a critical column's medium signal) and the
    signal that forced it, with what the score alone would have given.
    """

    health_score: float
    decision: Decision
    worst_severity: Severity | None
    explanations: tuple[Explanation, ...]
    decision_reason: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.health_score <= 100.0:
            raise InvariantError(f"health score {self.health_score} is outside [0, 100]")
        if self.decision > Decision.NO_ACTION and not any(e.signal.severity > Severity.INFO for e in self.explanations):
            raise InvariantError(f"decision {self.decision.name} has no explanation row above severity 'info'")
        if not self.decision_reason:
            raise InvariantError(f"decision {self.decision.name} has no decision_reason")

    def rows(self) -> list[dict[str, JsonValue | dict[str, JsonValue]]]:
        """Explanation rows as plain dicts with a fixed key order."""
        return [e.row() for e in self.explanations]

    def to_json(self) -> str:
        """Canonical serialisation: same inputs, same bytes."""
        doc = {
            "health_score": self.health_score,
            "decision": self.decision.name,
            "worst_severity": None if self.worst_severity is None else self.worst_severity.label,
            "decision_reason": self.decision_reason,
            "rows": self.rows(),
        }
        return json.dumps(doc, separators=(",", ":"), allow_nan=False)


def _format_score(score: float) -> str:
    return f"{score:.1f}" if round(score, 1) == score else f"{score:g}"


def _band_text(decision: Decision, policy: Policy) -> str:
    d = policy.decision
    bounds = {
        Decision.BLOCK_PIPELINE: f"score < {d.block_below:g}",
        Decision.WARN: f"{d.block_below:g} <= score < {d.warn_below:g}",
        Decision.MONITOR: f"{d.warn_below:g} <= score < {d.monitor_below:g}",
        Decision.NO_ACTION: f"score >= {d.monitor_below:g}",
    }
    return f"the {decision.name} band ({bounds[decision]})"


def _describe(signal: Signal) -> str:
    where = "the dataset" if signal.column_name is None else f"column {signal.column_name!r}"
    if signal.is_critical_column:
        where = f"critical {where}"
    return f"{signal.severity.label} signal {signal.signal_type.value} on {where}"


def _score_band(score: float, policy: Policy) -> Decision:
    d = policy.decision
    if score < d.block_below:
        return Decision.BLOCK_PIPELINE
    if score < d.warn_below:
        return Decision.WARN
    if score < d.monitor_below:
        return Decision.MONITOR
    return Decision.NO_ACTION


def raw_deduction(signal: Signal, policy: Policy) -> float:
    """Deduction of one signal before the per-type cap."""
    weight = policy.weight(signal.severity.label)
    if signal.is_critical_column:
        weight *= policy.critical_columns.deduction_multiplier
    return weight


def score_and_decide(signals: Iterable[Signal], policy: Policy) -> Verdict:
    """Health score, decision and explanation rows for one dataset's signals."""
    ordered = sorted(signals, key=signal_sort_key)
    raw = [raw_deduction(s, policy) for s in ordered]
    cap = policy.scoring.cap_per_signal_type

    totals: dict[SignalType, float] = {}
    for s, r in zip(ordered, raw, strict=True):
        totals[s.signal_type] = totals.get(s.signal_type, 0.0) + r
    capped = {t: min(total, cap) for t, total in totals.items()}

    # The score comes from the per-type totals, not from the rounded per-signal
    # impacts, so it is exactly monotone in the set of signals.
    deduction = sum(capped[t] for t in sorted(capped, key=SIGNAL_TYPE_ORDER.__getitem__))
    score = round(min(100.0, max(0.0, 100.0 - deduction)), _DIGITS)

    explanations = []
    for s, r in zip(ordered, raw, strict=True):
        total = totals[s.signal_type]
        impact = r * capped[s.signal_type] / total if total > 0 else 0.0
        explanations.append(Explanation(s, round(impact, _DIGITS)))
    # Worst first; the canonical key keeps ties deterministic.
    explanations.sort(key=lambda e: (-e.signal.severity, -e.score_impact, signal_sort_key(e.signal)))

    worst = max((s.severity for s in ordered), default=None)
    band = _score_band(score, policy)
    severity_floor = Decision.NO_ACTION if worst is None else Decision[policy.decision_floor(worst.label)]
    # A medium (or worse) signal on a critical column forces at least critical_columns.floor_medium.
    critical_signal = next(
        (e.signal for e in explanations if e.signal.is_critical_column and e.signal.severity >= Severity.MEDIUM), None
    )
    critical_floor = Decision.NO_ACTION if critical_signal is None else Decision[policy.critical_columns.floor_medium]
    decision = max(band, severity_floor, critical_floor)
    score_text = _format_score(score)
    if decision == band:
        if worst is None or worst == Severity.INFO:
            reason = f"no signal above info; score {score_text} is in {_band_text(band, policy)}"
        else:
            reason = f"score {score_text} is in {_band_text(band, policy)}"
    else:
        alone = f"the score {score_text} alone gives {band.name}"
        if decision == severity_floor and worst is not None:
            forcing = next(e.signal for e in explanations if e.signal.severity == worst)
            reason = f"severity floor: {_describe(forcing)} forces {decision.name}; {alone}"
        elif critical_signal is not None:
            reason = f"critical-column floor: {_describe(critical_signal)} forces {decision.name}; {alone}"
        else:  # pragma: no cover - the decision came from one of the three
            raise InvariantError(f"decision {decision.name} matches neither the score band nor a floor")
    return Verdict(
        health_score=score,
        decision=decision,
        worst_severity=worst,
        explanations=tuple(explanations),
        decision_reason=reason,
    )
