"""The checker policy: every threshold, weight and cap, in one place.

Defaults are documented key by key in ``docs/policy.md`` (a unit test keeps the
two in step). Overrides come as nested mappings, e.g. ``{"ks": {"d_medium": 0.15}}``,
from the package var ``dqp_policy`` and from a dataset's ``meta.dqp.policy``;
``resolve_policy`` merges them (dataset > package > defaults) and validates.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

SeverityName = Literal["info", "low", "medium", "high", "critical"]
DecisionName = Literal["NO_ACTION", "MONITOR", "WARN", "BLOCK_PIPELINE"]
MultipleTestingName = Literal["holm", "benjamini_hochberg", "none"]

# The order of the literals is the order of the enums (checked by a unit test).
SEVERITY_ORDER: tuple[str, ...] = typing.get_args(SeverityName)
DECISION_ORDER: tuple[str, ...] = typing.get_args(DecisionName)

PolicyValue = float | int | str | bool


class PolicyError(ValueError):
    """An override that names an unknown key, has the wrong type, or is inconsistent."""


@dataclass(frozen=True)
class Tiers:
    """Medium and high levels of a metric that grows with the problem (value >= level fires)."""

    medium: float
    high: float


@dataclass(frozen=True)
class OutlierTiers(Tiers):
    """Outlier excess levels, plus the least number of outliers above the reference's rate that can fire."""

    min_excess_count: float = 5.0


@dataclass(frozen=True)
class MeanShiftPolicy:
    """Standardized mean difference (current minus reference mean, over the reference's stddev)."""

    d_medium: float = 0.15
    d_high: float = 0.4


@dataclass(frozen=True)
class ScaleChangePolicy:
    """Relative stddev change max(s_cur / s_ref, s_ref / s_cur) - 1."""

    medium: float = 0.25
    high: float = 0.5


@dataclass(frozen=True)
class KsPolicy:
    d_medium: float = 0.1
    d_high: float = 0.2


@dataclass(frozen=True)
class PsiPolicy:
    medium: float = 0.1
    high: float = 0.25
    epsilon: float = 1e-4
    noise_floor_confidence: float = 0.95
    min_rows_per_bin: float = 10.0


@dataclass(frozen=True)
class ChiSquarePolicy:
    js_medium: float = 0.1
    js_high: float = 0.2
    min_expected: float = 5.0


@dataclass(frozen=True)
class NovelValuesPolicy:
    """Share of current rows with a value never seen in the reference, minus the
    Good-Turing expected share (reference singletons / reference values)."""

    medium: float = 0.1
    high: float = 0.3
    min_excess_count: float = 5.0


@dataclass(frozen=True)
class FreshnessPolicy:
    """How much older the current side's latest value is than the reference's,
    in the reference's typical gaps between values."""

    medium: float = 10.0
    high: float = 100.0


@dataclass(frozen=True)
class MetricAnomalyPolicy:
    """Each metric judged against its own history of earlier runs (dqp_runner/history.py)."""

    enabled: bool = True
    window_runs: int = 28
    min_history: int = 7
    z_medium: float = 6.0
    z_high: float = 9.0
    min_relative_scale: float = 0.02
    seasonal_min_per_weekday: int = 3


@dataclass(frozen=True)
class AlertsPolicy:
    """Which signals open an alert (the alert lifecycle in dqp_alerts)."""

    min_severity: SeverityName = "medium"


@dataclass(frozen=True)
class SchemaPolicy:
    removed: SeverityName = "high"
    retyped: SeverityName = "high"
    widened: SeverityName = "low"
    added: SeverityName = "low"


@dataclass(frozen=True)
class CriticalColumnPolicy:
    deduction_multiplier: float = 2.0
    escalate_high: bool = True
    escalation_alpha: float = 0.001
    floor_medium: DecisionName = "WARN"


@dataclass(frozen=True)
class SeverityWeights:
    """Score deduction per signal of each severity ('info' never deducts)."""

    low: float = 2.0
    medium: float = 8.0
    high: float = 20.0
    critical: float = 40.0


