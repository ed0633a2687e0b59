"""Metric-history anomalies: judge one value against its own past (pure, deterministic).

A dataset's past checks give, per series (row count, a column's null rate,
mean, distinct count, PSI and KS D against the reference, the health score),
one value per earlier profile run. ``judge`` compares the current value with
the last ``window_runs`` of them; the current point is never part of its own
training set.

The method is robust rather than filtering: the centre is the median of the
window and the spread the MAD (times 1.4826, a normal sigma), so one spike in
the window moves neither, and the next run is judged as if it were not there.
Earlier points that were themselves flagged are deliberately *kept*: a real
level shift must become the new normal once it fills half of the window, or
its alert would never resolve.

* ``median_mad``: centre = median of the window; the prediction spread is
  sigma * sqrt(1 + pi / (2 n)) (the median of n points is itself uncertain).
* ``weekday_median_mad``: when the runs are daily (median gap 20 to 28 hours)
  and the current weekday has at least ``seasonal_min_per_weekday`` points,
  the centre is the median of the same weekday's points and sigma is the MAD
  of leave-one-out residuals (each point minus the median of the other points
  of its weekday), so the spread is measured out of sample as the current
  point is. It is used only when it predicts the window better than one
  median (smaller mean absolute leave-one-out error: the window has a weekly
  pattern); otherwise it would only cost power.

A spread floor (``min_relative_scale`` times |centre|, and a small absolute
floor per series) keeps a constant series from turning any change into an
infinite z. The effect size is the robust z = (value - centre) / spread; its
p-value is two-sided Student t with 0.37 (n - 1) degrees of freedom (the MAD
has about 37 % of the efficiency of the standard deviation), so a short
history needs a much larger z. A point fires when |z| reaches ``z_medium``
(``z_high`` for high) and its p-value, adjusted across the dataset's history
tests, is below alpha. Too few points gives ``insufficient_data``.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from scipy import stats as sps

MAD_TO_SIGMA = 1.4826
MAD_EFFICIENCY = 0.37
DAILY_GAP_HOURS = (20.0, 28.0)

Method = Literal["median_mad", "weekday_median_mad"]


@dataclass(frozen=True)
class HistorySettings:
    """The policy keys of ``metric_anomaly`` (docs/policy.md)."""

    window_runs: int = 28
    min_history: int = 7
    z_medium: float = 6.0
    z_high: float = 9.0
    min_relative_scale: float = 0.02
    seasonal_min_per_weekday: int = 3


@dataclass(frozen=True)
class HistoryPoint:
    """One earlier run's value of a series, and when the run was observed (UTC)."""

    observed_at: datetime
    value: float


@dataclass(frozen=True)
class Judgement:
    """How the current value compares with its history.

    ``insufficient`` is a reason when there was too little history (then the
    numbers are None). ``robust_z`` is signed; ``expected_low``/``expected_high``
    are centre -/+ z_medium spreads: the range that does not fire on effect size.
    """

    method: Method
    history_n: int
    window_start: datetime | None
    window_end: datetime | None
    insufficient: str | None = None
    centre: float | None = None
    spread: float | None = None
    robust_z: float | None = None
    p_value: float | None = None
    expected_low: float | None = None
    expected_high: float | None = None


def window(history: Sequence[HistoryPoint], current_at: datetime, settings: HistorySettings) -> list[HistoryPoint]:
    """The training window: the last ``window_runs`` points strictly before the current one, oldest first."""
    earlier = sorted((point for point in history if point.observed_at < current_at), key=lambda p: p.observed_at)
    finite = [point for point in earlier if math.isfinite(point.value)]
    return finite[-settings.window_runs :]


def _is_daily(points: Sequence[HistoryPoint]) -> bool:
    if len(points) < 2:
        return False
    gaps = [(later.observed_at - earlier.observed_at).total_seconds() / 3600.0 for earlier, later in zip(
        points, points[1:], strict=False
    )]
    low, high = DAILY_GAP_HOURS
    return low <= statistics.median(gaps) <= high


def _mad_sigma(values: Sequence[float]) -> float:
    centre = statistics.median(values)
    return MAD_TO_SIGMA * statistics.median([abs(value - centre) for value in values])


def _leave_one_out(values: Sequence[float]) -> list[float]:
    """Each value minus the median of the others."""
    return [value - statistics.median([*values[:index], *values[index + 1 :]]) for index, value in enumerate(values)]


def _mean_abs(values: Sequence[float]) -> float:
    return sum(abs(value) for value in values) / len(values)


def _seasonal_fit(
    points: Sequence[HistoryPoint], current_at: datetime, settings: HistorySettings
) -> tuple[float, float, list[float]] | None:
    """(centre, sigma, leave-one-out residuals) of the weekday variant, or None when it does not apply."""
    if len(points) < 7 * settings.seasonal_min_per_weekday or not _is_daily(points):
        return None
    by_weekday: dict[int, list[float]] = {}
    for point in points:
        by_weekday.setdefault(point.observed_at.weekday(), []).append(point.value)
    same_day = by_weekday.get(current_at.weekday(), [])
    if len(same_day) < settings.seasonal_min_per_weekday:
        return None
    residuals = []
    for values in by_weekday.values():
        if len(values) < 3:  # a leave-one-out median needs two others
            continue
        residuals += _leave_one_out(values)
    if len(residuals) < settings.min_history:
        return None
    return statistics.median(same_day), _mad_sigma(residuals), residuals


