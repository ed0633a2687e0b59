"""Aggregates to signals: which checks fire for one dataset, and how badly.

``evaluate_dataset`` is pure and deterministic. It returns an ``Evaluation``:
every metric it computed (``ColumnMetric``, fired or not) and the signals,
i.e. the metrics that fired (severity low or above) plus ``insufficient_data``
info rows, sorted by ``signal_sort_key``. Aggregates that are missing or do
not add up raise ``IncompleteAggregatesError``: a column is never skipped
silently.

A metric fires when its effect size reaches a level *and*, if it has a
significance test, its p-value adjusted across the whole dataset
(``policy.multiple_testing``) is below ``policy.alpha``.

What the aggregates are assumed to mean (see ``aggregates.py``):

* ``row_count`` is the same for every profile of one side.
* KS rows (exact values or bins) count every non-NULL, non-NaN value,
  +/-Infinity included: they sum to ``row_count - null_count - nan_count``.
* PSI bins count every row, NULL and NaN in the null bin: they sum to
  ``row_count``. Nulls are judged by ``null_rate`` alone, so PSI drops the null bin.
* Category rows count every row, 'other' and 'null' buckets included; the
  chi-square test drops the null bucket for the same reason.
* Outlier counts are over finite values, with the reference's bounds.
* A numeric column's ``ks_method`` is the same on both sides.
* A side sampled above the row budget (``SideAggregates.sampled_rows``) has
  its PSI, KS and category rows counted on the sample, so they sum to the
  sample's totals, not the profile's: every test on them uses the sampled
  counts as its sample size (never counts scaled up to the whole side), and
  its details say which sides were sampled.
"""

from __future__ import annotations

import json
import math
import re
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
from dqp_runner.metrics import ColumnMetric, JsonValue, MetricState
from dqp_runner.policy import OutlierTiers, Policy, Tiers
from dqp_runner.vocabulary import ACTION_FOR, METRIC_NAME, SIGNAL_TYPE_ORDER, RecommendedAction, Severity, SignalType


class IncompleteAggregatesError(ValueError):
    """The aggregates for a column are missing or inconsistent; the run must fail."""


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


def signal_sort_key(signal: Signal) -> tuple[int, str, int, str, str]:
    """Dataset-level first, then column name, signal type, method; the full
    serialisation breaks any remaining tie, so the order never depends on input order."""
    return (
        0 if signal.column_name is None else 1,
        signal.column_name or "",
        SIGNAL_TYPE_ORDER[signal.signal_type],
        signal.method,
        signal.canonical_json(),
    )


@dataclass(frozen=True)
class Evaluation:
    """One dataset's evaluation: the signals to score and every metric computed.

    ``signals``: metrics that fired plus ``insufficient_data`` info rows,
    sorted by ``signal_sort_key``. ``metrics``: one row per test run, for every
    column, fired or not, sorted by (dataset level first, column, signal type,
    metric name, method).
    """

    signals: list[Signal]
    metrics: list[ColumnMetric]


@dataclass(frozen=True)
class _Scope:
    """Where a test runs: a column (None for the dataset), whether it is critical, and the policy."""

    column: str | None
    critical: bool
    policy: Policy


def _signal(
    scope: _Scope,
    signal_type: SignalType,
    method: str,
    severity: Severity,
    *,
    metric_value: float | None = None,
    threshold: float | None = None,
    p_value: float | None = None,
    error_bound: float | None = None,
    p_value_adjusted: float | None = None,
    details: Mapping[str, JsonValue] | None = None,
) -> Signal:
    extra: dict[str, JsonValue] = dict(details or {})
    critical_columns = scope.policy.critical_columns
    if scope.critical and severity == Severity.HIGH and critical_columns.escalate_high:
        # Like a control chart's action limit: blocking needs stronger evidence than warning.
        if p_value_adjusted is None or p_value_adjusted < min(critical_columns.escalation_alpha, scope.policy.alpha):
            severity = Severity.CRITICAL
            extra["escalated_from"] = Severity.HIGH.label
        else:
            extra["escalation_withheld"] = "p_value_adjusted >= critical_columns.escalation_alpha"
    for key, value in extra.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"detail {key!r} is not finite")  # keeps rows JSON-serialisable
    return Signal(
        column_name=scope.column,
        signal_type=signal_type,
        method=method,
        metric_value=metric_value,
        threshold=threshold,
        p_value=p_value,
        error_bound=error_bound,
        severity=severity,
        recommended_action=ACTION_FOR[signal_type],
        is_critical_column=scope.critical,
        details=extra,
    )


def _insufficient_signal(scope: _Scope, method: str, reason: str, counts: Mapping[str, JsonValue]) -> Signal:
    return _signal(scope, SignalType.INSUFFICIENT_DATA, method, Severity.INFO, details={"reason": reason, **counts})


@dataclass(frozen=True)
class _Measurement:
    """One test as computed, before the dataset-wide multiple-testing correction decides it.

    ``level`` is the severity and level the effect reached (None: below every
    level). ``insufficient`` is a reason when the test could not be trusted;
    ``own_signal`` False means a column-level info row already says so.
    """

    scope: _Scope
    signal_type: SignalType
    method: str
    metric_value: float | None = None
    threshold: float | None = None
    level: tuple[Severity, float | None] | None = None
    p_value: float | None = None
    error_bound: float | None = None
    current_value: float | None = None
    reference_value: float | None = None
    reference_n: int | None = None
    current_n: int | None = None
    insufficient: str | None = None
    own_signal: bool = True
    details: Mapping[str, JsonValue] = field(default_factory=dict)


