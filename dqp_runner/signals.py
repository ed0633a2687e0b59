"""Aggregates to signals: which checks fire for one dataset, and how badly.

``evaluate_dataset`` is pure and deterministic. It returns only signals that
fire (severity low or above) plus ``insufficient_data`` info rows, sorted by
``signal_sort_key``. Aggregates that are missing or do not add up raise
``IncompleteAggregatesError``: a column is never skipped silently.

What the aggregates are assumed to mean (see ``aggregates.py``):

* ``row_count`` is the same for every profile of one side.
* KS rows (exact values or bins) count every non-NULL, non-NaN value,
  +/-Infinity included: they sum to ``row_count - null_count - nan_count``.
* PSI bins count every row, NULL and NaN in the null bin: they sum to ``row_count``.
* Category rows count every row, 'other' and 'null' buckets included.
* Outlier counts are over finite values, with the reference's bounds.
* A numeric column's ``ks_method`` is the same on both sides.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from dqp_runner import stats
from dqp_runner.aggregates import (
    CategoryCount,
    ColumnProfile,
    DatasetAggregates,
    HistogramBin,
    SideAggregates,
)
from dqp_runner.policy import Policy, Tiers

JsonScalar = str | int | float | bool | None
JsonValue = JsonScalar | list[str]


class IncompleteAggregatesError(ValueError):
    """The aggregates for a column are missing or inconsistent; the run must fail."""


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> Severity:
        return cls[label.upper()]


class SignalType(enum.StrEnum):
    SCHEMA_CHANGE = "schema_change"
    VOLUME = "volume"
    NULL_RATE = "null_rate"
    NON_FINITE = "non_finite"
    IQR_OUTLIERS = "iqr_outliers"
    ZSCORE_OUTLIERS = "zscore_outliers"
    PSI = "psi"
    KS = "ks"
    CHI_SQUARE = "chi_square"
    INSUFFICIENT_DATA = "insufficient_data"


# Declaration order is the reporting order.
SIGNAL_TYPE_ORDER: dict[SignalType, int] = {t: i for i, t in enumerate(SignalType)}


class RecommendedAction(enum.StrEnum):
    RECONCILE_SCHEMA_CHANGE = "RECONCILE_SCHEMA_CHANGE"
    CHECK_UPSTREAM_VOLUME = "CHECK_UPSTREAM_VOLUME"
    INVESTIGATE_NULL_SPIKE = "INVESTIGATE_NULL_SPIKE"
    CHECK_NON_FINITE_VALUES = "CHECK_NON_FINITE_VALUES"
    REVIEW_OUTLIERS = "REVIEW_OUTLIERS"
    REVIEW_DISTRIBUTION_DRIFT = "REVIEW_DISTRIBUTION_DRIFT"
    REVIEW_CATEGORY_DRIFT = "REVIEW_CATEGORY_DRIFT"
    COLLECT_MORE_DATA = "COLLECT_MORE_DATA"


ACTION_FOR: dict[SignalType, RecommendedAction] = {
    SignalType.SCHEMA_CHANGE: RecommendedAction.RECONCILE_SCHEMA_CHANGE,
    SignalType.VOLUME: RecommendedAction.CHECK_UPSTREAM_VOLUME,
    SignalType.NULL_RATE: RecommendedAction.INVESTIGATE_NULL_SPIKE,
    SignalType.NON_FINITE: RecommendedAction.CHECK_NON_FINITE_VALUES,
    SignalType.IQR_OUTLIERS: RecommendedAction.REVIEW_OUTLIERS,
    SignalType.ZSCORE_OUTLIERS: RecommendedAction.REVIEW_OUTLIERS,
    SignalType.PSI: RecommendedAction.REVIEW_DISTRIBUTION_DRIFT,
    SignalType.KS: RecommendedAction.REVIEW_DISTRIBUTION_DRIFT,
    SignalType.CHI_SQUARE: RecommendedAction.REVIEW_CATEGORY_DRIFT,
    SignalType.INSUFFICIENT_DATA: RecommendedAction.COLLECT_MORE_DATA,
}

# Category keys for the two buckets that are not values; a value spelled the
# same way would be ambiguous and is refused.
OTHER_CATEGORY = "__other__"
NULL_CATEGORY = "__null__"


@dataclass(frozen=True)
class Signal:
    """One finding. ``details`` holds JSON scalars (and lists of strings) only."""

    column_name: str | None
    signal_type: SignalType
    method: str
    metric_value: float | None
    threshold: float | None
    p_value: float | None
    error_bound: float | None
    severity: Severity
    recommended_action: RecommendedAction
    is_critical_column: bool
    details: Mapping[str, JsonValue] = field(default_factory=dict)

    def details_json(self) -> str:
        return json.dumps(dict(self.details), sort_keys=True, separators=(",", ":"), allow_nan=False)

    def canonical_json(self) -> str:
        """Every field, serialised canonically: equal strings mean interchangeable signals."""
        fields = {
            "column_name": self.column_name,
            "signal_type": self.signal_type.value,
            "method": self.method,
            "metric_value": self.metric_value,
            "threshold": self.threshold,
            "p_value": self.p_value,
            "error_bound": self.error_bound,
            "severity": self.severity.label,
            "recommended_action": self.recommended_action.value,
            "is_critical_column": self.is_critical_column,
            "details": dict(self.details),
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":"))


def signal_sort_key(s: Signal) -> tuple[int, str, int, str, str]:
    """Dataset-level first, then column name, signal type, method; the full
    serialisation breaks any remaining tie, so the order never depends on input order."""
    return (
        0 if s.column_name is None else 1,
        s.column_name or "",
        SIGNAL_TYPE_ORDER[s.signal_type],
        s.method,
        s.canonical_json(),
    )


@dataclass(frozen=True)
class _Ctx:
    column: str | None
    critical: bool
    policy: Policy


def _signal(
    ctx: _Ctx,
    signal_type: SignalType,
    method: str,
    severity: Severity,
    *,
    metric_value: float | None = None,
    threshold: float | None = None,
    p_value: float | None = None,
    error_bound: float | None = None,
    details: Mapping[str, JsonValue] | None = None,
) -> Signal:
    extra: dict[str, JsonValue] = dict(details or {})
    if ctx.critical and severity == Severity.HIGH and ctx.policy.critical_columns.escalate_high:
        severity = Severity.CRITICAL
        extra["escalated_from"] = Severity.HIGH.label
    for key, value in extra.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"detail {key!r} is not finite")  # keeps rows JSON-serialisable
    return Signal(
        column_name=ctx.column,
        signal_type=signal_type,
        method=method,
        metric_value=metric_value,
        threshold=threshold,
        p_value=p_value,
        error_bound=error_bound,
        severity=severity,
        recommended_action=ACTION_FOR[signal_type],
        is_critical_column=ctx.critical,
        details=extra,
    )


def _insufficient(ctx: _Ctx, method: str, reason: str, **counts: JsonValue) -> Signal:
    return _signal(
        ctx,
        SignalType.INSUFFICIENT_DATA,
        method,
        Severity.INFO,
        details={"reason": reason, **counts},
    )


# Levels are inclusive; the slack keeps e.g. 0.15 - 0.10 (= 0.04999...) at a 0.05 level.
_LEVEL_SLACK = 1e-12


def _tier(value: float, medium: float, high: float) -> tuple[Severity, float] | None:
    """Severity and the level crossed."""
    if value + _LEVEL_SLACK >= high:
        return Severity.HIGH, high
    if value + _LEVEL_SLACK >= medium:
        return Severity.MEDIUM, medium
    return None


# --------------------------------------------------------------------------- #
# Dataset level


def _side_rows(side: SideAggregates, label: str) -> int | None:
    counts = sorted({p.row_count for p in side.profiles.values()})
    if len(counts) > 1:
        raise IncompleteAggregatesError(f"{label} profiles disagree on the row count: {', '.join(map(str, counts))}")
    return counts[0] if counts else None


def _volume_signals(agg: DatasetAggregates, policy: Policy) -> list[Signal]:
    ctx = _Ctx(None, False, policy)
    ref_rows = _side_rows(agg.reference, "reference")
    cur_rows = _side_rows(agg.current, "current")
    if ref_rows is None or cur_rows is None:
        return [_insufficient(ctx, "row_count_ratio", "no_profiles")]
    per_day = agg.reference_window_days is not None and agg.current_window_days is not None
    ratio = stats.volume_ratio(ref_rows, cur_rows, agg.reference_window_days, agg.current_window_days)
    method = "daily_row_count_ratio" if per_day else "row_count_ratio"
    counts: dict[str, JsonValue] = {"reference_rows": ref_rows, "current_rows": cur_rows}
    if ratio is None:
        return [_insufficient(ctx, method, "empty_reference", **counts)]
    change = ratio - 1.0
    hit = _tier(abs(change), policy.volume.medium, policy.volume.high)
    if hit is None:
        return []
    if per_day:
        counts["reference_window_days"] = agg.reference_window_days
        counts["current_window_days"] = agg.current_window_days
    return [
        _signal(
            ctx,
            SignalType.VOLUME,
            method,
            hit[0],
            metric_value=change,
            threshold=hit[1],
            details={"ratio": ratio, **counts},
        )
    ]


def _normalise_type(data_type: str) -> str:
    return " ".join(data_type.lower().split())


def _schema_signals(agg: DatasetAggregates, policy: Policy) -> list[Signal]:
    ref = {c.column_name: c for c in agg.reference.schema}
    cur = {c.column_name: c for c in agg.current.schema}
    if not ref or not cur:
        return [
            _insufficient(
                _Ctx(None, False, policy),
                "schema_diff",
                "schema_not_captured",
                reference_columns=len(ref),
                current_columns=len(cur),
            )
        ]
    out: list[Signal] = []
    for name in sorted(set(ref) | set(cur)):
        ctx = _Ctx(name, name in agg.critical_columns, policy)
        before, after = ref.get(name), cur.get(name)
        if after is None and before is not None:
            change, level, details = "removed", policy.schema.removed, {"reference_type": before.data_type}
        elif before is None and after is not None:
            change, level, details = "added", policy.schema.added, {"current_type": after.data_type}
        elif (
            before is not None
            and after is not None
            and _normalise_type(before.data_type) != _normalise_type(after.data_type)
        ):
            change, level = "retyped", policy.schema.retyped
            details = {"reference_type": before.data_type, "current_type": after.data_type}
        else:
            continue
        out.append(
            _signal(
                ctx,
                SignalType.SCHEMA_CHANGE,
                "schema_diff",
                Severity.from_label(level),
                details={"change": change, **details},
            )
        )
    return out


# --------------------------------------------------------------------------- #
# Column level


def _rate_signal(
    ctx: _Ctx,
    signal_type: SignalType,
    tiers: Tiers,
    ref: tuple[int, int],
    cur: tuple[int, int],
) -> list[Signal]:
    """Flags an increase of ``count / n`` from reference to current."""
    delta = stats.rate_delta(ref[0], ref[1], cur[0], cur[1])
    if delta is None:
        return []
    hit = _tier(delta, tiers.medium, tiers.high)
    if hit is None:
        return []
    return [
        _signal(
            ctx,
            signal_type,
            "rate_delta",
            hit[0],
            metric_value=delta,
            threshold=hit[1],
            details={
                "reference_rate": ref[0] / ref[1],
                "current_rate": cur[0] / cur[1],
                "reference_count": ref[0],
                "current_count": cur[0],
            },
        )
    ]


def _non_finite(p: ColumnProfile) -> int:
    return p.nan_count + p.pos_inf_count + p.neg_inf_count


def _outlier_signals(ctx: _Ctx, rp: ColumnProfile, cp: ColumnProfile) -> list[Signal]:
    if rp.finite_count == 0 or cp.finite_count == 0:
        return []  # nothing finite to fence; the non_finite signal speaks for it
    out: list[Signal] = []
    kinds: Sequence[tuple[SignalType, Callable[[ColumnProfile], int | None], Tiers]] = (
        (SignalType.IQR_OUTLIERS, lambda p: p.iqr_outlier_count, ctx.policy.iqr_outliers),
        (SignalType.ZSCORE_OUTLIERS, lambda p: p.zscore_outlier_count, ctx.policy.zscore_outliers),
    )
    for signal_type, count_of, tiers in kinds:
        ref_count, cur_count = count_of(rp), count_of(cp)
        if ref_count is None or cur_count is None:
            raise IncompleteAggregatesError(f"column {ctx.column!r}: {signal_type.value} count is missing")
        out += _rate_signal(ctx, signal_type, tiers, (ref_count, rp.finite_count), (cur_count, cp.finite_count))
    return out


def _is_open(edge: float | None) -> bool:
    return edge is None or math.isinf(edge)


def _align_bins(
    column: str, what: str, ref_bins: Sequence[HistogramBin], cur_bins: Sequence[HistogramBin]
) -> tuple[list[float], list[int], list[int]]:
    """Aligns two sides' right-closed bins on the union of their edges.

    Bins that are empty on both sides may be missing (a GROUP BY only emits
    non-empty bins); losing an edge between two such bins changes neither the
    ECDFs at the remaining edges nor any share. Every row must be exactly one
    cell of the union grid, otherwise the two sides were not binned alike.
    """
    edges = sorted(
        {e for b in (*ref_bins, *cur_bins) for e in (b.lower_edge, b.upper_edge) if e is not None and not math.isinf(e)}
    )
    index = {e: i for i, e in enumerate(edges)}
    counts = ([0] * (len(edges) + 1), [0] * (len(edges) + 1))
    for side, bins in enumerate((ref_bins, cur_bins)):
        for b in bins:
            upper = b.upper_edge
            j = len(edges) if upper is None or math.isinf(upper) else index[upper]
            lower = None if j == 0 else edges[j - 1]
            if (lower is None) != _is_open(b.lower_edge) or (lower is not None and b.lower_edge != lower):
                raise IncompleteAggregatesError(
                    f"column {column!r}: {what} bin ({b.lower_edge}, {b.upper_edge}] does not match "
                    "the other side's bins"
                )
            counts[side][j] += b.value_count
    return edges, counts[0], counts[1]


def _check_total(column: str, what: str, side: str, got: int, expected: int) -> None:
    if got != expected:
        raise IncompleteAggregatesError(
            f"column {column!r}: {side} {what} counts sum to {got}, the profile implies {expected}"
        )


def _histogram(side: SideAggregates, which: str, column: str, label: str, expected_total: int) -> list[HistogramBin]:
    table = side.psi_bins if which == "psi" else side.ks_bins
    bins = table.get(column)
    if bins is None:
        if expected_total > 0:
            raise IncompleteAggregatesError(f"column {column!r}: {label} {which} histogram is missing")
        return []
    return bins


def _psi_signals(ctx: _Ctx, agg: DatasetAggregates, rp: ColumnProfile, cp: ColumnProfile) -> list[Signal]:
    name = rp.column_name
    sides = []
    for side, prof, label in ((agg.reference, rp, "reference"), (agg.current, cp, "current")):
        bins = _histogram(side, "psi", name, label, prof.row_count)
        _check_total(name, "psi", label, sum(b.value_count for b in bins), prof.row_count)
        sides.append(bins)
    value_bins = [[b for b in s if not b.is_null_bin] for s in sides]
    null_counts = [sum(b.value_count for b in s if b.is_null_bin) for s in sides]
    has_null_bin = any(b.is_null_bin for s in sides for b in s)
    _, ref_counts, cur_counts = _align_bins(name, "psi", value_bins[0], value_bins[1])
    if has_null_bin:
        ref_counts.append(null_counts[0])
        cur_counts.append(null_counts[1])
    policy = ctx.policy
    bin_count = len(ref_counts)
    if min(rp.row_count, cp.row_count) < policy.psi.min_rows_per_bin * bin_count:
        # With few rows per bin, empty bins (share -> epsilon) inflate PSI far
        # past the chi-square noise floor; KS, with its exact p-value, still runs.
        return [
            _insufficient(
                ctx,
                "psi_binned",
                "too_few_rows_per_bin",
                bins=bin_count,
                reference_rows=rp.row_count,
                current_rows=cp.row_count,
            )
        ]
    value = stats.psi(ref_counts, cur_counts, policy.psi.epsilon)
    if value is None:
        return []
    floor = stats.psi_noise_floor(rp.row_count, cp.row_count, bin_count, policy.psi.noise_floor_confidence)
    hit = _tier(value, max(policy.psi.medium, floor), max(policy.psi.high, floor))
    if hit is None:
        return []
    return [
        _signal(
            ctx,
            SignalType.PSI,
            "psi_binned",
            hit[0],
            metric_value=value,
            threshold=hit[1],
            details={"bins": bin_count, "noise_floor": floor, "epsilon": policy.psi.epsilon},
        )
    ]


def _ks_signals(ctx: _Ctx, agg: DatasetAggregates, rp: ColumnProfile, cp: ColumnProfile) -> list[Signal]:
    name = rp.column_name
    if rp.ks_method is None or rp.ks_method != cp.ks_method:
        raise IncompleteAggregatesError(
            f"column {name!r}: KS method must be set and equal on both sides, got {rp.ks_method!r} and {cp.ks_method!r}"
        )
    sides = []
    for side, prof, label in ((agg.reference, rp, "reference"), (agg.current, cp, "current")):
        expected = prof.row_count - prof.null_count - prof.nan_count
        bins = [b for b in _histogram(side, "ks", name, label, expected) if not b.is_null_bin]
        _check_total(name, "ks", label, sum(b.value_count for b in bins), expected)
        sides.append(bins)

    result: stats.KsResult | None
    if rp.ks_method == "exact":
        values: list[list[float]] = [[], []]
        for i, bins in enumerate(sides):
            for b in bins:
                if b.value is None or math.isnan(b.value):
                    raise IncompleteAggregatesError(f"column {name!r}: exact KS row without a value")
                values[i].append(b.value)
        result = stats.ks_exact(
            values[0], [b.value_count for b in sides[0]], values[1], [b.value_count for b in sides[1]]
        )
    else:
        edges, ref_counts, cur_counts = _align_bins(name, "ks", sides[0], sides[1])
        result = stats.ks_binned(edges, ref_counts, cur_counts)
    method = f"ks_{rp.ks_method}"
    if result is None:
        return [_insufficient(ctx, method, "empty_side")]
    policy = ctx.policy
    hit = _tier(result.d, policy.ks.d_medium, policy.ks.d_high)
    if result.p_value >= policy.alpha or hit is None:
        return []
    details: dict[str, JsonValue] = {"n": result.n, "m": result.m, "alpha": policy.alpha}
    if result.method == "binned":
        details["d_upper_bound"] = min(1.0, result.d + result.error_bound)
    return [
        _signal(
            ctx,
            SignalType.KS,
            method,
            hit[0],
            metric_value=result.d,
            threshold=hit[1],
            p_value=result.p_value,
            error_bound=result.error_bound,
            details=details,
        )
    ]


def _category_map(column: str, rows: Sequence[CategoryCount]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        if row.category_kind == "value":
            if row.category_value in (OTHER_CATEGORY, NULL_CATEGORY):
                raise IncompleteAggregatesError(
                    f"column {column!r}: value {row.category_value!r} clashes with a reserved bucket name"
                )
            key = row.category_value
        else:
            key = OTHER_CATEGORY if row.category_kind == "other" else NULL_CATEGORY
        out[key] = out.get(key, 0) + row.value_count
    return out


def _category_signals(ctx: _Ctx, agg: DatasetAggregates, rp: ColumnProfile, cp: ColumnProfile) -> list[Signal]:
    name = rp.column_name
    maps = []
    for side, prof, label in ((agg.reference, rp, "reference"), (agg.current, cp, "current")):
        rows = side.categories.get(name)
        if rows is None:
            raise IncompleteAggregatesError(f"column {name!r}: {label} category counts are missing")
        counts = _category_map(name, rows)
        _check_total(name, "category", label, sum(counts.values()), prof.row_count)
        maps.append(counts)
    policy = ctx.policy
    union = sorted(set(maps[0]) | set(maps[1]))
    js = stats.jensen_shannon([maps[0].get(k, 0) for k in union], [maps[1].get(k, 0) for k in union])
    if js is None or js == 0.0:
        return []  # identical distributions: nothing to test
    chi = stats.chi_square(maps[0], maps[1], policy.chi_square.min_expected)
    if chi.p_value is None or chi.statistic is None:
        return [_insufficient(ctx, "chi2_contingency", "not_testable", n=chi.n, m=chi.m)]
    hit = _tier(js, policy.chi_square.js_medium, policy.chi_square.js_high)
    if chi.p_value >= policy.alpha or hit is None:
        return []
    return [
        _signal(
            ctx,
            SignalType.CHI_SQUARE,
            "chi2_contingency",
            hit[0],
            metric_value=js,
            threshold=hit[1],
            p_value=chi.p_value,
            details={
                "effect_size": "jensen_shannon_distance_base2",
                "statistic": chi.statistic,
                "dof": chi.dof,
                "merged_categories": list(chi.merged_categories),
                "alpha": policy.alpha,
            },
        )
    ]


def _column_signals(agg: DatasetAggregates, rp: ColumnProfile, cp: ColumnProfile, policy: Policy) -> list[Signal]:
    name = rp.column_name
    ctx = _Ctx(name, name in agg.critical_columns, policy)
    if rp.row_count == 0 or cp.row_count == 0:
        return [
            _insufficient(ctx, "column_profile", "empty_side", reference_rows=rp.row_count, current_rows=cp.row_count)
        ]
    out = _rate_signal(
        ctx, SignalType.NULL_RATE, policy.null_rate, (rp.null_count, rp.row_count), (cp.null_count, cp.row_count)
    )
    if rp.column_kind != cp.column_kind:
        return out + [
            _insufficient(
                ctx, "column_profile", "column_kind_changed", reference_kind=rp.column_kind, current_kind=cp.column_kind
            )
        ]
    numeric = rp.column_kind == "numeric"
    if numeric:
        out += _rate_signal(
            ctx,
            SignalType.NON_FINITE,
            policy.non_finite,
            (_non_finite(rp), rp.row_count),
            (_non_finite(cp), cp.row_count),
        )
    if rp.column_kind == "other":
        return out
    # Values the distribution tests rank: NaN is only counted, never ranked.
    ref_values = rp.row_count - rp.null_count - (rp.nan_count if numeric else 0)
    cur_values = cp.row_count - cp.null_count - (cp.nan_count if numeric else 0)
    if min(ref_values, cur_values) < policy.min_values:
        return out + [
            _insufficient(
                ctx, "column_profile", "too_few_values", reference_values=ref_values, current_values=cur_values
            )
        ]
    if numeric:
        out += _outlier_signals(ctx, rp, cp)
        out += _psi_signals(ctx, agg, rp, cp)
        out += _ks_signals(ctx, agg, rp, cp)
    else:
        out += _category_signals(ctx, agg, rp, cp)
    return out


def evaluate_dataset(aggregates: DatasetAggregates, policy: Policy) -> list[Signal]:
    """All signals that fire for one dataset, plus insufficient-data info rows, sorted."""
    ref, cur = aggregates.reference, aggregates.current
    out = _volume_signals(aggregates, policy) + _schema_signals(aggregates, policy)
    for name in sorted(set(ref.profiles) | set(cur.profiles)):
        rp, cp = ref.profiles.get(name), cur.profiles.get(name)
        if rp is None or cp is None:
            # Only a column the schema says is added or removed may lack a profile.
            label, side = ("reference", ref) if rp is None else ("current", cur)
            if not side.schema or any(c.column_name == name for c in side.schema):
                raise IncompleteAggregatesError(f"column {name!r}: the {label} profile is missing")
            continue
        out += _column_signals(aggregates, rp, cp, policy)
    return sorted(out, key=signal_sort_key)
