"""Issue 11, row budget: statistics on a sampled side carry the sample's own
size. Distribution rows come from a Bernoulli sample of each side (as the SQL
takes above dqp_row_budget) while profiles stay exact; KS, chi-square and PSI
are checked against scipy/numpy on the same sampled rows, a no-drift
simulation with sampling stays quiet, and drifts are still caught.
"""

from __future__ import annotations

import numpy as np
import pytest
from aggregate_builders import Sample, build_sampled_dataset, cat, ks_population, not_null, num
from scipy import stats as scipy_stats

from dqp_runner import stats
from dqp_runner.aggregates import DatasetAggregates
from dqp_runner.policy import Policy
from dqp_runner.scoring import Decision, score_and_decide
from dqp_runner.signals import IncompleteAggregatesError, evaluate_dataset
from dqp_runner.vocabulary import Severity, SignalType

POLICY = Policy()
CHANNELS = np.array(["web", "app", "store", "phone"])
SHARES = [0.4, 0.3, 0.2, 0.1]


def draw(rng: np.random.Generator, rows: int, shift: float = 0.0) -> tuple[Sample, list[str | None]]:
    nulls = int(rng.binomial(rows, 0.05))
    amount = Sample(rng.normal(100.0 + shift * 15.0, 15.0, rows - nulls), nulls)
    channel: list[str | None] = [str(value) for value in rng.choice(CHANNELS, rows, p=SHARES)]
    return amount, channel


def dataset(seed: int, rows: int, fraction: float, shift: float = 0.0) -> DatasetAggregates:
    rng = np.random.default_rng([seed, rows])
    (ref_amount, ref_channel), (cur_amount, cur_channel) = draw(rng, rows), draw(rng, rows, shift)
    return build_sampled_dataset(
        num("amount", ref_amount, cur_amount),
        cat("channel", ref_channel, cur_channel),
        fractions=(fraction, fraction),
        seed=seed,
        ks_method="auto",
    )


def metric(aggregates: DatasetAggregates, column: str, signal_type: SignalType) -> dict[str, object]:
    evaluation = evaluate_dataset(aggregates, POLICY)
    found = [m for m in evaluation.metrics if m.column_name == column and m.signal_type == signal_type]
    assert len(found) == 1, found
    return {
        "value": found[0].metric_value,
        "reference_n": found[0].reference_n,
        "current_n": found[0].current_n,
        "details": found[0].details,
    }


def sampled_values(aggregates: DatasetAggregates, side: str) -> np.ndarray:
    """The sampled amounts back from the exact KS rows (each distinct value and its count)."""
    bins = getattr(aggregates, side).ks_bins["amount"]
    return np.repeat([b.bin_value for b in bins], [b.value_count for b in bins])


def test_ks_uses_the_sampled_rows_and_matches_scipy() -> None:
    aggregates = dataset(seed=1, rows=4_000, fraction=0.2, shift=0.1)
    assert aggregates.reference.profiles["amount"].ks_method == "exact"
    reference, current = sampled_values(aggregates, "reference"), sampled_values(aggregates, "current")
    expected = scipy_stats.ks_2samp(reference, current)
    found = metric(aggregates, "amount", SignalType.KS)
    assert found["value"] == pytest.approx(expected.statistic, abs=1e-12)
    assert (found["reference_n"], found["current_n"]) == (reference.size, current.size)
    # the sample is the sample: n is about a fifth of the side's finite values, never scaled up
    assert reference.size < 0.25 * aggregates.reference.profiles["amount"].finite_count
    assert found["details"]["sampled_sides"] == ["reference", "current"]
    assert found["details"]["current_sample_fraction"] == 0.2