def _insufficient(
    scope: _Scope,
    signal_type: SignalType,
    method: str,
    reason: str,
    *,
    own_signal: bool = True,
    reference_n: int | None = None,
    current_n: int | None = None,
    details: Mapping[str, JsonValue] | None = None,
    **counts: JsonValue,
) -> _Measurement:
    return _Measurement(
        scope,
        signal_type,
        method,
        insufficient=reason,
        own_signal=own_signal,
        reference_n=reference_n,
        current_n=current_n,
        details={**(details or {}), **counts},
    )


# Levels are inclusive; the slack keeps e.g. 0.15 - 0.10 (= 0.04999...) at a 0.05 level.
_LEVEL_SLACK = 1e-12


def _tier(value: float, medium: float, high: float) -> tuple[Severity, float | None] | None:
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


def _volume(aggregates: DatasetAggregates, policy: Policy) -> list[_Measurement]:
    scope = _Scope(None, False, policy)
    ref_rows = _side_rows(aggregates.reference, "reference")
    cur_rows = _side_rows(aggregates.current, "current")
    if ref_rows is None or cur_rows is None:
        return [_insufficient(scope, SignalType.VOLUME, "row_count_ratio", "no_profiles")]
    per_day = aggregates.reference_window_days is not None and aggregates.current_window_days is not None
    ratio = stats.volume_ratio(ref_rows, cur_rows, aggregates.reference_window_days, aggregates.current_window_days)
    method = "daily_row_count_ratio" if per_day else "row_count_ratio"
    counts: dict[str, JsonValue] = {"reference_rows": ref_rows, "current_rows": cur_rows}
    if ratio is None:
        return [
            _insufficient(
                scope,
                SignalType.VOLUME,
                method,
                "empty_reference",
                reference_n=ref_rows,
                current_n=cur_rows,
                details=counts,
            )
        ]
    if per_day:
        counts["reference_window_days"] = aggregates.reference_window_days
        counts["current_window_days"] = aggregates.current_window_days
    change = ratio - 1.0
    return [
        _Measurement(
            scope,
            SignalType.VOLUME,
            method,
            metric_value=change,
            threshold=policy.volume.medium,
            level=_tier(abs(change), policy.volume.medium, policy.volume.high),
            p_value=stats.volume_change_p_value(
                ref_rows, cur_rows, aggregates.reference_window_days, aggregates.current_window_days
            ),
            current_value=float(cur_rows),
            reference_value=float(ref_rows),
            reference_n=ref_rows,
            current_n=cur_rows,
            details={"ratio": ratio, **counts},
        )
    ]


def _normalise_type(data_type: str) -> str:
    return " ".join(data_type.lower().split())


# Integer and float families, narrowest first: moving right within one family loses nothing.
_WIDENING_ORDERS: tuple[tuple[frozenset[str], ...], ...] = (
    (
        frozenset({"tinyint", "int1"}),
        frozenset({"smallint", "int2", "short"}),
        frozenset({"integer", "int", "int4", "signed"}),
        frozenset({"bigint", "int8", "long"}),
        frozenset({"hugeint", "int128"}),
    ),
    (
        frozenset({"utinyint"}),
        frozenset({"usmallint"}),
        frozenset({"uinteger"}),
        frozenset({"ubigint"}),
        frozenset({"uhugeint"}),
    ),
    (
        frozenset({"real", "float4", "float"}),
        frozenset({"double precision", "double", "float8"}),
    ),
)
_DECIMAL = re.compile(r"^(?:numeric|decimal)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$")
_VARCHAR = re.compile(r"^(?:character varying|varchar)\s*\(\s*(\d+)\s*\)$")
_UNBOUNDED_TEXT = frozenset({"text", "varchar", "character varying", "string"})


def is_lossless_widening(reference_type: str, current_type: str) -> bool:
    """True when every value of ``reference_type`` fits ``current_type`` unchanged.

    Counted as lossless: a wider integer of the same signedness (smallint ->
    integer -> bigint -> hugeint), real -> double, decimal(p, s) ->
    decimal(p', s') with s' >= s and p' - s' >= p - s (no digit lost on
    either side of the point), varchar(n) -> varchar(m >= n) and bounded or
    unbounded varchar -> text. Anything else (narrowing, integer <-> float,
    integer -> decimal, text -> number, time zones) is a retype.
    """
    before, after = _normalise_type(reference_type), _normalise_type(current_type)
    for order in _WIDENING_ORDERS:
        before_rank = next((rank for rank, names in enumerate(order) if before in names), None)
        after_rank = next((rank for rank, names in enumerate(order) if after in names), None)
        if before_rank is not None and after_rank is not None:
            return before_rank < after_rank
    decimals = _DECIMAL.match(before), _DECIMAL.match(after)
    if decimals[0] and decimals[1]:
        precision, scale = int(decimals[0].group(1)), int(decimals[0].group(2) or 0)
        new_precision, new_scale = int(decimals[1].group(1)), int(decimals[1].group(2) or 0)
        return new_scale >= scale and new_precision - new_scale >= precision - scale
    texts = _VARCHAR.match(before), _VARCHAR.match(after)
    if texts[0] and texts[1]:
        return int(texts[1].group(1)) >= int(texts[0].group(1))
    return (texts[0] is not None or before in _UNBOUNDED_TEXT) and after in _UNBOUNDED_TEXT and before != after