@dataclass(frozen=True)
class ScoringPolicy:
    cap_per_signal_type: float = 40.0


@dataclass(frozen=True)
class DecisionPolicy:
    """Score bands (strictly below a level) and the least decision each worst severity forces."""

    monitor_below: float = 95.0
    warn_below: float = 80.0
    block_below: float = 50.0
    floor_low: DecisionName = "MONITOR"
    floor_medium: DecisionName = "MONITOR"
    floor_high: DecisionName = "WARN"
    floor_critical: DecisionName = "BLOCK_PIPELINE"


@dataclass(frozen=True)
class Policy:
    alpha: float = 0.01
    multiple_testing: MultipleTestingName = "holm"
    min_values: int = 1
    null_rate: Tiers = Tiers(medium=0.05, high=0.20)
    non_finite: Tiers = Tiers(medium=0.001, high=0.01)
    iqr_outliers: OutlierTiers = OutlierTiers(medium=0.01, high=0.05)
    zscore_outliers: OutlierTiers = OutlierTiers(medium=0.01, high=0.05)
    mean_shift: MeanShiftPolicy = MeanShiftPolicy()
    scale_change: ScaleChangePolicy = ScaleChangePolicy()
    volume: Tiers = Tiers(medium=0.5, high=0.9)
    ks: KsPolicy = KsPolicy()
    psi: PsiPolicy = PsiPolicy()
    chi_square: ChiSquarePolicy = ChiSquarePolicy()
    novel_values: NovelValuesPolicy = NovelValuesPolicy()
    freshness: FreshnessPolicy = FreshnessPolicy()
    metric_anomaly: MetricAnomalyPolicy = MetricAnomalyPolicy()
    alerts: AlertsPolicy = AlertsPolicy()
    schema: SchemaPolicy = SchemaPolicy()
    critical_columns: CriticalColumnPolicy = CriticalColumnPolicy()
    weights: SeverityWeights = SeverityWeights()
    scoring: ScoringPolicy = ScoringPolicy()
    decision: DecisionPolicy = DecisionPolicy()

    def __post_init__(self) -> None:
        _check_consistency(self)

    def weight(self, severity_name: str) -> float:
        """Deduction for one signal of this severity, before the critical multiplier."""
        if severity_name == "info":
            return 0.0
        return float(getattr(self.weights, severity_name))

    def decision_floor(self, severity_name: str) -> str:
        """Least decision a worst severity forces ('info' forces nothing)."""
        if severity_name == "info":
            return "NO_ACTION"
        return str(getattr(self.decision, f"floor_{severity_name}"))

    def flatten(self) -> dict[str, PolicyValue]:
        """Every key as a dotted path (``ks.d_medium``) with its value, in declaration order."""
        return _flatten(self, "")


def _flatten(obj: Any, prefix: str) -> dict[str, PolicyValue]:
    out: dict[str, PolicyValue] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            out.update(_flatten(value, f"{prefix}{f.name}."))
        else:
            out[f"{prefix}{f.name}"] = value
    return out


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise PolicyError(message)


