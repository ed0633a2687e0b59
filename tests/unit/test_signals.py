from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from aggregate_builders import (
    build_dataset,
    cat,
    ks_population,
    num,
    psi_counts,
    reference_edges,
)
from scipy import stats as sps

from dqp_runner import stats
from dqp_runner.aggregates import CategoryCount, HistogramBin, SchemaColumn
from dqp_runner.metrics import MetricState, near_misses
from dqp_runner.policy import Policy, PolicyError, resolve_policy
from dqp_runner.signals import IncompleteAggregatesError, Signal, evaluate_dataset, is_lossless_widening
from dqp_runner.vocabulary import RecommendedAction, Severity, SignalType

POLICY = Policy()


def by_type(signals: list[Signal], column: str | None = None) -> dict[SignalType, Signal]:
    """The column's signals by type. Several tests may each leave an insufficient_data
    row; only when there is exactly one is it keyed here (see ``insufficient``)."""
    mine = [s for s in signals if s.column_name == column]
    fired = [s for s in mine if s.signal_type != SignalType.INSUFFICIENT_DATA]
    out = {s.signal_type: s for s in fired}
    assert len(out) == len(fired), "duplicate signal types"
    info = [s for s in mine if s.signal_type == SignalType.INSUFFICIENT_DATA]
    if len(info) == 1:
        out[SignalType.INSUFFICIENT_DATA] = info[0]
    return out


def insufficient(signals: list[Signal], column: str | None = None) -> dict[str, str]:
    """Method -> reason of the column's insufficient_data rows."""
    return {
        s.method: str(s.details["reason"])
        for s in signals
        if s.column_name == column and s.signal_type == SignalType.INSUFFICIENT_DATA
    }


def normal(seed: int, n: int, loc: float = 0.0, scale: float = 1.0) -> list[float | None]:
    return list(np.random.default_rng(seed).normal(loc, scale, n))


def test_same_distribution_gives_no_signals() -> None:
    agg = build_dataset(
        num("amount", normal(1, 2000), normal(2, 2000)),
        cat("status", ["a", "b", "c"] * 600 + ["a", "b"] * 100, ["a", "b", "c"] * 600 + ["b", "c"] * 100),
    )
    assert evaluate_dataset(agg, POLICY).signals == []


def test_shift_fires_ks_and_psi_matching_scipy_on_the_raw_data() -> None:
    ref, cur = normal(1, 3000), normal(2, 4000, loc=1.0)
    signals = evaluate_dataset(build_dataset(num("amount", ref, cur)), POLICY).signals
    found = by_type(signals, "amount")
    ks = found[SignalType.KS]
    want = sps.ks_2samp(ks_population(ref), ks_population(cur))
    assert ks.method == "ks_exact" and ks.severity == Severity.HIGH
    assert ks.metric_value == pytest.approx(want.statistic, abs=1e-12)
    assert ks.p_value == pytest.approx(want.pvalue, abs=1e-12)
    assert ks.threshold == POLICY.ks.d_high and ks.error_bound == 0.0
    assert ks.recommended_action == RecommendedAction.REVIEW_DISTRIBUTION_DRIFT

    edges = reference_edges(ref, 10)
    expected_psi = stats.psi(psi_counts(ref, edges, False), psi_counts(cur, edges, False))
    psi = found[SignalType.PSI]
    assert psi.metric_value == pytest.approx(expected_psi, rel=1e-12)
    assert psi.severity == Severity.HIGH and psi.threshold == POLICY.psi.high
    assert psi.details["bins"] == 10  # no NULL or NaN on either side: no null bin
    assert psi.details["noise_floor"] == pytest.approx(stats.psi_noise_floor(3000, 4000, 10))


def test_binned_ks_reports_its_error_bound() -> None:
    ref, cur = normal(3, 30_000), normal(4, 20_000, loc=0.3)
    agg = build_dataset(num("x", ref, cur), ks_method="binned", ks_quantiles=1000)
    ks = by_type(evaluate_dataset(agg, POLICY).signals, "x")[SignalType.KS]
    true_d = sps.ks_2samp(ks_population(ref), ks_population(cur)).statistic
    assert ks.method == "ks_binned" and ks.error_bound is not None and ks.metric_value is not None
    assert ks.metric_value <= true_d <= ks.metric_value + ks.error_bound
    assert ks.details["d_upper_bound"] == pytest.approx(ks.metric_value + ks.error_bound)
    assert ks.severity == Severity.MEDIUM and ks.threshold == 0.1