def _schema(aggregates: DatasetAggregates, policy: Policy) -> list[_Measurement]:
    ref = {c.column_name: c for c in aggregates.reference.schema}
    cur = {c.column_name: c for c in aggregates.current.schema}
    if not ref or not cur:
        return [
            _insufficient(
                _Scope(None, False, policy),
                SignalType.SCHEMA_CHANGE,
                "schema_diff",
                "schema_not_captured",
                reference_columns=len(ref),
                current_columns=len(cur),
            )
        ]
    out: list[_Measurement] = []
    for name in sorted(set(ref) | set(cur)):
        scope = _Scope(name, name in aggregates.critical_columns, policy)
        before, after = ref.get(name), cur.get(name)
        details: dict[str, JsonValue]
        level: str | None
        if after is None and before is not None:
            change, level, details = "removed", policy.schema.removed, {"reference_type": before.data_type}
        elif before is None and after is not None:
            change, level, details = "added", policy.schema.added, {"current_type": after.data_type}
        elif before is not None and after is not None:
            details = {"reference_type": before.data_type, "current_type": after.data_type}
            if _normalise_type(before.data_type) == _normalise_type(after.data_type):
                change, level = "unchanged", None
            elif is_lossless_widening(before.data_type, after.data_type):
                change, level = "widened", policy.schema.widened
            else:
                change, level = "retyped", policy.schema.retyped
        else:  # pragma: no cover - the name came from one of the two schemas
            continue
        out.append(
            _Measurement(
                scope,
                SignalType.SCHEMA_CHANGE,
                "schema_diff",
                level=None if level is None else (Severity.from_label(level), None),
                details={"change": change, **details},
            )
        )
    return out


# --------------------------------------------------------------------------- #
# Column level


def _rate_increase(
    scope: _Scope,
    signal_type: SignalType,
    tiers: Tiers,
    ref: tuple[int, int],
    cur: tuple[int, int],
) -> list[_Measurement]:
    """An increase of ``count / n`` from reference to current, with a one-sided Fisher test.

    For outlier tiers, an excess below ``min_excess_count`` outliers (current
    count minus what the reference's rate predicts) is insufficient data when
    the rate alone would fire: one legitimate large value in 13 rows is not a
    7.7% outlier problem.
    """
    delta = stats.rate_delta(ref[0], ref[1], cur[0], cur[1])
    if delta is None:
        return []
    reference_rate, current_rate = ref[0] / ref[1], cur[0] / cur[1]
    level = _tier(delta, tiers.medium, tiers.high)
    details: dict[str, JsonValue] = {
        "reference_rate": reference_rate,
        "current_rate": current_rate,
        "reference_count": ref[0],
        "current_count": cur[0],
    }
    if isinstance(tiers, OutlierTiers):
        excess = cur[0] - reference_rate * cur[1]
        details["excess_count"] = excess
        if level is not None and excess + _LEVEL_SLACK < tiers.min_excess_count:
            return [
                _insufficient(
                    scope,
                    signal_type,
                    "rate_delta",
                    "too_few_excess_outliers",
                    reference_n=ref[1],
                    current_n=cur[1],
                    excess_count=excess,
                    min_excess_count=tiers.min_excess_count,
                    reference_count=ref[0],
                    current_count=cur[0],
                )
            ]
    return [
        _Measurement(
            scope,
            signal_type,
            "rate_delta",
            metric_value=delta,
            threshold=tiers.medium,
            level=level,
            p_value=stats.rate_increase_p_value(ref[0], ref[1], cur[0], cur[1]),
            current_value=current_rate,
            reference_value=reference_rate,
            reference_n=ref[1],
            current_n=cur[1],
            details=details,
        )
    ]


def _non_finite(profile: ColumnProfile) -> int:
    return profile.nan_count + profile.pos_inf_count + profile.neg_inf_count


def _outliers(scope: _Scope, ref_profile: ColumnProfile, cur_profile: ColumnProfile) -> list[_Measurement]:
    if ref_profile.finite_count == 0 or cur_profile.finite_count == 0:
        return []  # nothing finite to fence; the non_finite signal speaks for it
    out: list[_Measurement] = []
    kinds: Sequence[tuple[SignalType, Callable[[ColumnProfile], int | None], OutlierTiers]] = (
        (SignalType.IQR_OUTLIERS, lambda p: p.iqr_outlier_count, scope.policy.iqr_outliers),
        (SignalType.ZSCORE_OUTLIERS, lambda p: p.zscore_outlier_count, scope.policy.zscore_outliers),
    )
    for signal_type, count_of, tiers in kinds:
        ref_count, cur_count = count_of(ref_profile), count_of(cur_profile)
        if ref_count is None or cur_count is None:
            raise IncompleteAggregatesError(f"column {scope.column!r}: {signal_type.value} count is missing")
        out += _rate_increase(
            scope, signal_type, tiers, (ref_count, ref_profile.finite_count), (cur_count, cur_profile.finite_count)
        )
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
        for histogram_bin in bins:
            upper = histogram_bin.upper_edge
            position = len(edges) if upper is None or math.isinf(upper) else index[upper]
            lower = None if position == 0 else edges[position - 1]
            if (lower is None) != _is_open(histogram_bin.lower_edge) or (
                lower is not None and histogram_bin.lower_edge != lower
            ):
                raise IncompleteAggregatesError(
                    f"column {column!r}: {what} bin ({histogram_bin.lower_edge}, {histogram_bin.upper_edge}] "
                    "does not match the other side's bins"
                )
            counts[side][position] += histogram_bin.value_count
    return edges, counts[0], counts[1]


def _distribution_rows(side: SideAggregates, profile: ColumnProfile) -> int:
    """Rows a side's PSI and category counts cover: its sample's, or every row."""
    return profile.row_count if side.sampled_rows is None else side.sampled_rows


def _sample_details(aggregates: DatasetAggregates) -> dict[str, JsonValue]:
    """Which sides a distribution test read a sample of, for its explanation row; empty when none."""
    details: dict[str, JsonValue] = {}
    sampled: list[str] = []
    for label, side in (("reference", aggregates.reference), ("current", aggregates.current)):
        if side.sampled_rows is not None and side.sample_fraction is not None:
            sampled.append(label)
            details[f"{label}_sampled_rows"] = side.sampled_rows
            details[f"{label}_sample_fraction"] = side.sample_fraction
    return {"sampled_sides": sampled, **details} if sampled else {}


