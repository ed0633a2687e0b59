"""Pure parts of a time split's reference assembled from stored windows.

The SQL macro ``_dqp_assemble_reference`` adds stored current-side rows of
earlier window runs up into a run's reference rows. This module states the
same arithmetic in typed Python (the unit tests check it against numpy), plus
the two decisions the SQL leaves out: which stored windows cover a reference
window (``plan_reference``) and the quartiles of the summed bins
(``quantile_from_bins``, ``quantile_from_values``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal


@dataclass(frozen=True)
class Moments:
    """Finite values of one column in one window: count, mean, sample stddev."""

    count: int
    mean: float | None
    stddev: float | None


def combine_moments(parts: Sequence[Moments]) -> Moments:
    """The parallel formula: mean = sum(n_i mean_i) / n and
    (n - 1) var = sum((n_i - 1) var_i) + sum(n_i (mean_i - mean)^2).
    A window with one value has no stddev and adds no within-window spread."""
    present = [part for part in parts if part.count > 0 and part.mean is not None]
    count = sum(part.count for part in present)
    if count == 0:
        return Moments(0, None, None)
    mean = sum(part.count * part.mean for part in present if part.mean is not None) / count
    if count < 2:
        return Moments(count, mean, None)
    within = sum((part.count - 1) * (part.stddev or 0.0) ** 2 for part in present if part.count > 1)
    between = sum(part.count * (part.mean - mean) ** 2 for part in present if part.mean is not None)
    return Moments(count, mean, math.sqrt((within + between) / (count - 1)))


@dataclass(frozen=True)
class Bin:
    """A right-closed bin (lower, upper] and its count; None is an open end."""

    lower: float | None
    upper: float | None
    count: int


def quantile_from_bins(bins: Sequence[Bin], probability: float, low: float, high: float) -> tuple[float, float]:
    """The quantile of summed bins by linear interpolation inside the bin where
    the cumulative count reaches probability * n, and its error bound: that
    bin's width (open ends are closed at the observed min and max, `low` and
    `high`). Raises ValueError on empty bins or a probability outside [0, 1]."""
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must be in [0, 1], got {probability}")
    total = sum(item.count for item in bins)
    if total == 0:
        raise ValueError("no values in the bins")
    target = probability * total
    before = 0
    for item in bins:
        if item.count > 0 and before + item.count >= target:
            lower = max(low, item.lower) if item.lower is not None else low
            upper = min(high, item.upper) if item.upper is not None else high
            share = (target - before) / item.count
            return lower + share * (upper - lower), upper - lower
        before += item.count
    raise AssertionError("unreachable: the cumulative count reaches the total")


def quantile_from_values(values: Sequence[tuple[float, int]], probability: float) -> float:
    """The exact quantile of value counts with percentile_cont's rule: the
    value at position (n - 1) * probability of the sorted values, interpolated
    between its neighbours. `values` is (value, count) in any order."""
    ordered = sorted((value, count) for value, count in values if count > 0)
    total = sum(count for _, count in ordered)
    if total == 0:
        raise ValueError("no values")
    position = (total - 1) * probability
    below, above = math.floor(position), math.ceil(position)

    def value_at(index: int) -> float:
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        raise AssertionError("unreachable: index below the total")

    low_value = value_at(below)
    return low_value + (position - below) * (value_at(above) - low_value)


@dataclass(frozen=True)
class StoredWindow:
    """One earlier run's current window (start, end] and when it was profiled."""

    run_id: str
    start: datetime
    end: datetime
    profiled_at: datetime


@dataclass(frozen=True)
class ReferencePlan:
    """How a run gets its reference window: 'assemble' from `run_ids` when the
    stored windows tile it exactly, else 'scan' it whole once; `missing` lists
    the uncovered stretches (recorded on the run as its coverage)."""

    mode: Literal["assemble", "scan"]
    run_ids: tuple[str, ...]
    missing: tuple[tuple[datetime, datetime], ...]


def plan_reference(start: datetime, end: datetime, windows: Sequence[StoredWindow]) -> ReferencePlan:
    """Tile (start, end] with stored windows end to end, each window at most
    once and, among re-runs of the same window, the latest. Any gap (the first
    runs, a day not profiled, windows that straddle the bounds or overlap)
    means one scan of the whole reference window: patching the gaps would cost
    statements per gap and mix edges, while one scan costs what a run costs
    without stored windows."""
    latest: dict[tuple[datetime, datetime], StoredWindow] = {}
    for window in windows:
        key = (window.start, window.end)
        if key not in latest or (window.profiled_at, window.run_id) > (latest[key].profiled_at, latest[key].run_id):
            latest[key] = window
    by_start: dict[datetime, StoredWindow] = {}
    for window in sorted(latest.values(), key=lambda item: (item.profiled_at, item.run_id)):
        if start <= window.start and window.end <= end:
            by_start[window.start] = window  # a later run of another length wins the start
    chosen: list[str] = []
    missing: list[tuple[datetime, datetime]] = []
    cursor = start
    while cursor < end:
        tile = by_start.get(cursor)
        if tile is not None:
            chosen.append(tile.run_id)
            cursor = tile.end
            continue
        following = sorted(item for item in by_start if item > cursor)
        gap_end = following[0] if following else end
        missing.append((cursor, gap_end))
        cursor = gap_end
    if missing:
        return ReferencePlan("scan", (), tuple(missing))
    return ReferencePlan("assemble", tuple(chosen), ())