def test_small_shift_with_huge_power_is_gated_on_effect_size() -> None:
    ref, cur = normal(5, 20_000), normal(6, 20_000, loc=0.1)
    signals = evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals
    result = sps.ks_2samp(ks_population(ref), ks_population(cur))
    assert result.pvalue < 1e-6 and result.statistic < 0.1  # significant but small
    assert SignalType.KS not in by_type(signals, "x")


def test_psi_noise_floor_silences_small_samples() -> None:
    # 200 vs 200 rows from one distribution: PSI often passes 0.1 by chance alone.
    raw_alarms = psi_signals = 0
    for seed in range(200):
        ref, cur = normal(seed, 200), normal(1000 + seed, 200)
        edges = reference_edges(ref, 10)
        raw = stats.psi(psi_counts(ref, edges, False), psi_counts(cur, edges, False))
        assert raw is not None
        raw_alarms += raw >= POLICY.psi.medium
        found = by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals, "x")
        psi_signals += SignalType.PSI in found
    assert raw_alarms > 40
    assert psi_signals <= 15  # about 5% by construction of the 95% floor


def test_constant_columns() -> None:
    same = evaluate_dataset(build_dataset(num("c", [4.0] * 100, [4.0] * 80)), POLICY).signals
    assert same == []
    moved = by_type(evaluate_dataset(build_dataset(num("c", [4.0] * 100, [5.0] * 80)), POLICY).signals, "c")
    assert moved[SignalType.KS].metric_value == 1.0
    assert moved[SignalType.KS].severity == Severity.HIGH
    assert moved[SignalType.PSI].severity == Severity.HIGH
    assert moved[SignalType.IQR_OUTLIERS].metric_value == 1.0  # every value is beyond a zero-width fence


def test_null_spike_and_all_null_current_side() -> None:
    ref = normal(9, 1000)
    cur = normal(10, 700) + [None] * 300
    found = by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals, "x")
    null = found[SignalType.NULL_RATE]
    assert null.metric_value == pytest.approx(0.3)
    assert null.severity == Severity.HIGH and null.threshold == 0.2
    assert null.details["reference_rate"] == 0.0 and null.details["current_rate"] == 0.3
    assert null.recommended_action == RecommendedAction.INVESTIGATE_NULL_SPIKE

    all_null = evaluate_dataset(build_dataset(num("x", ref, [None] * 1000)), POLICY).signals
    assert [(s.signal_type, s.severity) for s in all_null] == [
        (SignalType.NULL_RATE, Severity.HIGH),
        (SignalType.INSUFFICIENT_DATA, Severity.INFO),
    ]
    assert all_null[1].details["reason"] == "too_few_values"
    assert all_null[1].recommended_action == RecommendedAction.COLLECT_MORE_DATA


def test_empty_current_side() -> None:
    signals = evaluate_dataset(build_dataset(num("x", normal(1, 100), []), cat("s", ["a"] * 100, [])), POLICY).signals
    volume = by_type(signals)[SignalType.VOLUME]
    assert volume.metric_value == -1.0 and volume.severity == Severity.HIGH
    for column in ("x", "s"):
        only = by_type(signals, column)
        assert list(only) == [SignalType.INSUFFICIENT_DATA]
        assert only[SignalType.INSUFFICIENT_DATA].details["reason"] == "empty_side"


def test_non_finite_values_are_counted_not_dropped() -> None:
    ref = normal(11, 1000)
    cur = normal(12, 980) + [float("nan")] * 10 + [float("inf")] * 5 + [float("-inf")] * 5
    found = by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals, "x")
    nf = found[SignalType.NON_FINITE]
    assert nf.metric_value == pytest.approx(0.02) and nf.severity == Severity.HIGH
    assert nf.recommended_action == RecommendedAction.CHECK_NON_FINITE_VALUES
    # KS ranks the infinities (not the NaN) exactly as scipy does.
    assert SignalType.KS not in found
    result = stats.ks_exact(
        *np.unique(ks_population(ref), return_counts=True), *np.unique(ks_population(cur), return_counts=True)
    )
    assert result is not None and result.n == 1000 and result.m == 990