def _check_consistency(p: Policy) -> None:
    _require(0.0 < p.alpha < 1.0, f"policy key 'alpha' expects a value in (0, 1), got {p.alpha}")
    _require(
        0.0 < p.critical_columns.escalation_alpha < 1.0,
        "policy key 'critical_columns.escalation_alpha' expects a value in (0, 1), "
        f"got {p.critical_columns.escalation_alpha}",
    )
    _require(p.min_values >= 1, f"policy key 'min_values' expects an integer >= 1, got {p.min_values}")
    tiers = {
        "null_rate": (p.null_rate.medium, p.null_rate.high, "medium", "high", 1.0),
        "non_finite": (p.non_finite.medium, p.non_finite.high, "medium", "high", 1.0),
        "iqr_outliers": (p.iqr_outliers.medium, p.iqr_outliers.high, "medium", "high", 1.0),
        "zscore_outliers": (p.zscore_outliers.medium, p.zscore_outliers.high, "medium", "high", 1.0),
        "mean_shift": (p.mean_shift.d_medium, p.mean_shift.d_high, "d_medium", "d_high", math.inf),
        "scale_change": (p.scale_change.medium, p.scale_change.high, "medium", "high", math.inf),
        "volume": (p.volume.medium, p.volume.high, "medium", "high", math.inf),
        "ks": (p.ks.d_medium, p.ks.d_high, "d_medium", "d_high", 1.0),
        "psi": (p.psi.medium, p.psi.high, "medium", "high", math.inf),
        "chi_square": (p.chi_square.js_medium, p.chi_square.js_high, "js_medium", "js_high", 1.0),
        "novel_values": (p.novel_values.medium, p.novel_values.high, "medium", "high", 1.0),
        "freshness": (p.freshness.medium, p.freshness.high, "medium", "high", math.inf),
    }
    for section, (medium, high, m_key, h_key, upper) in tiers.items():
        _require(
            0.0 < medium <= high <= upper,
            f"policy keys '{section}.{m_key}' and '{section}.{h_key}' expect "
            f"0 < {m_key} <= {h_key} <= {upper}, got {medium} and {high}",
        )
    for section in ("iqr_outliers", "zscore_outliers", "novel_values"):
        minimum = getattr(p, section).min_excess_count
        _require(minimum >= 0.0, f"policy key '{section}.min_excess_count' expects a value >= 0, got {minimum}")
    anomaly = p.metric_anomaly
    _require(
        anomaly.min_history >= 5,
        f"policy key 'metric_anomaly.min_history' expects an integer >= 5, got {anomaly.min_history}",
    )
    _require(
        anomaly.window_runs >= anomaly.min_history,
        "policy keys 'metric_anomaly.window_runs' and 'metric_anomaly.min_history' expect "
        f"window_runs >= min_history, got {anomaly.window_runs} and {anomaly.min_history}",
    )
    _require(
        0.0 < anomaly.z_medium <= anomaly.z_high,
        "policy keys 'metric_anomaly.z_medium' and 'metric_anomaly.z_high' expect 0 < z_medium <= z_high, "
        f"got {anomaly.z_medium} and {anomaly.z_high}",
    )
    _require(
        anomaly.min_relative_scale >= 0.0,
        f"policy key 'metric_anomaly.min_relative_scale' expects a value >= 0, got {anomaly.min_relative_scale}",
    )
    _require(
        anomaly.seasonal_min_per_weekday >= 3,
        "policy key 'metric_anomaly.seasonal_min_per_weekday' expects an integer >= 3, "
        f"got {anomaly.seasonal_min_per_weekday}",
    )
    _require(
        p.alerts.min_severity != "info",
        "policy key 'alerts.min_severity' expects one of low, medium, high, critical, got 'info'",
    )
    _require(0.0 < p.psi.epsilon < 1.0, f"policy key 'psi.epsilon' expects a value in (0, 1), got {p.psi.epsilon}")
    _require(
        0.0 < p.psi.noise_floor_confidence < 1.0,
        f"policy key 'psi.noise_floor_confidence' expects a value in (0, 1), got {p.psi.noise_floor_confidence}",
    )
    _require(
        p.psi.min_rows_per_bin >= 0.0,
        f"policy key 'psi.min_rows_per_bin' expects a value >= 0, got {p.psi.min_rows_per_bin}",
    )
    _require(
        p.chi_square.min_expected >= 0.0,
        f"policy key 'chi_square.min_expected' expects a value >= 0, got {p.chi_square.min_expected}",
    )
    _require(
        p.critical_columns.deduction_multiplier >= 1.0,
        "policy key 'critical_columns.deduction_multiplier' expects a value >= 1, "
        f"got {p.critical_columns.deduction_multiplier}",
    )
    w = p.weights
    _require(
        0.0 <= w.low <= w.medium <= w.high <= w.critical,
        "policy keys 'weights.*' expect 0 <= low <= medium <= high <= critical, "
        f"got {w.low}, {w.medium}, {w.high}, {w.critical}",
    )
    _require(
        p.scoring.cap_per_signal_type >= 0.0,
        f"policy key 'scoring.cap_per_signal_type' expects a value >= 0, got {p.scoring.cap_per_signal_type}",
    )
    d = p.decision
    _require(
        0.0 <= d.block_below <= d.warn_below <= d.monitor_below <= 100.0,
        "policy keys 'decision.*_below' expect 0 <= block_below <= warn_below <= monitor_below <= 100, "
        f"got {d.block_below}, {d.warn_below}, {d.monitor_below}",
    )
    # A worse severity must never force a milder decision, or adding a signal
    # could lower the decision.
    floors = [DECISION_ORDER.index(p.decision_floor(s)) for s in SEVERITY_ORDER[1:]]
    _require(
        floors == sorted(floors),
        "policy keys 'decision.floor_*' expect floor_low <= floor_medium <= floor_high <= floor_critical "
        f"in the order {' < '.join(DECISION_ORDER)}",
    )