def test_psi_noise_floor_and_chi_square_use_the_sampled_counts() -> None:
    aggregates = dataset(seed=2, rows=20_000, fraction=0.05)
    psi = metric(aggregates, "amount", SignalType.PSI)
    ref_n = sum(b.value_count for b in aggregates.reference.psi_bins["amount"] if not b.is_null_bin)
    cur_n = sum(b.value_count for b in aggregates.current.psi_bins["amount"] if not b.is_null_bin)
    assert (psi["reference_n"], psi["current_n"]) == (ref_n, cur_n)
    details = psi["details"]
    assert isinstance(details, dict)
    floor = stats.psi_noise_floor(ref_n, cur_n, details["bins"], POLICY.psi.noise_floor_confidence)
    full_n = aggregates.reference.profiles["amount"].finite_count
    assert details["noise_floor"] == pytest.approx(floor)
    assert floor > 5 * stats.psi_noise_floor(full_n, full_n, details["bins"], POLICY.psi.noise_floor_confidence)

    chi = metric(aggregates, "channel", SignalType.CHI_SQUARE)
    table = np.array([[c.value_count for c in sorted(getattr(aggregates, side).categories["channel"],
                                                         key=lambda c: c.category_value)]
                      for side in ("reference", "current")])
    statistic, _, dof, _ = scipy_stats.chi2_contingency(table, correction=False)
    assert chi["details"]["statistic"] == pytest.approx(statistic, rel=1e-9) and chi["details"]["dof"] == dof
    assert (chi["reference_n"], chi["current_n"]) == tuple(table.sum(axis=1))
    assert chi["reference_n"] == aggregates.reference.sampled_rows < 0.1 * 20_000


def test_exact_statistics_stay_on_the_whole_side() -> None:
    aggregates = dataset(seed=3, rows=20_000, fraction=0.05, shift=0.1)
    mean = metric(aggregates, "amount", SignalType.MEAN_SHIFT)
    profile = aggregates.current.profiles["amount"]
    assert mean["current_n"] == profile.finite_count and profile.row_count == 20_000
    assert "sampled_sides" not in mean["details"]


def test_a_sampled_total_that_does_not_add_up_is_refused() -> None:
    aggregates = dataset(seed=4, rows=4_000, fraction=0.1)
    assert aggregates.current.sampled_rows is not None
    aggregates.current.sampled_rows += 1
    expected = r"current ks counts sum to \d+, the recorded sample \(dqp_profile_runs\) implies"
    with pytest.raises(IncompleteAggregatesError, match=expected):
        evaluate_dataset(aggregates, POLICY)


def test_novel_values_count_against_the_sampled_values() -> None:
    aggregates = dataset(seed=5, rows=8_000, fraction=0.1)
    novel = metric(aggregates, "channel", SignalType.NOVEL_VALUES)
    assert (novel["reference_n"], novel["current_n"]) == (
        aggregates.reference.sampled_rows, aggregates.current.sampled_rows
    )


def test_no_drift_with_sampling_stays_quiet() -> None:
    decisions = []
    for seed in range(60):
        aggregates = dataset(seed=seed, rows=20_000, fraction=0.05)
        decisions.append(score_and_decide(evaluate_dataset(aggregates, POLICY).signals, POLICY).decision)
    warned = sum(1 for decision in decisions if decision >= Decision.WARN)
    assert warned <= 1 and Decision.BLOCK_PIPELINE not in decisions, decisions


def test_a_drift_is_still_caught_on_the_sample() -> None:
    for seed in range(8):
        aggregates = dataset(seed=seed, rows=20_000, fraction=0.05, shift=0.5)
        evaluation = evaluate_dataset(aggregates, POLICY)
        fired = {(s.column_name, s.signal_type) for s in evaluation.signals if s.severity > Severity.INFO}
        assert {("amount", SignalType.KS), ("amount", SignalType.PSI)} <= fired, (seed, fired)
        assert score_and_decide(evaluation.signals, POLICY).decision >= Decision.WARN


def test_sampled_builder_matches_the_raw_sample() -> None:
    """The builder's sampled KS rows are exactly the kept rows' non-NaN values."""
    rng = np.random.default_rng(7)
    values = Sample(rng.normal(size=500), 20)
    aggregates = build_sampled_dataset(num("x", values, values), fractions=(None, 0.5), seed=7)
    assert aggregates.reference.sampled_rows is None
    assert sum(b.value_count for b in aggregates.reference.ks_bins["x"]) == ks_population(values).size
    assert aggregates.current.profiles["x"].row_count == 520 == not_null(values).size + 20
    kept = aggregates.current.sampled_rows
    assert kept is not None and 200 < kept < 320
    nulls = [b.value_count for b in aggregates.current.psi_bins["x"] if b.is_null_bin]
    assert sum(b.value_count for b in aggregates.current.ks_bins["x"]) == kept - sum(nulls)
