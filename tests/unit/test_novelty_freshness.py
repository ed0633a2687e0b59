"""novel_values and freshness: the statistics against scipy/numpy on raw data, and the signals."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import numpy as np
import pytest
from aggregate_builders import build_dataset, cat, num, temporal
from scipy import stats as sps

from dqp_runner import stats
from dqp_runner.metrics import ColumnMetric, MetricState
from dqp_runner.policy import Policy, PolicyError, resolve_policy
from dqp_runner.signals import Evaluation, evaluate_dataset
from dqp_runner.vocabulary import RecommendedAction, Severity, SignalType

POLICY = Policy()
DAY = 86_400.0
YEAR = 365 * DAY


def metric(evaluation: Evaluation, column: str, signal_type: SignalType) -> ColumnMetric:
    rows = [m for m in evaluation.metrics if m.column_name == column and m.signal_type == signal_type.value]
    assert len(rows) == 1, rows
    return rows[0]


def fired(evaluation: Evaluation, column: str) -> set[SignalType]:
    return {
        s.signal_type
        for s in evaluation.signals
        if s.column_name == column and s.signal_type != SignalType.INSUFFICIENT_DATA
    }


def user_ids(seed: int, n: int, prefix: str, distinct: int = 300) -> list[str | None]:
    return [f"{prefix}_{i}" for i in np.random.default_rng(seed).integers(1, distinct + 1, n)]


def unique_ids(prefix: str, n: int) -> list[str | None]:
    return [f"{prefix}_{i}" for i in range(n)]


# --------------------------------------------------------------------------- #
# Statistics


def good_turing_oracle(reference: list[str], current: list[str]) -> tuple[int, float]:
    """Novel rows and the Good-Turing unseen share, straight from the raw values."""
    seen = set(reference)
    singletons = sum(1 for count in Counter(reference).values() if count == 1)
    return sum(1 for v in current if v not in seen), singletons / len(reference)


@pytest.mark.parametrize(
    ("reference", "current"),
    [
        (user_ids(1, 2000, "user"), user_ids(2, 2000, "zzz")),  # replaced key space
        (user_ids(1, 2000, "user"), user_ids(2, 2000, "user")),  # same ids again
        (user_ids(1, 2000, "user", 3000), user_ids(2, 1500, "user", 3000)),  # many singletons
        (unique_ids("a", 500), unique_ids("b", 700)),  # unique ids on both sides
    ],
)
def test_novel_values_matches_binomtest(reference: list[str], current: list[str]) -> None:
    novel, expected = good_turing_oracle(reference, current)
    singletons = sum(1 for count in Counter(reference).values() if count == 1)
    got = stats.novel_values(novel, len(current), singletons, len(reference))
    assert got is not None
    assert got.observed_share == pytest.approx(novel / len(current), abs=1e-15)
    assert got.expected_share == pytest.approx(expected, abs=1e-15)
    assert got.excess == pytest.approx(novel / len(current) - expected, abs=1e-15)
    assert got.excess_rows == pytest.approx(novel - expected * len(current), abs=1e-9)
    want = sps.binomtest(novel, len(current), expected, alternative="greater").pvalue
    assert got.p_value == pytest.approx(want, rel=1e-9, abs=1e-300)


def test_novel_values_edges() -> None:
    unique = stats.novel_values(700, 700, 500, 500)
    assert unique is not None and unique.excess == 0.0 and unique.p_value == 1.0
    nothing_new = stats.novel_values(0, 100, 0, 100)
    assert nothing_new is not None and nothing_new.excess == 0.0 and nothing_new.p_value == 1.0
    # No singletons: any novel row is impossible under the null.
    replaced = stats.novel_values(10, 100, 0, 100)
    assert replaced is not None and replaced.p_value == 0.0
    assert stats.novel_values(0, 0, 3, 10) is None
    assert stats.novel_values(0, 10, 0, 0) is None
    with pytest.raises(ValueError, match="novel_rows must be <= current_values"):
        stats.novel_values(11, 10, 0, 10)
    with pytest.raises(ValueError, match="reference_singletons must be <= reference_values"):
        stats.novel_values(0, 10, 11, 10)


def test_typical_gap_is_the_mean_gap_between_distinct_values() -> None:
    values = np.random.default_rng(3).integers(0, 10_000, 500).astype(float)
    distinct = np.unique(values)
    assert stats.typical_gap(float(values.min()), float(values.max()), int(distinct.size)) == pytest.approx(
        float(np.diff(distinct).mean()), rel=1e-12
    )
    assert stats.typical_gap(5.0, 5.0, 1) is None
    assert stats.typical_gap(None, None, 0) is None


def test_freshness_ages_and_lag() -> None:
    as_of = datetime(2026, 11, 23, tzinfo=UTC).timestamp()
    reference_latest = datetime(2026, 11, 22, tzinfo=UTC).timestamp()
    current_latest = datetime(2025, 11, 22, tzinfo=UTC).timestamp()
    got = stats.freshness(reference_latest, as_of, current_latest, as_of, DAY)
    assert got.reference_age == DAY and got.current_age == DAY + YEAR
    assert got.lag == YEAR and got.staleness == 365.0
    with pytest.raises(ValueError, match="cadence must be > 0"):
        stats.freshness(0.0, 0.0, 0.0, 0.0, 0.0)


# --------------------------------------------------------------------------- #
# novel_values signal


def test_replaced_key_space_fires_novel_values() -> None:
    reference, current = user_ids(1, 2000, "user"), user_ids(2, 2000, "zzz")
    evaluation = evaluate_dataset(build_dataset(cat("user_id", reference, current)), POLICY)
    row = metric(evaluation, "user_id", SignalType.NOVEL_VALUES)
    novel, expected = good_turing_oracle(reference, current)  # type: ignore[arg-type]
    assert row.state == MetricState.FIRED and row.severity == "high"
    assert row.current_value == 1.0 and row.reference_value == pytest.approx(expected)
    assert row.metric_value == pytest.approx(1.0 - expected)
    assert row.p_value == pytest.approx(sps.binomtest(novel, 2000, expected, alternative="greater").pvalue, abs=1e-300)
    signal = next(s for s in evaluation.signals if s.signal_type == SignalType.NOVEL_VALUES)
    assert signal.recommended_action == RecommendedAction.REVIEW_NOVEL_VALUES
    assert signal.method == "good_turing_binomial" and signal.threshold == POLICY.novel_values.high


def test_unique_ids_and_repeated_ids_stay_quiet_with_a_metric_row() -> None:
    evaluation = evaluate_dataset(
        build_dataset(
            cat("session_id", unique_ids("a", 2000), unique_ids("b", 2000)),
            cat("user_id", user_ids(1, 2000, "user"), user_ids(2, 2000, "user")),
        ),
        POLICY,
    )
    for column in ("session_id", "user_id"):
        row = metric(evaluation, column, SignalType.NOVEL_VALUES)
        assert row.state == MetricState.BELOW_THRESHOLD, row
        assert SignalType.NOVEL_VALUES not in fired(evaluation, column)
    assert metric(evaluation, "session_id", SignalType.NOVEL_VALUES).metric_value == 0.0


def test_a_few_novel_rows_are_insufficient_not_an_alarm() -> None:
    reference = ["a"] * 30 + ["b"] * 30
    evaluation = evaluate_dataset(build_dataset(cat("s", reference, ["a"] * 5 + ["b"] * 5 + ["c"] * 3)), POLICY)
    row = metric(evaluation, "s", SignalType.NOVEL_VALUES)
    assert row.state == MetricState.INSUFFICIENT_DATA and row.details["reason"] == "too_few_novel_rows"


def test_novel_values_policy_is_validated() -> None:
    assert resolve_policy({}, {"novel_values": {"medium": 0.2}}).novel_values.medium == 0.2
    with pytest.raises(PolicyError, match="novel_values.medium"):
        resolve_policy({}, {"novel_values": {"medium": 0.5, "high": 0.4}})
    with pytest.raises(PolicyError, match="novel_values.min_excess_count"):
        resolve_policy({}, {"novel_values": {"min_excess_count": -1}})
    with pytest.raises(PolicyError, match="freshness.medium"):
        resolve_policy({}, {"freshness": {"medium": 0}})


# --------------------------------------------------------------------------- #
# Temporal columns and freshness


QUARTER_START = datetime(2026, 7, 1, tzinfo=UTC).timestamp()
RUN_AT = datetime(2026, 11, 23, 12, tzinfo=UTC).timestamp()


def visits(seed: int, n: int, years_back: int = 0, daily: bool = False) -> list[float | None]:
    seconds = np.sort(np.random.default_rng(seed).integers(0, 92 * 86_400, n)).astype(float)
    if daily:
        seconds = np.floor(seconds / DAY) * DAY
    return list(QUARTER_START - years_back * YEAR + seconds)


@pytest.mark.parametrize("daily", [True, False], ids=["date", "timestamp"])
def test_a_one_year_shift_fires_drift_and_freshness(daily: bool) -> None:
    reference, shifted = visits(1, 1000, daily=daily), visits(2, 1000, years_back=1, daily=daily)
    evaluation = evaluate_dataset(
        build_dataset(temporal("t", reference, shifted), reference_as_of=RUN_AT, current_as_of=RUN_AT), POLICY
    )
    assert {SignalType.KS, SignalType.PSI, SignalType.FRESHNESS} <= fired(evaluation, "t")
    row = metric(evaluation, "t", SignalType.FRESHNESS)
    ref_max, cur_max = max(v for v in reference if v is not None), max(v for v in shifted if v is not None)
    ref_gap = float(np.diff(np.unique(reference)).mean())
    cur_gap = float(np.diff(np.unique(shifted)).mean())
    cadence = max(ref_gap, cur_gap)
    assert row.state == MetricState.FIRED and row.severity == "high"
    assert row.metric_value == pytest.approx((ref_max - cur_max) / cadence, rel=1e-9)
    assert row.current_value == pytest.approx(RUN_AT - cur_max)
    assert row.reference_value == pytest.approx(RUN_AT - ref_max)
    assert row.details["cadence_seconds"] == pytest.approx(cadence, rel=1e-9)
    signal = next(s for s in evaluation.signals if s.signal_type == SignalType.FRESHNESS)
    assert signal.recommended_action == RecommendedAction.CHECK_DATA_FRESHNESS and signal.p_value is None


@pytest.mark.parametrize("daily", [True, False], ids=["date", "timestamp"])
def test_an_unshifted_temporal_column_is_quiet(daily: bool) -> None:
    evaluation = evaluate_dataset(
        build_dataset(
            temporal("t", visits(1, 1000, daily=daily), visits(2, 1000, daily=daily)),
            reference_as_of=RUN_AT,
            current_as_of=RUN_AT,
        ),
        POLICY,
    )
    assert fired(evaluation, "t") == set()
    assert metric(evaluation, "t", SignalType.FRESHNESS).state == MetricState.BELOW_THRESHOLD


def test_a_time_split_measures_each_side_at_its_window_end() -> None:
    # Reference window ends at day 28, its latest value at day 27.5; the
    # current window ends at day 29 with a latest value at day 10: 18.5 days late.
    reference = [float(day) * DAY for day in range(28)] + [27.5 * DAY]
    current = [float(day) * DAY for day in range(11)]
    evaluation = evaluate_dataset(
        build_dataset(temporal("updated_at", reference, current), reference_as_of=28 * DAY, current_as_of=29 * DAY),
        POLICY,
    )
    row = metric(evaluation, "updated_at", SignalType.FRESHNESS)
    assert row.reference_value == pytest.approx(0.5 * DAY) and row.current_value == pytest.approx(19 * DAY)
    cadence = max(27.5 * DAY / 28, 10 * DAY / 10)
    assert row.metric_value == pytest.approx(18.5 * DAY / cadence)
    assert row.state == MetricState.FIRED and row.severity == Severity.MEDIUM.label


def test_freshness_without_an_observation_time_or_cadence_is_insufficient() -> None:
    no_time = evaluate_dataset(build_dataset(temporal("t", visits(1, 100), visits(2, 100))), POLICY)
    assert metric(no_time, "t", SignalType.FRESHNESS).details["reason"] == "no_observation_time"
    constant = evaluate_dataset(
        build_dataset(temporal("t", [DAY] * 50, [DAY] * 50), reference_as_of=RUN_AT, current_as_of=RUN_AT), POLICY
    )
    row = metric(constant, "t", SignalType.FRESHNESS)
    assert row.state == MetricState.INSUFFICIENT_DATA and row.details["reason"] == "no_reference_cadence"


def test_numeric_columns_get_no_freshness_row() -> None:
    evaluation = evaluate_dataset(
        build_dataset(num("x", visits(1, 100), visits(2, 100)), reference_as_of=RUN_AT, current_as_of=RUN_AT), POLICY
    )
    assert not [m for m in evaluation.metrics if m.signal_type == SignalType.FRESHNESS.value]


def test_observation_times_come_from_the_run_or_the_window_ends() -> None:
    from dqp_runner.warehouse import ProfileRun

    started = datetime(2026, 11, 23, 12, 0, 0)  # stored naive, in UTC
    common = {"dataset_name": "d", "run_id": "r", "profiled_at": started, "critical_columns": frozenset()}
    relation = ProfileRun(
        **common, reference_kind="relation", policy_overrides={}, current_window_days=None, reference_window_days=None
    )
    expected = datetime(2026, 11, 23, 12, tzinfo=UTC).timestamp()
    assert relation.as_of() == (expected, expected)
    split = ProfileRun(
        **common,
        reference_kind="time_window",
        policy_overrides={},
        current_window_days=1.0,
        reference_window_days=28.0,
        current_window_end="2026-10-29T23:59:00",
        reference_window_end="2026-10-28T23:59:00+00:00",
    )
    assert split.as_of() == (
        datetime(2026, 10, 28, 23, 59, tzinfo=UTC).timestamp(),
        datetime(2026, 10, 29, 23, 59, tzinfo=UTC).timestamp(),
    )
    unbounded = ProfileRun(
        **common, reference_kind="time_window", policy_overrides={}, current_window_days=1.0, reference_window_days=28.0
    )
    assert unbounded.as_of() == (None, None)