def test_outlier_excess_and_heavy_tails() -> None:
    rng = np.random.default_rng(13)
    ref = list(rng.normal(0, 1, 5000))
    cur = list(rng.normal(0, 1, 4700)) + list(rng.normal(0, 1, 300) + 20)
    found = by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals, "x")
    assert found[SignalType.IQR_OUTLIERS].severity == Severity.HIGH
    assert found[SignalType.ZSCORE_OUTLIERS].severity == Severity.HIGH
    assert found[SignalType.IQR_OUTLIERS].recommended_action == RecommendedAction.REVIEW_OUTLIERS
    # A heavy-tailed column compared with itself is not flagged, however many outliers it has.
    heavy_ref = list(rng.standard_cauchy(5000))
    heavy_cur = list(rng.standard_cauchy(5000))
    heavy = by_type(evaluate_dataset(build_dataset(num("t", heavy_ref, heavy_cur)), POLICY).signals, "t")
    assert SignalType.IQR_OUTLIERS not in heavy and SignalType.ZSCORE_OUTLIERS not in heavy


def test_category_drift_matches_scipy_and_includes_new_categories_but_not_nulls() -> None:
    ref = ["a"] * 500 + ["b"] * 400 + [None] * 100
    cur = ["a"] * 300 + ["b"] * 350 + ["new"] * 200 + [None] * 150
    found = by_type(evaluate_dataset(build_dataset(cat("s", ref, cur)), POLICY).signals, "s")
    chi = found[SignalType.CHI_SQUARE]
    # Nulls are judged once, by null_rate: the chi-square table has no null bucket.
    table = np.array([[500, 400, 0], [300, 350, 200]])
    want = sps.chi2_contingency(table, correction=False)
    assert chi.p_value == pytest.approx(want.pvalue, abs=1e-12)
    assert chi.details["statistic"] == pytest.approx(want.statistic, rel=1e-12)
    assert chi.details["dof"] == 2
    assert chi.metric_value == pytest.approx(stats.jensen_shannon(table[0], table[1]), abs=1e-12)
    assert chi.severity == Severity.HIGH and chi.threshold == 0.2
    assert chi.recommended_action == RecommendedAction.REVIEW_CATEGORY_DRIFT
    assert found[SignalType.NULL_RATE].metric_value == pytest.approx(0.05)


def test_category_drift_too_small_to_test_is_reported_as_insufficient() -> None:
    signals = evaluate_dataset(build_dataset(cat("s", ["a", "a", "b"], ["c", "c", "b"])), POLICY).signals
    # Two novel rows ('c') are a large share but below novel_values.min_excess_count.
    assert insufficient(signals, "s") == {
        "chi2_contingency": "not_testable",
        "good_turing_binomial": "too_few_novel_rows",
    }


def test_critical_column_escalates_high_to_critical() -> None:
    ref, cur = normal(1, 1000), normal(2, 1000, loc=2.0)
    plain = by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals, "x")
    crit = by_type(evaluate_dataset(build_dataset(num("x", ref, cur), critical=["x"]), POLICY).signals, "x")
    assert plain[SignalType.KS].severity == Severity.HIGH and not plain[SignalType.KS].is_critical_column
    assert crit[SignalType.KS].severity == Severity.CRITICAL and crit[SignalType.KS].is_critical_column
    assert crit[SignalType.KS].details["escalated_from"] == "high"
    no_escalation = resolve_policy({}, {"critical_columns": {"escalate_high": False}})
    kept = by_type(evaluate_dataset(build_dataset(num("x", ref, cur), critical=["x"]), no_escalation).signals, "x")
    assert kept[SignalType.KS].severity == Severity.HIGH


