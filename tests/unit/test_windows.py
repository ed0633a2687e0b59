"""The pure parts of a reference assembled from stored windows, against numpy."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pytest

from dqp_runner.windows import (
    Bin,
    Moments,
    StoredWindow,
    combine_moments,
    plan_reference,
    quantile_from_bins,
    quantile_from_values,
)

DAY = timedelta(days=1)
START = datetime(2024, 3, 1)


def _moments(values: np.ndarray) -> Moments:
    if values.size == 0:
        return Moments(0, None, None)
    return Moments(int(values.size), float(values.mean()), float(values.std(ddof=1)) if values.size > 1 else None)


def test_combined_moments_equal_the_pooled_data() -> None:
    generator = np.random.default_rng(7)
    data = generator.lognormal(3.0, 1.2, 5000) + 1e6  # an offset that punishes the naive sum of squares
    cuts = [0, 1, 2, 900, 901, 3000, 5000]  # windows of 1, 1, 898, 1, 2099 and 2000 values
    parts = [_moments(data[low:high]) for low, high in zip(cuts, cuts[1:], strict=False)]
    combined = combine_moments([*parts, Moments(0, None, None)])
    assert combined.count == data.size
    assert combined.mean is not None and combined.stddev is not None
    assert math.isclose(combined.mean, float(data.mean()), rel_tol=1e-12)
    assert math.isclose(combined.stddev, float(data.std(ddof=1)), rel_tol=1e-9)
    assert combine_moments([Moments(1, 5.0, None)]) == Moments(1, 5.0, None)
    assert combine_moments([]) == Moments(0, None, None)


def test_quantiles_from_exact_values_follow_percentile_cont() -> None:
    generator = np.random.default_rng(11)
    data = generator.integers(0, 40, 777).astype(float)
    values, counts = np.unique(data, return_counts=True)
    pairs = list(zip(values.tolist(), counts.tolist(), strict=True))
    for probability in (0.0, 0.25, 0.5, 0.75, 1.0, 0.333):
        expected = float(np.quantile(data, probability, method="linear"))
        assert math.isclose(quantile_from_values(pairs, probability), expected, rel_tol=1e-12, abs_tol=1e-12)


def test_quantiles_from_summed_bins_lie_within_their_bound() -> None:
    generator = np.random.default_rng(5)
    reference = generator.normal(50, 10, 4000)
    windows = [generator.normal(50 + shift, 10, 600) for shift in (0, 2, -1)]
    data = np.concatenate(windows)
    cuts = np.quantile(reference, np.linspace(0, 1, 101)[1:-1])
    edges = [None, *cuts.tolist(), None]
    # each window's right-closed bins, summed at the shared edges
    summed = [0] * (len(edges) - 1)
    for window in windows:
        for index, count in enumerate(np.bincount(np.searchsorted(cuts, window, side="left"), minlength=len(summed))):
            summed[index] += int(count)
    bins = [Bin(lower, upper, count) for lower, upper, count in zip(edges[:-1], edges[1:], summed, strict=True)]
    for probability in (0.25, 0.5, 0.75):
        estimate, bound = quantile_from_bins(bins, probability, float(data.min()), float(data.max()))
        assert abs(estimate - float(np.quantile(data, probability))) <= bound
        assert bound < 2.0  # a percentile bin of N(50, 10) is well under 2 wide in the middle
    with pytest.raises(ValueError, match="probability"):
        quantile_from_bins(bins, 1.5, 0.0, 1.0)


def _window(run_id: str, first_day: int, days: int = 1, hour: int = 0) -> StoredWindow:
    start = START + first_day * DAY
    return StoredWindow(run_id, start, start + days * DAY, start + days * DAY + timedelta(hours=hour))


def test_plan_assembles_when_the_windows_tile_the_reference() -> None:
    windows = [_window(f"day{day}", day) for day in range(7)]
    windows.append(_window("day3-rerun", 3, hour=5))  # a later re-run of day 3 replaces it
    plan = plan_reference(START, START + 7 * DAY, windows)
    assert plan.mode == "assemble" and plan.missing == ()
    assert plan.run_ids == ("day0", "day1", "day2", "day3-rerun", "day4", "day5", "day6")
    # windows outside the reference window are not used
    assert plan_reference(START + 2 * DAY, START + 4 * DAY, windows).run_ids == ("day2", "day3-rerun")


def test_plan_scans_once_when_the_windows_leave_a_gap() -> None:
    first_runs = plan_reference(START, START + 28 * DAY, [])
    assert first_runs.mode == "scan" and first_runs.missing == ((START, START + 28 * DAY),)
    gap = plan_reference(START, START + 4 * DAY, [_window("d0", 0), _window("d1", 1), _window("d3", 3)])
    assert gap.mode == "scan" and gap.run_ids == ()
    assert gap.missing == ((START + 2 * DAY, START + 3 * DAY),)
    # a window that straddles the reference bound cannot be split
    straddle = plan_reference(START, START + 2 * DAY, [_window("d0", 0), _window("d1-2", 1, days=2)])
    assert straddle.missing == ((START + DAY, START + 2 * DAY),)
