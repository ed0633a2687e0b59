"""Issue 9: verdicts a team can gate on, checked by simulation through the real code.

No-drift pairs of a small "orders" table (a critical normal amount, a heavy-tailed
gamma wait time, integer item counts, a 4-level channel; 0-30% nulls) must end in
WARN or worse in at most 1% of pairs at every n, and never in BLOCK_PIPELINE.
Shifted pairs must reach at least WARN in every seed. The aggregates are built from
the numpy samples the way the SQL builds them (aggregate_builders, KS method chosen
per column as the SQL does), then go through stats, signals and scoring.

Run with ``-s`` to see the observed rates per n (also printed by
``python -m tests.unit.test_verdict_calibration`` from the repository root).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from aggregate_builders import Sample, build_dataset, cat, num

from dqp_runner.aggregates import DatasetAggregates
from dqp_runner.metrics import MetricState
from dqp_runner.policy import Policy
from dqp_runner.scoring import Decision, Verdict, score_and_decide
from dqp_runner.signals import Evaluation, evaluate_dataset
from dqp_runner.vocabulary import Severity, SignalType

POLICY = Policy()
CHANNELS = np.array(["web", "app", "store", "phone"])
CHANNEL_SHARES = [0.4, 0.3, 0.2, 0.1]
NULL_RATES = (0.0, 0.02, 0.1, 0.3)
AMOUNT_MEAN, AMOUNT_SD = 100.0, 15.0

# Pairs per n: enough that "at most 1%" is a real bound at the small n where the
# tests are noisiest, few at the large n where building the aggregates dominates.
PAIRS_PER_N = {50: 300, 200: 300, 1_000: 300, 10_000: 40, 100_000: 8}
MAX_WARN_SHARE = 0.01


@dataclass
class Side:
    amount: Sample
    wait_hours: Sample
    items: Sample
    channel: list[str | None]


def draw_side(rng: np.random.Generator, n: int, null_rate: float) -> Side:
    def nulls() -> int:
        return int(rng.binomial(n, null_rate))

    amount_nulls, wait_nulls, item_nulls, channel_nulls = (nulls() for _ in range(4))
    channel: list[str | None] = [str(v) for v in rng.choice(CHANNELS, n - channel_nulls, p=CHANNEL_SHARES)]
    return Side(
        amount=Sample(rng.normal(AMOUNT_MEAN, AMOUNT_SD, n - amount_nulls), amount_nulls),
        wait_hours=Sample(rng.gamma(0.7, 10.0, n - wait_nulls), wait_nulls),
        items=Sample(rng.poisson(4, n - item_nulls).astype(np.float64), item_nulls),
        channel=channel + [None] * channel_nulls,
    )


def dataset(reference: Side, current: Side, critical: tuple[str, ...] = ("amount",)) -> DatasetAggregates:
    return build_dataset(
        num("amount", reference.amount, current.amount),
        num("wait_hours", reference.wait_hours, current.wait_hours),
        num("items", reference.items, current.items),
        cat("channel", reference.channel, current.channel),
        ks_method="auto",
        critical=critical,
    )


def verdict_of(aggregates: DatasetAggregates) -> tuple[Evaluation, Verdict]:
    evaluation = evaluate_dataset(aggregates, POLICY)
    return evaluation, score_and_decide(evaluation.signals, POLICY)


def no_drift_decisions(n: int, pairs: int) -> Counter[Decision]:
    decisions: Counter[Decision] = Counter()
    for pair in range(pairs):
        rng = np.random.default_rng([n, pair])
        null_rate = NULL_RATES[pair % len(NULL_RATES)]
        _, verdict = verdict_of(dataset(draw_side(rng, n, null_rate), draw_side(rng, n, null_rate)))
        decisions[verdict.decision] += 1
    return decisions


def rate_table() -> list[tuple[int, int, float, float, float]]:
    """(n, pairs, MONITOR+ share, WARN+ share, BLOCK share) per n."""
    rows = []
    for n, pairs in PAIRS_PER_N.items():
        decisions = no_drift_decisions(n, pairs)
        monitor = sum(count for decision, count in decisions.items() if decision >= Decision.MONITOR)
        warn = sum(count for decision, count in decisions.items() if decision >= Decision.WARN)
        rows.append((n, pairs, monitor / pairs, warn / pairs, decisions[Decision.BLOCK_PIPELINE] / pairs))
    return rows


@pytest.mark.parametrize(("n", "pairs"), list(PAIRS_PER_N.items()))
def test_no_drift_rarely_warns_and_never_blocks(n: int, pairs: int) -> None:
    decisions = no_drift_decisions(n, pairs)
    warn_or_worse = decisions[Decision.WARN] + decisions[Decision.BLOCK_PIPELINE]
    print(f"\nno drift n={n}: {pairs} pairs, WARN+ {warn_or_worse / pairs:.2%}, {dict(decisions)}")
    assert warn_or_worse <= MAX_WARN_SHARE * pairs, dict(decisions)
    assert decisions[Decision.BLOCK_PIPELINE] == 0, dict(decisions)


# --------------------------------------------------------------------------- shifted pairs

SEEDS = range(8)


def shifted(seed: int, n: int, change: Callable[[Side, np.random.Generator], Side]) -> tuple[Side, Side]:
    rng = np.random.default_rng([seed, n, 99])
    reference = draw_side(rng, n, 0.02)
    return reference, change(draw_side(rng, n, 0.02), rng)


def shift_amount(sigmas: float) -> Callable[[Side, np.random.Generator], Side]:
    def change(side: Side, rng: np.random.Generator) -> Side:
        side.amount = Sample(side.amount.values + sigmas * AMOUNT_SD, side.amount.nulls)
        return side

    return change


def scale_amount(factor: float) -> Callable[[Side, np.random.Generator], Side]:
    def change(side: Side, rng: np.random.Generator) -> Side:
        values = side.amount.values
        side.amount = Sample(AMOUNT_MEAN + factor * (values - AMOUNT_MEAN), side.amount.nulls)
        return side

    return change


def unit_change(side: Side, rng: np.random.Generator) -> Side:
    side.amount = Sample(side.amount.values * 100.0, side.amount.nulls)  # dollars -> cents
    return side


def new_channel(side: Side, rng: np.random.Generator) -> Side:
    channel = list(side.channel)
    positions = rng.choice(len(channel), len(channel) // 10, replace=False)
    for position in positions:
        channel[position] = "kiosk"
    side.channel = channel
    return side


def null_spike(side: Side, rng: np.random.Generator) -> Side:
    # 5% -> 30% nulls: the reference is drawn at 2%, so first restore 5% there (see the test).
    values = side.amount.values
    total = values.size + side.amount.nulls
    keep = total - int(0.3 * total)
    side.amount = Sample(rng.permutation(values)[:keep], total - keep)
    return side


def with_amount_nulls(side: Side, rng: np.random.Generator, share: float) -> Side:
    values = side.amount.values
    total = values.size + side.amount.nulls
    keep = total - int(share * total)
    side.amount = Sample(rng.permutation(values)[:keep], total - keep)
    return side


SHIFTS: dict[str, tuple[int, Callable[[Side, np.random.Generator], Side], tuple[str, ...]]] = {
    "0.2 sigma mean shift at 10k, critical column": (10_000, shift_amount(0.2), ("amount",)),
    "0.5 sigma mean shift at 2k": (2_000, shift_amount(0.5), ()),
    "x2 scale at 2k": (2_000, scale_amount(2.0), ()),
    "10% new category at 2k": (2_000, new_channel, ()),
    "5% -> 30% nulls at 2k": (2_000, null_spike, ()),
    "x100 unit change at 2k": (2_000, unit_change, ()),
}


@pytest.mark.parametrize("name", list(SHIFTS))
def test_shifts_reach_at_least_warn_in_every_seed(name: str) -> None:
    n, change, critical = SHIFTS[name]
    for seed in SEEDS:
        reference, current = shifted(seed, n, change)
        if change is null_spike:
            rng = np.random.default_rng([seed, 5])
            reference = with_amount_nulls(reference, rng, 0.05)
        _, verdict = verdict_of(dataset(reference, current, critical))
        assert verdict.decision >= Decision.WARN, (name, seed, verdict.decision_reason, verdict.rows())


def test_small_mean_shift_on_a_non_critical_column_is_at_least_monitored() -> None:
    for seed in SEEDS:
        reference, current = shifted(seed, 10_000, shift_amount(0.2))
        evaluation, verdict = verdict_of(dataset(reference, current, critical=()))
        assert verdict.decision >= Decision.MONITOR, (seed, verdict.rows())
        fired = {(s.column_name, s.signal_type) for s in evaluation.signals if s.severity > Severity.INFO}
        assert ("amount", SignalType.MEAN_SHIFT) in fired


# --------------------------------------------------------------------------- issue 9's reported cases


def test_issue9_a_0_2_sigma_shift_at_10k_on_a_critical_column_warns() -> None:
    # Reported: KS p ~ 1e-38, D ~ 0.095, PSI ~ 0.05 and NO_ACTION with zero signals.
    rng = np.random.default_rng(20260409)
    reference = Sample(rng.normal(0.0, 1.0, 10_000))
    current = Sample(rng.normal(0.2, 1.0, 10_000))
    evaluation, verdict = verdict_of(
        build_dataset(num("amount", reference, current), ks_method="auto", critical=["amount"])
    )
    assert verdict.decision == Decision.WARN
    assert verdict.decision_reason.startswith(
        "critical-column floor: medium signal mean_shift on critical column 'amount'"
    )
    shift = next(m for m in evaluation.metrics if m.signal_type == "mean_shift")
    assert shift.state == MetricState.FIRED and shift.metric_value is not None
    assert 0.15 <= shift.metric_value <= 0.25
    ks = next(m for m in evaluation.metrics if m.signal_type == "ks")
    assert ks.state == MetricState.BELOW_THRESHOLD and ks.p_value is not None and ks.p_value < 1e-20


def test_issue9_one_legitimate_large_order_in_13_rows_does_not_block() -> None:
    # Reported: 13 current rows with one legitimate large order gave a 7.7% outlier
    # excess on a critical column: BLOCK_PIPELINE. About one order a day.
    rng = np.random.default_rng(13)
    reference = list(rng.lognormal(3.5, 0.5, 365))
    large_order = float(np.max(reference)) * 1.5
    current: list[float | None] = [*rng.lognormal(3.5, 0.5, 12), large_order]
    aggregates = build_dataset(
        num("amount", reference, current),
        cat("status", list(rng.choice(["paid", "refunded"], 365, p=[0.9, 0.1])), ["paid"] * 12 + ["refunded"]),
        critical=["amount"],
        reference_window_days=365,
        current_window_days=13,
    )
    evaluation, verdict = verdict_of(aggregates)
    assert verdict.decision < Decision.WARN, (verdict.decision_reason, verdict.rows())
    outliers = {m.signal_type: m for m in evaluation.metrics if m.signal_type in ("iqr_outliers", "zscore_outliers")}
    assert set(outliers) == {"iqr_outliers", "zscore_outliers"}
    for metric in outliers.values():
        assert metric.state == MetricState.INSUFFICIENT_DATA, metric
        assert metric.details["reason"] == "too_few_excess_outliers"


def test_issue9_a_null_spike_that_moves_no_value_is_counted_once() -> None:
    # Reported: a null spike fired null_rate *and* a critical psi while KS D was 0.011.
    rng = np.random.default_rng(9)
    reference = rng.normal(50.0, 10.0, 10_000)
    current_values = rng.choice(reference, 7_000, replace=False)  # the same values, 30% nulls
    aggregates = build_dataset(
        num("amount", Sample(reference), Sample(current_values, 3_000)), ks_method="auto", critical=["amount"]
    )
    evaluation, verdict = verdict_of(aggregates)
    fired = [(s.column_name, s.signal_type) for s in evaluation.signals if s.severity > Severity.INFO]
    assert fired == [("amount", SignalType.NULL_RATE)]
    psi = next(m for m in evaluation.metrics if m.signal_type == "psi")
    assert psi.state == MetricState.BELOW_THRESHOLD and psi.current_n == 7_000
    assert verdict.decision == Decision.BLOCK_PIPELINE  # a high null spike on a critical column still blocks


if __name__ == "__main__":
    print("n        pairs  MONITOR+  WARN+   BLOCK")
    for n, pairs, monitor, warn, block in rate_table():
        print(f"{n:<8} {pairs:<6} {monitor:>7.2%}  {warn:>6.2%}  {block:>6.2%}")