def _check_total(column: str, what: str, side: str, got: int, expected: int, sampled: bool = False) -> None:
    if got != expected:
        source = "the recorded sample (dqp_profile_runs)" if sampled else "the profile"
        raise IncompleteAggregatesError(
            f"column {column!r}: {side} {what} counts sum to {got}, {source} implies {expected}"
        )


def _histogram(side: SideAggregates, which: str, column: str, label: str, expected_total: int) -> list[HistogramBin]:
    table = side.psi_bins if which == "psi" else side.ks_bins
    bins = table.get(column)
    if bins is None:
        if expected_total > 0:
            raise IncompleteAggregatesError(f"column {column!r}: {label} {which} histogram is missing")
        return []
    return bins


def _psi(
    scope: _Scope, aggregates: DatasetAggregates, ref_profile: ColumnProfile, cur_profile: ColumnProfile
) -> list[_Measurement]:
    name = ref_profile.column_name
    value_bins = []
    for side, profile, label in (
        (aggregates.reference, ref_profile, "reference"),
        (aggregates.current, cur_profile, "current"),
    ):
        total = _distribution_rows(side, profile)
        bins = _histogram(side, "psi", name, label, total)
        _check_total(name, "psi", label, sum(b.value_count for b in bins), total, side.sampled_rows is not None)
        # Nulls are judged once, by null_rate: PSI compares the non-null values only.
        value_bins.append([b for b in bins if not b.is_null_bin])
    _, ref_counts, cur_counts = _align_bins(name, "psi", value_bins[0], value_bins[1])
    policy = scope.policy
    bin_count = len(ref_counts)
    ref_n, cur_n = sum(ref_counts), sum(cur_counts)
    if min(ref_n, cur_n) < policy.psi.min_rows_per_bin * bin_count:
        # With few rows per bin, empty bins (share -> epsilon) inflate PSI far
        # past the chi-square noise floor; KS, with its exact p-value, still runs.
        return [
            _insufficient(
                scope,
                SignalType.PSI,
                "psi_binned",
                "too_few_rows_per_bin",
                reference_n=ref_n,
                current_n=cur_n,
                bins=bin_count,
                reference_values=ref_n,
                current_values=cur_n,
            )
        ]
    value = stats.psi(ref_counts, cur_counts, policy.psi.epsilon)
    if value is None:
        return []
    floor = stats.psi_noise_floor(ref_n, cur_n, bin_count, policy.psi.noise_floor_confidence)
    medium = max(policy.psi.medium, floor)
    return [
        _Measurement(
            scope,
            SignalType.PSI,
            "psi_binned",
            metric_value=value,
            threshold=medium,
            level=_tier(value, medium, max(policy.psi.high, floor)),
            p_value=stats.binned_homogeneity_p_value(ref_counts, cur_counts),
            reference_n=ref_n,
            current_n=cur_n,
            details={
                "bins": bin_count,
                "noise_floor": floor,
                "epsilon": policy.psi.epsilon,
                **_sample_details(aggregates),
            },
        )
    ]


def _ks_rows(
    aggregates: DatasetAggregates, ref_profile: ColumnProfile, cur_profile: ColumnProfile
) -> list[list[HistogramBin]]:
    name = ref_profile.column_name
    if ref_profile.ks_method is None or ref_profile.ks_method != cur_profile.ks_method:
        raise IncompleteAggregatesError(
            f"column {name!r}: KS method must be set and equal on both sides, "
            f"got {ref_profile.ks_method!r} and {cur_profile.ks_method!r}"
        )
    sides = []
    for side, profile, label in (
        (aggregates.reference, ref_profile, "reference"),
        (aggregates.current, cur_profile, "current"),
    ):
        expected = profile.row_count - profile.null_count - profile.nan_count
        if side.sampled_rows is not None:
            # The sample's NULL and NaN rows are counted in its PSI null bin.
            missing = sum(b.value_count for b in side.psi_bins.get(name, []) if b.is_null_bin)
            expected = side.sampled_rows - missing
        bins = [b for b in _histogram(side, "ks", name, label, expected) if not b.is_null_bin]
        _check_total(name, "ks", label, sum(b.value_count for b in bins), expected, side.sampled_rows is not None)
        sides.append(bins)
    if ref_profile.ks_method == "exact":
        for bins in sides:
            for histogram_bin in bins:
                if histogram_bin.bin_value is None or math.isnan(histogram_bin.bin_value):
                    raise IncompleteAggregatesError(f"column {name!r}: exact KS row without a value")
    return sides


def _ks(
    scope: _Scope, ref_profile: ColumnProfile, sides: list[list[HistogramBin]], sampled: Mapping[str, JsonValue]
) -> list[_Measurement]:
    """Two-sample KS on the stored rows: on a sampled side n is the sample's size (the sample is the sample)."""
    result: stats.KsResult | None
    if ref_profile.ks_method == "exact":
        values = [
            [histogram_bin.bin_value for histogram_bin in bins if histogram_bin.bin_value is not None] for bins in sides
        ]
        result = stats.ks_exact(
            values[0], [b.value_count for b in sides[0]], values[1], [b.value_count for b in sides[1]]
        )
    else:
        edges, ref_counts, cur_counts = _align_bins(ref_profile.column_name, "ks", sides[0], sides[1])
        result = stats.ks_binned(edges, ref_counts, cur_counts)
    method = f"ks_{ref_profile.ks_method}"
    if result is None:
        return [_insufficient(scope, SignalType.KS, method, "empty_side")]
    policy = scope.policy
    details: dict[str, JsonValue] = {"n": result.n, "m": result.m, "alpha": policy.alpha, **sampled}
    if result.method == "binned":
        details["d_upper_bound"] = min(1.0, result.d + result.error_bound)
    return [
        _Measurement(
            scope,
            SignalType.KS,
            method,
            metric_value=result.d,
            threshold=policy.ks.d_medium,
            level=_tier(result.d, policy.ks.d_medium, policy.ks.d_high),
            p_value=result.p_value,
            error_bound=result.error_bound,
            reference_n=result.n,
            current_n=result.m,
            details=details,
        )
    ]


