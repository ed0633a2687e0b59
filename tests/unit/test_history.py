"""The metric-history method on synthetic series: steps, creeps, weekly
patterns, spikes, short histories, and stationary noise that must stay quiet."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from scipy import stats as sps

from dqp_runner.history import (
    HistoryPoint,
    HistorySettings,
    MetricHistory,
    judge,
    judge_all,
    level,
    window,
)
from dqp_runner.stats import adjust_p_values

START = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)
SETTINGS = HistorySettings()


def series(values: list[float], step: timedelta = DAY) -> list[HistoryPoint]:
    return [HistoryPoint(START + index * step, value) for index, value in enumerate(values)]


def fires(value: float, history: list[HistoryPoint], at: datetime, alpha: float = 0.01) -> str | None:
    judgement = judge(value, at, history, SETTINGS)
    assert judgement.robust_z is not None and judgement.p_value is not None
    reached = level(judgement.robust_z, SETTINGS)
    return reached if reached is not None and judgement.p_value < alpha else None


def noisy(count: int, seed: int, centre: float = 1000.0, sigma: float = 20.0) -> list[float]:
    return [float(v) for v in np.random.default_rng(seed).normal(centre, sigma, count)]


def test_short_history_is_insufficient_never_a_guess() -> None:
    history = series(noisy(6, seed=1))
    judgement = judge(5000.0, START + 6 * DAY, history, SETTINGS)
    assert judgement.insufficient == "too_little_history"
    assert (judgement.robust_z, judgement.p_value, judgement.centre) == (None, None, None)
    assert judgement.history_n == 6


def test_the_current_point_is_never_in_its_own_window() -> None:
    history = series(noisy(40, seed=2))
    at = history[30].observed_at
    points = window(history, at, SETTINGS)
    assert all(point.observed_at < at for point in points)
    assert len(points) == SETTINGS.window_runs and points[-1] == history[29]


def test_median_and_mad_against_an_independent_computation() -> None:
    values = noisy(20, seed=3)
    history = series(values, step=timedelta(hours=6))  # not daily: plain median/MAD
    judgement = judge(1100.0, START + 20 * timedelta(hours=6), history, SETTINGS)
    median = float(np.median(values))
    sigma = float(sps.median_abs_deviation(values, scale="normal"))
    spread = max(sigma, 0.02 * median) * (1 + np.pi / 40) ** 0.5
    assert judgement.method == "median_mad"
    assert judgement.centre == pytest.approx(median)
    assert judgement.spread == pytest.approx(spread)
    assert judgement.robust_z == pytest.approx((1100.0 - median) / spread)
    assert judgement.p_value == pytest.approx(2 * sps.t.sf(abs(judgement.robust_z or 0), 0.37 * 19))
    assert judgement.expected_low == pytest.approx(median - 6 * spread)


def test_a_step_fires_and_becomes_the_new_normal_once_it_fills_half_the_window() -> None:
    values = noisy(28, seed=4)
    history = series(values)
    assert fires(500.0, history, START + 28 * DAY) == "high"
    # keep the new level: after 15 of 28 points it is the median, and stops firing
    stepped = values + [500.0 + v - 1000.0 for v in noisy(15, seed=5)]
    history = series(stepped)
    assert fires(500.0, history, START + len(stepped) * DAY) is None


def _creep_fired_days(per_day: float) -> list[int]:
    base = noisy(28, seed=6, centre=100.0, sigma=1.0)
    creep = [v + per_day * day for day, v in enumerate(noisy(20, seed=7, centre=100.0, sigma=1.0), start=1)]
    values = base + creep
    return [day - 27 for day in range(28, 48) if fires(values[day], series(values[:day]), START + day * DAY)]


def test_a_slow_creep_fires_once_it_has_moved_far_enough_and_then_fades() -> None:
    """A creep of 2 % a day on a 1 % noise fires after a week; as the creep fills
    the window the spread widens and it stops firing (the known limit of judging a
    series against its own recent past: a creep slow enough is absorbed). A creep
    of 1 % a day never reaches z 6; the reference-window signals (null_rate,
    mean_shift against the reference) and dqp_trends are what show it."""
    fired = _creep_fired_days(2.0)
    assert fired and 5 < fired[0] <= 10
    assert fired == list(range(fired[0], fired[-1] + 1))  # one stretch, no flapping
    assert fired[-1] < 20
    assert _creep_fired_days(1.0) == []


def test_a_weekly_pattern_uses_the_weekday_median() -> None:
    # Mondays are 3x the other days; a Monday at 3x is normal, a Monday at 1x is not.
    weekly = [3000.0 if (START + day * DAY).weekday() == 0 else 1000.0 for day in range(28)]
    values = [v + noise for v, noise in zip(weekly, noisy(28, seed=8, centre=0.0, sigma=20.0), strict=True)]
    history = series(values)
    monday = START + 28 * DAY
    assert monday.weekday() == 0
    judgement = judge(3010.0, monday, history, SETTINGS)
    assert judgement.method == "weekday_median_mad"
    assert judgement.centre == pytest.approx(statistics.median(values[0::7]))
    assert fires(3010.0, history, monday) is None
    assert fires(1000.0, history, monday) == "high"
    # runs every other day are not daily: the plain median reads the normal Monday peak as an anomaly
    every_other_day = series(values, step=2 * DAY)
    assert judge(3010.0, START + 56 * DAY, every_other_day, SETTINGS).method == "median_mad"
    assert fires(3010.0, every_other_day, START + 56 * DAY) == "high"


def test_a_single_spike_does_not_poison_the_next_runs_window() -> None:
    values = noisy(28, seed=9)
    values[-1] = 10_000.0  # yesterday's spike (it fired then)
    history = series(values)
    at = START + 28 * DAY
    clean = judge(1000.0, at, series(values[:-1]), SETTINGS)
    after = judge(1000.0, at, history, SETTINGS)
    assert fires(1000.0, history, at) is None
    # the robust estimates barely move, so the next run is judged almost as if the spike never happened
    assert after.centre == pytest.approx(clean.centre or 0.0, rel=0.01)
    assert after.spread == pytest.approx(clean.spread or 0.0, rel=0.25)
    assert fires(700.0, history, at) is not None  # and a real drop the day after still fires


def test_a_constant_series_uses_the_floor_not_an_infinite_z() -> None:
    history = series([1000.0] * 10)
    judgement = judge(1010.0, START + 10 * DAY, history, SETTINGS, absolute_floor=1.0)
    assert judgement.spread == pytest.approx(20.0 * (1 + np.pi / 20) ** 0.5)
    assert fires(1010.0, history, START + 10 * DAY) is None
    assert fires(500.0, history, START + 10 * DAY) == "high"


def test_deterministic() -> None:
    history = series(noisy(30, seed=10))
    first = judge(1234.0, START + 30 * DAY, history, SETTINGS)
    assert all(judge(1234.0, START + 30 * DAY, list(reversed(history)), SETTINGS) == first for _ in range(3))


@pytest.mark.parametrize("step", [DAY, timedelta(hours=3)], ids=["daily", "hourly"])
def test_no_drift_simulation_stays_quiet(step: timedelta) -> None:
    """Stationary noise with 7 to 90 earlier runs: at the default levels, at
    most 1 in 1000 judgements fires (each judged alone at alpha 0.01, without
    the dataset-wide correction that makes a real check quieter still)."""
    rng = np.random.default_rng(2026)
    judgements = fired = 0
    for history_n in range(7, 91):
        for _ in range(25):
            values = [float(v) for v in rng.normal(100.0, 5.0, history_n + 1)]
            history = [HistoryPoint(START + index * step, value) for index, value in enumerate(values[:-1])]
            judgements += 1
            if fires(values[-1], history, START + history_n * step):
                fired += 1
    assert judgements == 2100
    assert fired <= 2, f"{fired} of {judgements} stationary judgements fired"


def test_judge_all_adjusts_across_the_dataset_and_is_ordered() -> None:
    quiet = series(noisy(28, seed=11))
    history = MetricHistory({(None, "row_count"): quiet, ("amount", "null_rate"): series([0.01] * 28)})
    current = {("amount", "null_rate"): 0.5, (None, "row_count"): 1000.0, ("amount", "psi"): 0.1}
    results = judge_all(
        current, START + 28 * DAY, history, SETTINGS, 0.01, lambda p: adjust_p_values(p, "holm")
    )
    assert [r.key for r in results] == [(None, "row_count"), ("amount", "null_rate"), ("amount", "psi")]
    assert results[2].judgement.insufficient == "too_little_history" and results[2].severity is None
    assert results[1].severity == "high" and results[0].severity is None
    raw = [r.judgement.p_value or 0.0 for r in results[:2]]
    assert [r.p_value_adjusted for r in results[:2]] == adjust_p_values(raw, "holm")