def test_schema_changes_one_signal_per_column() -> None:
    agg = build_dataset(num("kept", normal(1, 50), normal(1, 50)), critical=["gone_critical"])
    agg.reference.schema += [
        SchemaColumn("gone", 1, "text"),
        SchemaColumn("gone_critical", 2, "text"),
        SchemaColumn("retyped", 3, "bigint"),
        SchemaColumn("same_type", 4, "Numeric(10, 2)"),
        SchemaColumn("widened", 5, "DECIMAL(21,1)"),
    ]
    agg.current.schema += [
        SchemaColumn("retyped", 1, "integer"),
        SchemaColumn("same_type", 2, "numeric(10,  2)"),
        SchemaColumn("added", 3, "text"),
        SchemaColumn("widened", 4, "DECIMAL(22,1)"),
    ]
    schema = [s for s in evaluate_dataset(agg, POLICY).signals if s.signal_type == SignalType.SCHEMA_CHANGE]
    assert [(s.column_name, s.details["change"], s.severity) for s in schema] == [
        ("added", "added", Severity.LOW),
        ("gone", "removed", Severity.HIGH),
        ("gone_critical", "removed", Severity.CRITICAL),
        ("retyped", "retyped", Severity.HIGH),
        ("widened", "widened", Severity.LOW),  # issue 10 item 10: a lossless widening is low
    ]
    assert schema[3].details == {"change": "retyped", "reference_type": "bigint", "current_type": "integer"}
    assert all(s.recommended_action == RecommendedAction.RECONCILE_SCHEMA_CHANGE for s in schema)


def test_volume_per_day_when_windows_are_given() -> None:
    ref, cur = normal(1, 2800), normal(2, 100)
    per_day = evaluate_dataset(
        build_dataset(num("x", ref, cur), reference_window_days=28, current_window_days=1), POLICY
    ).signals
    assert SignalType.VOLUME not in by_type(per_day)
    totals = by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals)[SignalType.VOLUME]
    assert totals.method == "row_count_ratio"
    assert totals.metric_value == pytest.approx(100 / 2800 - 1)
    assert totals.severity == Severity.HIGH and totals.threshold == 0.9
    half = by_type(
        evaluate_dataset(
            build_dataset(num("x", ref, normal(2, 40)), reference_window_days=28, current_window_days=1), POLICY
        ).signals
    )[SignalType.VOLUME]
    assert half.method == "daily_row_count_ratio" and half.details["ratio"] == pytest.approx(0.4)
    assert half.severity == Severity.MEDIUM and half.threshold == 0.5


def test_sparse_histograms_give_the_same_result_as_full_ones() -> None:
    # A GROUP BY emits no row for a bin empty on that side; the builders drop them.
    ref, cur = normal(1, 2000), normal(2, 500, loc=3.0)
    agg = build_dataset(num("x", ref, cur), ks_method="binned", ks_quantiles=200)
    assert len(agg.current.ks_bins["x"]) < len(agg.reference.ks_bins["x"])
    ks = by_type(evaluate_dataset(agg, POLICY).signals, "x")[SignalType.KS]
    edges = reference_edges(ref, 200)
    want = stats.ks_binned(
        edges,
        np.bincount(np.searchsorted(edges, ks_population(ref)), minlength=edges.size + 1),
        np.bincount(np.searchsorted(edges, ks_population(cur)), minlength=edges.size + 1),
    )
    assert want is not None
    assert ks.metric_value == want.d and ks.error_bound == want.error_bound and ks.p_value == want.p_value


def test_output_is_sorted_and_deterministic() -> None:
    columns = [
        num("b", normal(1, 500), normal(2, 500, loc=1.0)),
        num("a", normal(3, 500), normal(4, 400) + [None] * 100),
        cat("c", ["x"] * 300 + ["y"] * 200, ["x"] * 100 + ["y"] * 400),
    ]
    first = evaluate_dataset(build_dataset(*columns), POLICY).signals
    second = evaluate_dataset(build_dataset(*reversed(columns)), POLICY).signals
    strip = [dataclasses.replace(s, details={k: v for k, v in s.details.items()}) for s in first]
    assert first == second == strip
    assert [s.column_name for s in first] == sorted(s.column_name or "" for s in first)


# --------------------------------------------------------------------------- incomplete aggregates


def test_missing_histogram_fails_loudly() -> None:
    agg = build_dataset(num("x", normal(1, 100), normal(2, 100)))
    del agg.current.ks_bins["x"]
    with pytest.raises(IncompleteAggregatesError, match="'x': current ks histogram is missing"):
        evaluate_dataset(agg, POLICY)
    agg = build_dataset(num("x", normal(1, 100), normal(2, 100)))
    del agg.reference.psi_bins["x"]
    with pytest.raises(IncompleteAggregatesError, match="reference psi histogram is missing"):
        evaluate_dataset(agg, POLICY)
    agg = build_dataset(cat("s", ["a"] * 10, ["a"] * 10))
    del agg.current.categories["s"]
    with pytest.raises(IncompleteAggregatesError, match="current category counts are missing"):
        evaluate_dataset(agg, POLICY)