def _coerce(value: object, expected: Any, key: str) -> PolicyValue:
    if typing.get_origin(expected) is Literal:
        allowed = typing.get_args(expected)
        if value not in allowed:
            raise PolicyError(f"policy key {key!r} expects one of {', '.join(allowed)}, got {value!r}")
        return typing.cast(str, value)
    if expected is bool:
        if not isinstance(value, bool):
            raise PolicyError(f"policy key {key!r} expects true or false, got {value!r}")
        return value
    if expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PolicyError(f"policy key {key!r} expects an integer, got {value!r}")
        return value
    if expected is float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise PolicyError(f"policy key {key!r} expects a finite number, got {value!r}")
        return float(value)
    raise TypeError(f"unsupported policy field type for {key!r}: {expected!r}")  # pragma: no cover


T = TypeVar("T")


def _apply(base: T, overrides: Mapping[str, object], prefix: str) -> T:
    hints = typing.get_type_hints(type(base))
    changes: dict[str, object] = {}
    for key, value in overrides.items():
        path = f"{prefix}{key}"
        if not isinstance(key, str) or key not in hints:
            raise PolicyError(f"unknown policy key {path!r}; expected one of: {', '.join(hints)}")
        current = getattr(base, key)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, Mapping):
                raise PolicyError(
                    f"policy key {path!r} expects a mapping with keys "
                    f"{', '.join(typing.get_type_hints(type(current)))}, got {value!r}"
                )
            changes[key] = _apply(current, value, f"{path}.")
        else:
            changes[key] = _coerce(value, hints[key], path)
    if not changes:
        return base
    return typing.cast(T, dataclasses.replace(typing.cast(Any, base), **changes))


def _deep_merge(low: Mapping[str, object], high: Mapping[str, object]) -> dict[str, object]:
    merged: dict[str, object] = dict(low)
    for key, value in high.items():
        below = merged.get(key)
        if isinstance(below, Mapping) and isinstance(value, Mapping):
            merged[key] = _deep_merge(below, value)
        else:
            merged[key] = value
    return merged


def resolve_policy(
    package_overrides: Mapping[str, object] | None = None,
    dataset_overrides: Mapping[str, object] | None = None,
) -> Policy:
    """Defaults, then package overrides, then dataset overrides (nested merge).

    The merged result is validated once, so a dataset may fix a pair of levels
    that the package override alone would leave inconsistent.
    """
    for name, layer in (("package", package_overrides), ("dataset", dataset_overrides)):
        if layer is not None and not isinstance(layer, Mapping):
            raise PolicyError(f"{name} policy overrides must be a mapping, got {layer!r}")
    merged = _deep_merge(package_overrides or {}, dataset_overrides or {})
    return _apply(Policy(), merged, "")