def judge(
    current_value: float,
    current_at: datetime,
    history: Sequence[HistoryPoint],
    settings: HistorySettings,
    absolute_floor: float = 0.0,
) -> Judgement:
    """The current value against its training window; see the module docstring."""
    points = window(history, current_at, settings)
    start = points[0].observed_at if points else None
    end = points[-1].observed_at if points else None
    if len(points) < settings.min_history:
        return Judgement("median_mad", len(points), start, end, insufficient="too_little_history")
    values = [point.value for point in points]
    method: Method = "median_mad"
    centre, sigma, effective_n = statistics.median(values), _mad_sigma(values), len(values)
    inflation = math.sqrt(1.0 + math.pi / (2.0 * len(values)))
    seasonal = _seasonal_fit(points, current_at, settings)
    # The weekday variant only when it predicts the window better than one median
    # does, by mean absolute leave-one-out error (a mean, so a weekly peak that the
    # MAD would ignore as a minority still counts).
    if seasonal is not None and _mean_abs(seasonal[2]) < _mean_abs(_leave_one_out(values)):
        method = "weekday_median_mad"
        centre, sigma, effective_n = seasonal[0], seasonal[1], len(seasonal[2])
        inflation = 1.0  # leave-one-out residuals are already out of sample
    floor = max(settings.min_relative_scale * abs(centre), absolute_floor)
    spread = max(sigma, floor) * inflation
    if spread <= 0.0:
        # A constant series of zeros with no floor: any change is infinitely surprising.
        spread = math.ulp(1.0)
    robust_z = (current_value - centre) / spread
    degrees = max(1.0, MAD_EFFICIENCY * (effective_n - 1))
    p_value = float(min(1.0, 2.0 * sps.t.sf(abs(robust_z), degrees)))
    return Judgement(
        method=method,
        history_n=len(points),
        window_start=start,
        window_end=end,
        centre=centre,
        spread=spread,
        robust_z=robust_z,
        p_value=p_value,
        expected_low=centre - settings.z_medium * spread,
        expected_high=centre + settings.z_medium * spread,
    )


def level(robust_z: float, settings: HistorySettings) -> Literal["high", "medium"] | None:
    """The severity name the effect size reaches, or None."""
    size = abs(robust_z)
    if size >= settings.z_high:
        return "high"
    if size >= settings.z_medium:
        return "medium"
    return None


# --------------------------------------------------------------------------- #
# The series dqp keeps, and turning judgements into metric rows and signals

# series -> (dataset level?, absolute spread floor, direction). The floors keep
# a series that never moved (a constant row count, a column with no nulls) from
# making any change infinitely significant. Direction: +1 only a rise fires
# (more nulls, more drift), -1 only a fall (a lower health score), 0 both.
SERIES: dict[str, tuple[bool, float, int]] = {
    "row_count": (True, 1.0, 0),
    "health_score": (True, 1.0, -1),
    "null_rate": (False, 0.005, 1),
    "mean": (False, 0.0, 0),
    "distinct_count": (False, 1.0, 0),
    "psi": (False, 0.01, 1),
    "ks_d": (False, 0.01, 1),
}

SeriesKey = tuple[str | None, str]  # (column_name or None for the dataset, series name)


@dataclass(frozen=True)
class MetricHistory:
    """What earlier checks of one dataset say: each series' points, and the previous check."""

    points: dict[SeriesKey, list[HistoryPoint]]
    previous_check_id: str | None = None
    previous_health_score: float | None = None
    previous_signals: frozenset[tuple[str | None, str]] = frozenset()


EMPTY_HISTORY = MetricHistory({})


@dataclass(frozen=True)
class SeriesResult:
    """One series judged: the key, the current value and the judgement."""

    key: SeriesKey
    current_value: float
    judgement: Judgement
    p_value_adjusted: float | None = None
    severity: Literal["high", "medium"] | None = None


def judge_all(
    current: dict[SeriesKey, float],
    current_at: datetime,
    history: MetricHistory,
    settings: HistorySettings,
    alpha: float,
    adjust: Callable[[Sequence[float]], list[float]],
) -> list[SeriesResult]:
    """Every current series value against its history, in a fixed order; the
    p-values are adjusted together (``adjust``, the dataset's multiple-testing method)."""
    results = []
    for key in sorted(current, key=lambda k: (k[0] is not None, k[0] or "", k[1])):
        floor = SERIES[key[1]][1]
        judgement = judge(current[key], current_at, history.points.get(key, []), settings, floor)
        results.append(SeriesResult(key, current[key], judgement))
    tested = [index for index, result in enumerate(results) if result.judgement.p_value is not None]
    adjusted = adjust([results[index].judgement.p_value or 0.0 for index in tested])
    out = list(results)
    for index, p_adjusted in zip(tested, adjusted, strict=True):
        result = results[index]
        robust_z = result.judgement.robust_z or 0.0
        direction = SERIES[result.key[1]][2]
        reached = level(robust_z, settings) if robust_z * direction >= 0 else None
        fired = reached if reached is not None and p_adjusted < alpha else None
        out[index] = SeriesResult(result.key, result.current_value, result.judgement, p_adjusted, fired)
    return out