def test_partial_histogram_fails_loudly() -> None:
    agg = build_dataset(num("x", normal(1, 100), normal(2, 100)))
    agg.current.psi_bins["x"] = agg.current.psi_bins["x"][:-2]
    with pytest.raises(IncompleteAggregatesError, match="current psi counts sum to"):
        evaluate_dataset(agg, POLICY)


def test_bins_on_different_grids_fail_loudly() -> None:
    agg = build_dataset(num("x", normal(1, 100), normal(2, 100)), ks_method="binned", ks_quantiles=10)
    agg.current.ks_bins["x"] = [HistogramBin(0, None, 0.123456, None, 50), HistogramBin(1, 0.123456, None, None, 50)]
    with pytest.raises(IncompleteAggregatesError, match="does not match the other side's bins"):
        evaluate_dataset(agg, POLICY)


def test_missing_profile_and_inconsistent_row_counts_fail_loudly() -> None:
    agg = build_dataset(num("x", normal(1, 100), normal(2, 100)), num("y", normal(1, 100), normal(2, 100)))
    del agg.current.profiles["y"]
    with pytest.raises(IncompleteAggregatesError, match="'y': the current profile is missing"):
        evaluate_dataset(agg, POLICY)
    agg = build_dataset(num("x", normal(1, 100), normal(2, 100)), num("y", normal(1, 100), normal(2, 90)))
    with pytest.raises(IncompleteAggregatesError, match="current profiles disagree on the row count"):
        evaluate_dataset(agg, POLICY)


def test_profile_of_a_removed_column_is_allowed_on_one_side() -> None:
    agg = build_dataset(num("x", normal(1, 100), normal(2, 100)), num("y", normal(1, 100), normal(2, 100)))
    del agg.current.profiles["y"]
    agg.current.schema = [c for c in agg.current.schema if c.column_name != "y"]
    signals = evaluate_dataset(agg, POLICY).signals
    assert [(s.column_name, s.signal_type) for s in signals] == [("y", SignalType.SCHEMA_CHANGE)]


def test_ks_method_must_agree() -> None:
    agg = build_dataset(num("x", normal(1, 100), normal(2, 100)))
    agg.current.profiles["x"] = dataclasses.replace(agg.current.profiles["x"], ks_method="binned")
    with pytest.raises(IncompleteAggregatesError, match="KS method must be set and equal"):
        evaluate_dataset(agg, POLICY)


def test_psi_needs_enough_rows_per_bin_but_ks_still_runs() -> None:
    ref, cur = normal(1, 60), normal(2, 60, loc=2.0)
    found = by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals, "x")
    skipped = found[SignalType.INSUFFICIENT_DATA]
    assert skipped.method == "psi_binned" and skipped.details["reason"] == "too_few_rows_per_bin"
    assert SignalType.PSI not in found
    assert found[SignalType.KS].severity == Severity.HIGH
    relaxed = resolve_policy({}, {"psi": {"min_rows_per_bin": 0}})
    assert SignalType.PSI in by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), relaxed).signals, "x")


def test_exact_ks_above_10000_rows_uses_the_asymptotic_p_value() -> None:
    rng = np.random.default_rng(17)
    ref = list(rng.integers(0, 40, 12_000).astype(float))
    cur = list(rng.integers(6, 46, 15_000).astype(float))
    ks = by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals, "x")[SignalType.KS]
    want = sps.ks_2samp(ks_population(ref), ks_population(cur))
    assert ks.method == "ks_exact"
    assert ks.metric_value == pytest.approx(want.statistic, abs=1e-12)
    assert ks.p_value == pytest.approx(want.pvalue, abs=1e-12)


# --------------------------------------------------------------------------- metrics, issue 9 and issue 10