def _finite_points(
    profile: ColumnProfile, bins: Sequence[HistogramBin], sample_fraction: float | None = None
) -> tuple[list[float], list[int]]:
    """(value, count) pairs standing for a side's finite values, for the kurtosis estimate.

    Exact rows are the values themselves; a bin stands at its midpoint, an
    open outer bin between its finite edge and the side's min or max. Infinite
    values are left out (the outer bins lose the infinity counts; on a sampled
    side, the infinities the sample is expected to hold).
    """
    values: list[float] = []
    counts: list[int] = []
    pos_inf, neg_inf = profile.pos_inf_count, profile.neg_inf_count
    if sample_fraction is not None:
        pos_inf, neg_inf = round(pos_inf * sample_fraction), round(neg_inf * sample_fraction)
    for histogram_bin in bins:
        count = histogram_bin.value_count
        if histogram_bin.bin_value is not None:
            if math.isfinite(histogram_bin.bin_value):
                values.append(histogram_bin.bin_value)
                counts.append(count)
            continue
        lower, upper = histogram_bin.lower_edge, histogram_bin.upper_edge
        if _is_open(lower):
            count -= neg_inf
            lower = profile.min_value
        if _is_open(upper):
            count -= pos_inf
            upper = profile.max_value
        if count <= 0 or lower is None or upper is None:
            continue
        values.append((lower + upper) / 2.0)
        counts.append(count)
    return values, counts


# Relative size below which a stddev or a difference of means is floating-point residue.
_ROUNDING = 1e-12


def _moments(
    scope: _Scope,
    ref_profile: ColumnProfile,
    cur_profile: ColumnProfile,
    sides: list[list[HistogramBin]],
    fractions: tuple[float | None, float | None] = (None, None),
) -> list[_Measurement]:
    """Mean shift (Welch) and scale change (variance ratio) from the stored moments
    (always of the whole side); only the kurtosis estimate reads the (maybe sampled) bins."""
    policy = scope.policy
    ref_n, cur_n = ref_profile.finite_count, cur_profile.finite_count
    moments = (ref_profile.mean_value, ref_profile.stddev_value, cur_profile.mean_value, cur_profile.stddev_value)
    counts: dict[str, JsonValue] = {"reference_values": ref_n, "current_values": cur_n}
    if min(ref_n, cur_n) < 2 or any(v is None for v in moments):
        return [
            _insufficient(
                scope,
                signal_type,
                method,
                "too_few_values_for_moments",
                reference_n=ref_n,
                current_n=cur_n,
                details=counts,
            )
            for signal_type, method in ((SignalType.MEAN_SHIFT, "welch_t"), (SignalType.SCALE_CHANGE, "variance_ratio"))
        ]
    ref_mean, ref_sd, cur_mean, cur_sd = (float(v) for v in moments if v is not None)
    # The warehouse sums in its own order: a constant column's mean can be off
    # by an ulp and its stddev a rounding residue, which must not read as a shift.
    magnitude = max(abs(ref_mean), abs(cur_mean))
    ref_sd, cur_sd = (0.0 if sd <= _ROUNDING * magnitude else sd for sd in (ref_sd, cur_sd))
    if ref_sd == cur_sd == 0.0 and abs(cur_mean - ref_mean) <= _ROUNDING * magnitude:
        cur_mean = ref_mean
    out: list[_Measurement] = []
    shift = stats.mean_shift(ref_n, ref_mean, ref_sd, cur_n, cur_mean, cur_sd)
    if shift is None:
        out.append(
            _insufficient(
                scope,
                SignalType.MEAN_SHIFT,
                "welch_t",
                "zero_variance",
                reference_n=ref_n,
                current_n=cur_n,
                details=counts,
            )
        )
    else:
        out.append(
            _Measurement(
                scope,
                SignalType.MEAN_SHIFT,
                "welch_t",
                metric_value=shift.effect,
                threshold=policy.mean_shift.d_medium,
                level=_tier(abs(shift.effect), policy.mean_shift.d_medium, policy.mean_shift.d_high),
                p_value=shift.p_value,
                current_value=cur_mean,
                reference_value=ref_mean,
                reference_n=ref_n,
                current_n=cur_n,
                details={"t": shift.t, "df": shift.df, "scale": shift.scale, "alpha": policy.alpha},
            )
        )
    kurtosis = stats.pooled_excess_kurtosis(
        [
            _finite_points(profile, bins, fraction)
            for profile, bins, fraction in zip((ref_profile, cur_profile), sides, fractions, strict=True)
        ]
    )
    scale = stats.scale_change(ref_n, ref_sd, cur_n, cur_sd, kurtosis)
    if scale is None:
        out.append(
            _insufficient(
                scope,
                SignalType.SCALE_CHANGE,
                "variance_ratio",
                "zero_variance",
                reference_n=ref_n,
                current_n=cur_n,
                details=counts,
            )
        )
    else:
        details: dict[str, JsonValue] = {
            "sd_ratio": scale.sd_ratio,
            "f": scale.f,
            "df_current": scale.df_current,
            "df_reference": scale.df_reference,
            "kurtosis_factor": scale.kurtosis_factor,
            "alpha": policy.alpha,
        }
        out.append(
            _Measurement(
                scope,
                SignalType.SCALE_CHANGE,
                "variance_ratio",
                metric_value=scale.change,
                threshold=policy.scale_change.medium,
                level=_tier(scale.change, policy.scale_change.medium, policy.scale_change.high),
                p_value=scale.p_value,
                current_value=cur_sd,
                reference_value=ref_sd,
                reference_n=ref_n,
                current_n=cur_n,
                details=details,
            )
        )
    return out