def test_every_test_of_every_column_leaves_one_metric_row() -> None:
    agg = build_dataset(
        num("amount", normal(1, 500), normal(2, 500)),
        cat("status", ["a", "b"] * 250, ["a", "b"] * 250),
    )
    evaluation = evaluate_dataset(agg, POLICY)
    assert evaluation.signals == []
    rows = {(m.column_name, m.signal_type, m.metric_name): m for m in evaluation.metrics}
    assert len(rows) == len(evaluation.metrics)
    assert set(rows) == {
        (None, "volume", "volume_change"),
        ("amount", "schema_change", "schema_change"),
        ("status", "schema_change", "schema_change"),
        ("amount", "null_rate", "null_rate_increase"),
        ("amount", "non_finite", "non_finite_rate_increase"),
        ("amount", "iqr_outliers", "iqr_outlier_excess"),
        ("amount", "zscore_outliers", "zscore_outlier_excess"),
        ("amount", "mean_shift", "standardized_mean_difference"),
        ("amount", "scale_change", "stddev_change"),
        ("amount", "psi", "psi"),
        ("amount", "ks", "ks_d"),
        ("status", "null_rate", "null_rate_increase"),
        ("status", "chi_square", "jensen_shannon_distance"),
        ("status", "novel_values", "novel_share_excess"),
    }
    assert all(m.state == MetricState.BELOW_THRESHOLD for m in evaluation.metrics)
    ks = rows[("amount", "ks", "ks_d")]
    assert (ks.reference_n, ks.current_n, ks.threshold) == (500, 500, POLICY.ks.d_medium)
    assert ks.p_value is not None and ks.p_value_adjusted is not None and ks.p_value_adjusted >= ks.p_value
    null_rate = rows[("amount", "null_rate", "null_rate_increase")]
    assert (null_rate.current_value, null_rate.reference_value) == (0.0, 0.0)
    for metric in evaluation.metrics:
        metric.details_json()  # every row serialises


def test_fired_metrics_are_exactly_the_signals_and_adjusted_p_is_holm() -> None:
    ref, cur = normal(1, 3000), normal(2, 3000, loc=0.6)
    evaluation = evaluate_dataset(build_dataset(num("x", ref, cur), num("y", normal(3, 3000), normal(4, 3000))), POLICY)
    fired = {(m.column_name, m.signal_type) for m in evaluation.metrics if m.state == MetricState.FIRED}
    assert fired == {(s.column_name, s.signal_type.value) for s in evaluation.signals}
    assert ("x", "mean_shift") in fired and ("x", "ks") in fired
    tested = [m for m in evaluation.metrics if m.p_value is not None]
    want = stats.adjust_p_values([m.p_value for m in tested if m.p_value is not None], "holm")
    assert [m.p_value_adjusted for m in tested] == want
    for signal in evaluation.signals:
        metric = next(
            m for m in evaluation.metrics if (m.column_name, m.signal_type) == (signal.column_name, signal.signal_type)
        )
        assert metric.severity == signal.severity.label
        assert signal.details.get("p_value_adjusted") == metric.p_value_adjusted


def test_near_misses_show_what_almost_fired() -> None:
    # A significant KS with D just under its level, and nothing that fires.
    ref, cur = normal(5, 20_000), normal(6, 20_000, loc=0.1)
    evaluation = evaluate_dataset(
        build_dataset(num("x", ref, cur)), resolve_policy({}, {"mean_shift": {"d_medium": 0.2}})
    )
    assert evaluation.signals == []
    closest = near_misses(evaluation.metrics, limit=2)
    assert [m.metric_name for m in closest] == ["standardized_mean_difference", "ks_d"]
    assert closest[0].closeness is not None and 0.4 < closest[0].closeness < 1.0
    assert near_misses(evaluation.metrics, limit=0) == []
    with pytest.raises(ValueError, match="limit must be >= 0"):
        near_misses(evaluation.metrics, limit=-1)


def test_multiple_testing_method_is_a_policy_choice() -> None:
    # Twenty clean columns and one shifted: Holm needs p < alpha / tests for the first rejection.
    columns = [num(f"c{i:02d}", normal(i, 300), normal(100 + i, 300)) for i in range(20)]
    columns.append(num("shifted", normal(50, 300), normal(51, 300, loc=0.35)))
    agg = build_dataset(*columns)
    holm = evaluate_dataset(agg, POLICY)
    unadjusted = evaluate_dataset(agg, resolve_policy({}, {"multiple_testing": "none"}))
    shift = {m.column_name: m for m in unadjusted.metrics if m.signal_type == "mean_shift"}["shifted"]
    assert shift.p_value is not None and shift.p_value == shift.p_value_adjusted
    holm_shift = {m.column_name: m for m in holm.metrics if m.signal_type == "mean_shift"}["shifted"]
    assert holm_shift.p_value_adjusted is not None and holm_shift.p_value_adjusted > shift.p_value
    assert len(unadjusted.signals) >= len(holm.signals)
    with pytest.raises(PolicyError, match="multiple_testing"):
        resolve_policy({}, {"multiple_testing": "bonferroni"})


def test_outlier_excess_needs_a_minimum_count_and_significance() -> None:
    # 3 -> 5 z-outliers in 200 rows is a 1% "excess": too few outliers to mean anything.
    rng = np.random.default_rng(21)
    ref = list(rng.normal(0, 1, 200))
    cur = list(rng.normal(0, 0.5, 195)) + [5.0, 6.0, -5.5, 7.0, 8.0]
    evaluation = evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY)
    zscore = next(m for m in evaluation.metrics if m.signal_type == "zscore_outliers")
    assert zscore.state == MetricState.INSUFFICIENT_DATA and zscore.details["reason"] == "too_few_excess_outliers"
    assert insufficient(evaluation.signals, "x")["rate_delta"] == "too_few_excess_outliers"
    # Many excess outliers fire, with the Fisher p-value on the row.
    cur = list(rng.normal(0, 1, 170)) + list(rng.normal(10, 1, 30))
    fired = by_type(evaluate_dataset(build_dataset(num("x", ref, cur)), POLICY).signals, "x")
    zscore_signal = fired[SignalType.ZSCORE_OUTLIERS]
    cur_count, ref_count = zscore_signal.details["current_count"], zscore_signal.details["reference_count"]
    assert isinstance(cur_count, int) and isinstance(ref_count, int) and cur_count >= 30
    table = [[cur_count, 200 - cur_count], [ref_count, 200 - ref_count]]
    assert zscore_signal.p_value == pytest.approx(sps.fisher_exact(table, alternative="greater").pvalue, rel=1e-9)
    assert zscore_signal.severity == Severity.HIGH


def test_reserved_looking_category_values_are_just_values() -> None:
    # Issue 10 item 6: '__null__' and '__other__' as real values must not abort the check.
    ref = ["__null__"] * 300 + ["__other__"] * 300 + ["a"] * 300 + [None] * 100
    cur = ["__null__"] * 300 + ["__other__"] * 300 + ["a"] * 300 + [None] * 100
    agg = build_dataset(cat("s", ref, cur))
    agg.reference.categories["s"].append(CategoryCount("__other__", "other", 0))
    assert evaluate_dataset(agg, POLICY).signals == []
    # A value named like the bucket and the bucket itself stay apart.
    drift = build_dataset(cat("s", ["__other__"] * 500 + ["a"] * 500, ["__other__"] * 500 + ["a"] * 500))
    drift.current.categories["s"] = [
        CategoryCount("__other__", "value", 100),
        CategoryCount("a", "value", 500),
        CategoryCount("__other__", "other", 400),
    ]
    chi = by_type(evaluate_dataset(drift, POLICY).signals, "s")[SignalType.CHI_SQUARE]
    table = np.array([[500, 500, 0], [100, 500, 400]])
    assert chi.details["statistic"] == pytest.approx(sps.chi2_contingency(table, correction=False).statistic)