_CategoryKey = tuple[str, str]  # (kind, value): no value can clash with the 'other' bucket


def _category_map(rows: Sequence[CategoryCount]) -> tuple[dict[_CategoryKey, int], int]:
    """Counts by (kind, value) without the null bucket, and the null count."""
    out: dict[_CategoryKey, int] = {}
    nulls = 0
    for row in rows:
        if row.category_kind == "null":
            nulls += row.value_count
            continue
        key = (row.category_kind, row.category_value if row.category_kind == "value" else "")
        out[key] = out.get(key, 0) + row.value_count
    return out, nulls


def _category_values(side: SideAggregates, profile: ColumnProfile) -> int:
    """Non-null rows the category counts of a side cover (its sample's when sampled)."""
    if side.sampled_rows is None:
        return profile.row_count - profile.null_count
    _, nulls = _category_map(side.categories.get(profile.column_name, []))
    return side.sampled_rows - nulls


def _category_label(key: _CategoryKey) -> str:
    return f"{key[0]}:{key[1]}"


def _chi_square(
    scope: _Scope, aggregates: DatasetAggregates, ref_profile: ColumnProfile, cur_profile: ColumnProfile
) -> list[_Measurement]:
    name = ref_profile.column_name
    maps = []
    for side, profile, label in (
        (aggregates.reference, ref_profile, "reference"),
        (aggregates.current, cur_profile, "current"),
    ):
        rows = side.categories.get(name)
        if rows is None:
            raise IncompleteAggregatesError(f"column {name!r}: {label} category counts are missing")
        counts, nulls = _category_map(rows)
        total = _distribution_rows(side, profile)
        _check_total(name, "category", label, sum(counts.values()) + nulls, total, side.sampled_rows is not None)
        maps.append(counts)
    policy = scope.policy
    union = sorted(set(maps[0]) | set(maps[1]))
    js = stats.jensen_shannon([maps[0].get(k, 0) for k in union], [maps[1].get(k, 0) for k in union])
    ref_n, cur_n = sum(maps[0].values()), sum(maps[1].values())
    if js is None:
        return [
            _insufficient(
                scope, SignalType.CHI_SQUARE, "chi2_contingency", "empty_side", reference_n=ref_n, current_n=cur_n
            )
        ]
    labelled = [{_category_label(k): v for k, v in counts.items()} for counts in maps]
    chi = stats.chi_square(labelled[0], labelled[1], policy.chi_square.min_expected)
    if js == 0.0:
        # Identical distributions: nothing to test, the effect is 0.
        return [
            _Measurement(
                scope,
                SignalType.CHI_SQUARE,
                "chi2_contingency",
                metric_value=0.0,
                threshold=policy.chi_square.js_medium,
                p_value=chi.p_value,
                reference_n=ref_n,
                current_n=cur_n,
            )
        ]
    if chi.p_value is None or chi.statistic is None:
        return [
            _insufficient(
                scope,
                SignalType.CHI_SQUARE,
                "chi2_contingency",
                "not_testable",
                reference_n=ref_n,
                current_n=cur_n,
                n=chi.n,
                m=chi.m,
            )
        ]
    merged = [label.split(":", 1) for label in chi.merged_categories]
    return [
        _Measurement(
            scope,
            SignalType.CHI_SQUARE,
            "chi2_contingency",
            metric_value=js,
            threshold=policy.chi_square.js_medium,
            level=_tier(js, policy.chi_square.js_medium, policy.chi_square.js_high),
            p_value=chi.p_value,
            reference_n=ref_n,
            current_n=cur_n,
            details={
                "effect_size": "jensen_shannon_distance_base2",
                "statistic": chi.statistic,
                "dof": chi.dof,
                "merged_categories": [value for kind, value in merged if kind == "value"],
                "merged_other_bucket": any(kind == "other" for kind, _ in merged),
                "alpha": policy.alpha,
                **_sample_details(aggregates),
            },
        )
    ]


def _novel_values(
    scope: _Scope, aggregates: DatasetAggregates, ref_profile: ColumnProfile, cur_profile: ColumnProfile
) -> list[_Measurement]:
    """Share of current rows whose value the reference never had, against Good-Turing's expectation.

    A column of unique ids (every value new on both sides) expects a share of
    1 and stays quiet; a replaced key space has novel rows where the
    reference's values repeat.
    """
    method = "good_turing_binomial"
    name = ref_profile.column_name
    singletons, novel = ref_profile.singleton_count, cur_profile.novel_row_count
    if singletons is None or novel is None:
        # Profiles written before dqp 0.2.0 have no novelty counts.
        return [_insufficient(scope, SignalType.NOVEL_VALUES, method, "novelty_not_profiled")]
    # The counts come from the category pass: on a sampled side, its sample's non-null rows.
    ref_values, cur_values = (
        _category_values(side, profile)
        for side, profile in ((aggregates.reference, ref_profile), (aggregates.current, cur_profile))
    )
    if novel > cur_values or singletons > ref_values:
        raise IncompleteAggregatesError(
            f"column {name!r}: novelty counts exceed the values (novel rows {novel} of {cur_values}, "
            f"reference singletons {singletons} of {ref_values})"
        )
    result = stats.novel_values(novel, cur_values, singletons, ref_values)
    if result is None:
        return [
            _insufficient(
                scope, SignalType.NOVEL_VALUES, method, "empty_side", reference_n=ref_values, current_n=cur_values
            )
        ]
    policy = scope.policy.novel_values
    level = _tier(result.excess, policy.medium, policy.high)
    details: dict[str, JsonValue] = {
        "novel_rows": novel,
        "reference_singletons": singletons,
        "expected_novel_rows": result.expected_share * cur_values,
        "excess_rows": result.excess_rows,
        "alpha": scope.policy.alpha,
        **_sample_details(aggregates),
    }
    if level is not None and result.excess_rows + _LEVEL_SLACK < policy.min_excess_count:
        return [
            _insufficient(
                scope,
                SignalType.NOVEL_VALUES,
                method,
                "too_few_novel_rows",
                reference_n=ref_values,
                current_n=cur_values,
                details={**details, "min_excess_count": policy.min_excess_count},
            )
        ]
    return [
        _Measurement(
            scope,
            SignalType.NOVEL_VALUES,
            method,
            metric_value=result.excess,
            threshold=policy.medium,
            level=level,
            p_value=result.p_value,
            current_value=result.observed_share,
            reference_value=result.expected_share,
            reference_n=ref_values,
            current_n=cur_values,
            details=details,
        )
    ]


def _freshness(
    scope: _Scope, aggregates: DatasetAggregates, ref_profile: ColumnProfile, cur_profile: ColumnProfile
) -> list[_Measurement]:
    """How far the current side's latest value falls behind the reference's, in reference cadences.

    Each side's age is its observation time (the run's start for a relation
    reference, the side's window end for a time split) minus its latest value.
    The cadence is the larger of the two sides' mean gaps between distinct
    values, so a smaller sample's sparser top values are not read as lag.
    """
    method = "latest_value_age"
    ref_latest, cur_latest = ref_profile.max_value, cur_profile.max_value
    if ref_latest is None or cur_latest is None:
        return [_insufficient(scope, SignalType.FRESHNESS, method, "no_finite_values")]
    if aggregates.reference_as_of is None or aggregates.current_as_of is None:
        return [_insufficient(scope, SignalType.FRESHNESS, method, "no_observation_time")]
    reference_gap = stats.typical_gap(ref_profile.min_value, ref_latest, ref_profile.distinct_count)
    if reference_gap is None:
        return [
            _insufficient(
                scope,
                SignalType.FRESHNESS,
                method,
                "no_reference_cadence",
                reference_distinct=ref_profile.distinct_count,
            )
        ]
    current_gap = stats.typical_gap(cur_profile.min_value, cur_latest, cur_profile.distinct_count)
    cadence = max(reference_gap, current_gap or 0.0)
    result = stats.freshness(ref_latest, aggregates.reference_as_of, cur_latest, aggregates.current_as_of, cadence)
    policy = scope.policy.freshness
    return [
        _Measurement(
            scope,
            SignalType.FRESHNESS,
            method,
            metric_value=result.staleness,
            threshold=policy.medium,
            level=_tier(result.staleness, policy.medium, policy.high),
            current_value=result.current_age,
            reference_value=result.reference_age,
            reference_n=ref_profile.finite_count,
            current_n=cur_profile.finite_count,
            details={
                "lag_seconds": result.lag,
                "cadence_seconds": cadence,
                "reference_latest_epoch": ref_latest,
                "current_latest_epoch": cur_latest,
                "reference_as_of_epoch": aggregates.reference_as_of,
                "current_as_of_epoch": aggregates.current_as_of,
            },
        )
    ]


_NUMERIC_TESTS: tuple[tuple[SignalType, str], ...] = (
    (SignalType.IQR_OUTLIERS, "rate_delta"),
    (SignalType.ZSCORE_OUTLIERS, "rate_delta"),
    (SignalType.MEAN_SHIFT, "welch_t"),
    (SignalType.SCALE_CHANGE, "variance_ratio"),
    (SignalType.PSI, "psi_binned"),
    (SignalType.KS, "ks"),
)

_DISTRIBUTION_TESTS: dict[str, tuple[tuple[SignalType, str], ...]] = {
    "numeric": _NUMERIC_TESTS,
    # Dates and timestamps are profiled as epoch seconds: the numeric tests, plus freshness.
    "temporal": (*_NUMERIC_TESTS, (SignalType.FRESHNESS, "latest_value_age")),
    "categorical": ((SignalType.CHI_SQUARE, "chi2_contingency"), (SignalType.NOVEL_VALUES, "good_turing_binomial")),
    "other": (),
}


def _skipped(
    scope: _Scope, tests: Sequence[tuple[SignalType, str]], reason: str, counts: dict[str, JsonValue]
) -> tuple[list[_Measurement], Signal]:
    """One info signal for the column, and an insufficient metric row per test it skips."""
    rows = [
        _insufficient(scope, signal_type, method, reason, own_signal=False, details=counts)
        for signal_type, method in tests
    ]
    return rows, _insufficient_signal(scope, "column_profile", reason, counts)