@pytest.mark.parametrize(
    ("before", "after", "lossless"),
    [
        ("DECIMAL(21,1)", "DECIMAL(22,1)", True),
        ("numeric(10, 2)", "numeric(12,4)", True),
        ("decimal(10,2)", "decimal(10,3)", False),  # one integer digit lost
        ("decimal(10,2)", "decimal(12,1)", False),  # a fraction digit lost
        ("decimal(10)", "decimal(11,0)", True),
        ("smallint", "integer", True),
        ("int4", "int8", True),
        ("INTEGER", "BIGINT", True),
        ("bigint", "hugeint", True),
        ("bigint", "integer", False),
        ("integer", "ubigint", False),
        ("uinteger", "ubigint", True),
        ("real", "double precision", True),
        ("float", "double", True),
        ("double", "real", False),
        ("integer", "double precision", False),
        ("integer", "numeric(38,0)", False),
        ("character varying(20)", "character varying(40)", True),
        ("varchar(40)", "varchar(20)", False),
        ("varchar(20)", "text", True),
        ("character varying", "text", True),
        ("text", "varchar(20)", False),
        ("timestamp", "timestamp with time zone", False),
    ],
)
def test_lossless_widenings(before: str, after: str, lossless: bool) -> None:
    assert is_lossless_widening(before, after) is lossless


def test_a_widening_on_a_critical_column_is_low() -> None:
    agg = build_dataset(num("amount", normal(1, 100), normal(2, 100)), critical=["amount"])
    agg.reference.schema = [SchemaColumn("amount", 0, "DECIMAL(21,1)")]
    agg.current.schema = [SchemaColumn("amount", 0, "DECIMAL(22,1)")]
    signals = evaluate_dataset(agg, POLICY).signals
    assert [(s.signal_type, s.severity, s.details["change"]) for s in signals] == [
        (SignalType.SCHEMA_CHANGE, Severity.LOW, "widened")
    ]


def test_a_critical_high_signal_blocks_only_with_strong_evidence() -> None:
    # 60 rows, KS D >= 0.2 and significant at alpha, but not at the escalation alpha.
    rng = np.random.default_rng(4)
    ref, cur = list(rng.normal(0, 1, 60)), list(rng.normal(0.75, 1, 60))
    relaxed = resolve_policy(
        {}, {"psi": {"min_rows_per_bin": 0}, "alpha": 0.05, "critical_columns": {"escalation_alpha": 1e-5}}
    )
    found = by_type(evaluate_dataset(build_dataset(num("x", ref, cur), critical=["x"]), relaxed).signals, "x")
    ks = found[SignalType.KS]
    adjusted = ks.details["p_value_adjusted"]
    assert isinstance(adjusted, float) and relaxed.critical_columns.escalation_alpha <= adjusted < relaxed.alpha
    assert ks.severity == Severity.HIGH and "escalation_withheld" in ks.details
    strong = by_type(
        evaluate_dataset(build_dataset(num("x", ref, normal(2, 60, loc=2.0)), critical=["x"]), relaxed).signals, "x"
    )
    assert strong[SignalType.KS].severity == Severity.CRITICAL


def test_rounding_residue_in_the_stored_moments_is_not_a_shift() -> None:
    agg = build_dataset(num("c", [0.1] * 300, [0.1] * 400))
    agg.current.profiles["c"] = dataclasses.replace(
        agg.current.profiles["c"], mean_value=0.10000000000000002, stddev_value=1.4e-17
    )
    evaluation = evaluate_dataset(agg, POLICY)
    assert evaluation.signals == []
    moments = {m.signal_type: m for m in evaluation.metrics if m.signal_type in ("mean_shift", "scale_change")}
    assert {m.state for m in moments.values()} == {MetricState.BELOW_THRESHOLD}
    assert moments["mean_shift"].metric_value == 0.0 and moments["scale_change"].metric_value == 0.0


def test_a_quiet_day_in_a_small_shop_is_not_a_volume_alarm() -> None:
    # 13 orders a day: a day with 6 is a 54% drop, but a Poisson day of 13 has
    # that often enough (exact p ~ 0.07), so no volume signal; the same ratio
    # over 100 times the rows is significant and fires.
    small = build_dataset(num("x", normal(1, 364), normal(2, 6)), reference_window_days=28, current_window_days=1)
    evaluation = evaluate_dataset(small, POLICY)
    assert SignalType.VOLUME not in by_type(evaluation.signals)
    volume = next(m for m in evaluation.metrics if m.metric_name == "volume_change")
    assert volume.metric_value == pytest.approx(6 / 13 - 1) and volume.p_value is not None and volume.p_value > 0.01
    large = build_dataset(num("x", normal(1, 36400), normal(2, 600)), reference_window_days=28, current_window_days=1)
    assert by_type(evaluate_dataset(large, POLICY).signals)[SignalType.VOLUME].severity == Severity.MEDIUM