def _column(
    aggregates: DatasetAggregates, ref_profile: ColumnProfile, cur_profile: ColumnProfile, policy: Policy
) -> tuple[list[_Measurement], list[Signal]]:
    name = ref_profile.column_name
    scope = _Scope(name, name in aggregates.critical_columns, policy)
    kind = ref_profile.column_kind
    if ref_profile.row_count == 0 or cur_profile.row_count == 0:
        tests = ((SignalType.NULL_RATE, "rate_delta"), *_DISTRIBUTION_TESTS[kind])
        counts: dict[str, JsonValue] = {"reference_rows": ref_profile.row_count, "current_rows": cur_profile.row_count}
        rows, signal = _skipped(scope, tests, "empty_side", counts)
        return rows, [signal]
    out = _rate_increase(
        scope,
        SignalType.NULL_RATE,
        policy.null_rate,
        (ref_profile.null_count, ref_profile.row_count),
        (cur_profile.null_count, cur_profile.row_count),
    )
    if kind != cur_profile.column_kind:
        rows, signal = _skipped(
            scope,
            _DISTRIBUTION_TESTS[kind],
            "column_kind_changed",
            {"reference_kind": kind, "current_kind": cur_profile.column_kind},
        )
        return out + rows, [signal]
    numeric = kind in ("numeric", "temporal")
    if numeric:
        out += _rate_increase(
            scope,
            SignalType.NON_FINITE,
            policy.non_finite,
            (_non_finite(ref_profile), ref_profile.row_count),
            (_non_finite(cur_profile), cur_profile.row_count),
        )
    if kind == "other":
        return out, []
    # Values the distribution tests rank: NaN is only counted, never ranked.
    ref_values = ref_profile.row_count - ref_profile.null_count - (ref_profile.nan_count if numeric else 0)
    cur_values = cur_profile.row_count - cur_profile.null_count - (cur_profile.nan_count if numeric else 0)
    if min(ref_values, cur_values) < policy.min_values:
        rows, signal = _skipped(
            scope,
            _DISTRIBUTION_TESTS[kind],
            "too_few_values",
            {"reference_values": ref_values, "current_values": cur_values},
        )
        return out + rows, [signal]
    if numeric:
        sides = _ks_rows(aggregates, ref_profile, cur_profile)
        out += _outliers(scope, ref_profile, cur_profile)
        fractions = (aggregates.reference.sample_fraction, aggregates.current.sample_fraction)
        out += _moments(scope, ref_profile, cur_profile, sides, fractions)
        out += _psi(scope, aggregates, ref_profile, cur_profile)
        out += _ks(scope, ref_profile, sides, _sample_details(aggregates))
        if kind == "temporal":
            out += _freshness(scope, aggregates, ref_profile, cur_profile)
    else:
        out += _chi_square(scope, aggregates, ref_profile, cur_profile)
        out += _novel_values(scope, aggregates, ref_profile, cur_profile)
    return out, []


# --------------------------------------------------------------------------- #
# Deciding: the dataset-wide correction, then fired / below threshold / insufficient


def _metric(
    measurement: _Measurement, state: MetricState, adjusted: float | None, signal: Signal | None
) -> ColumnMetric:
    details: dict[str, JsonValue] = dict(measurement.details)
    if measurement.insufficient is not None:
        details["reason"] = measurement.insufficient
    return ColumnMetric(
        column_name=measurement.scope.column,
        metric_name=METRIC_NAME[measurement.signal_type],
        signal_type=measurement.signal_type.value,
        method=measurement.method,
        state=state,
        metric_value=measurement.metric_value,
        threshold=measurement.threshold,
        current_value=measurement.current_value,
        reference_value=measurement.reference_value,
        p_value=measurement.p_value,
        p_value_adjusted=adjusted,
        error_bound=measurement.error_bound,
        reference_n=measurement.reference_n,
        current_n=measurement.current_n,
        severity=None if signal is None or state != MetricState.FIRED else signal.severity.label,
        details=details,
    )


def _metric_sort_key(metric: ColumnMetric) -> tuple[int, str, int, str, str]:
    return (
        0 if metric.column_name is None else 1,
        metric.column_name or "",
        SIGNAL_TYPE_ORDER[SignalType(metric.signal_type)],
        metric.metric_name,
        metric.method,
    )


def _decide(measurements: Sequence[_Measurement], extra_signals: Sequence[Signal], policy: Policy) -> Evaluation:
    tested = [i for i, m in enumerate(measurements) if m.p_value is not None and m.insufficient is None]
    adjusted_values = stats.adjust_p_values([measurements[i].p_value or 0.0 for i in tested], policy.multiple_testing)
    adjusted: dict[int, float] = dict(zip(tested, adjusted_values, strict=True))
    signals = list(extra_signals)
    metrics = []
    for index, measurement in enumerate(measurements):
        scope = measurement.scope
        p_adjusted = adjusted.get(index)
        signal: Signal | None = None
        if measurement.insufficient is not None:
            state = MetricState.INSUFFICIENT_DATA
            if measurement.own_signal:
                signal = _insufficient_signal(scope, measurement.method, measurement.insufficient, measurement.details)
        elif measurement.level is not None and (p_adjusted is None or p_adjusted < policy.alpha):
            state = MetricState.FIRED
            details = dict(measurement.details)
            if p_adjusted is not None:
                details["p_value_adjusted"] = p_adjusted
            signal = _signal(
                scope,
                measurement.signal_type,
                measurement.method,
                measurement.level[0],
                metric_value=measurement.metric_value,
                threshold=measurement.level[1],
                p_value=measurement.p_value,
                error_bound=measurement.error_bound,
                p_value_adjusted=p_adjusted,
                details=details,
            )
        else:
            state = MetricState.BELOW_THRESHOLD
        if signal is not None:
            signals.append(signal)
        metrics.append(_metric(measurement, state, p_adjusted, signal))
    return Evaluation(signals=sorted(signals, key=signal_sort_key), metrics=sorted(metrics, key=_metric_sort_key))


def evaluate_dataset(aggregates: DatasetAggregates, policy: Policy) -> Evaluation:
    """Every metric of one dataset, and the signals that fire plus insufficient-data info rows."""
    ref, cur = aggregates.reference, aggregates.current
    measurements = _volume(aggregates, policy) + _schema(aggregates, policy)
    extra_signals: list[Signal] = []
    for name in sorted(set(ref.profiles) | set(cur.profiles)):
        ref_profile, cur_profile = ref.profiles.get(name), cur.profiles.get(name)
        if ref_profile is None or cur_profile is None:
            # Only a column the schema says is added or removed may lack a profile.
            label, side = ("reference", ref) if ref_profile is None else ("current", cur)
            if not side.schema or any(c.column_name == name for c in side.schema):
                raise IncompleteAggregatesError(f"column {name!r}: the {label} profile is missing")
            continue
        column_measurements, column_signals = _column(aggregates, ref_profile, cur_profile, policy)
        measurements += column_measurements
        extra_signals += column_signals
    return _decide(measurements, extra_signals, policy)
