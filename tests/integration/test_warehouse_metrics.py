"""Every aggregate the dbt package computes, against numpy/scipy on the same seeds.

Counts must match exactly; means, standard deviations and quantiles to 1e-9
relative; KS D rebuilt from the stored counts must equal scipy's to 1e-12 in
exact mode and bracket it within the recorded error bound in binned mode.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from tests.integration import oracle
from tests.support.dbt_project import DbtProject

NUMERIC_COLUMNS = [
    ("orders_nodrift", "amount"),
    ("orders_nodrift", "quantity"),
    ("orders_mean_shift", "amount"),
    ("orders_scale_change", "amount"),
    ("orders_null_spike", "amount"),
    ("orders_outliers", "amount"),
    ("edge_current", "Order Amount"),
    ("edge_current", "MixedCase"),
    ("edge_current", "café"),
    ("readings_current", "reading"),
    ("events_daily", "latency_ms"),
]
CATEGORICAL_COLUMNS = [
    ("orders_category_shift", "channel"),
    ("orders_nodrift", "is_gift"),
    ("edge_current", "select"),
    ("edge_current", "few_values"),
    ("edge_current", "constant_moves"),
]
RELATIVE = 1e-9


def latest_run(project: DbtProject, dataset: str) -> str:
    quoted = dataset.replace("'", "''")
    rows = project.query(
        "select run_id from {schema}.dqp_profile_runs "
        f"where dataset_name = '{quoted}' order by profiled_at desc limit 1"
    )
    assert rows, f"no profile run for {dataset}"
    return str(rows[0][0])


def profile(project: DbtProject, dataset: str, side: str, column: str) -> dict[str, Any]:
    run_id = latest_run(project, dataset)
    columns = [
        "column_kind", "ks_method", "row_count", "null_count", "null_rate", "nan_count", "pos_inf_count",
        "neg_inf_count", "distinct_count", "min_value", "max_value", "mean_value", "stddev_value", "q1_value",
        "median_value", "q3_value", "iqr_lower_bound", "iqr_upper_bound", "iqr_outlier_count",
        "zscore_lower_bound", "zscore_upper_bound", "zscore_outlier_count", "quartile_error_bound",
    ]
    rows = project.query(
        f"select {', '.join(columns)} from {{schema}}.dqp_column_profiles "
        f"where dataset_name = '{dataset}' and run_id = '{run_id}' and side = '{side}' "
        f"and column_name = '{column.replace(chr(39), chr(39) * 2)}'"
    )
    assert len(rows) == 1, f"expected one profile row for {dataset}.{column} ({side}), got {len(rows)}"
    return dict(zip(columns, rows[0], strict=True))


def histogram(project: DbtProject, dataset: str, side: str, column: str, kind: str) -> list[tuple[Any, ...]]:
    run_id = latest_run(project, dataset)
    return project.query(
        "select bin_index, lower_edge, upper_edge, bin_value, is_null_bin, value_count "
        "from {schema}.dqp_histograms "
        f"where dataset_name = '{dataset}' and run_id = '{run_id}' and side = '{side}' "
        f"and column_name = '{column}' and histogram_kind = '{kind}' order by is_null_bin, bin_index"
    )


def close(actual: Any, expected: float | None) -> bool:
    if expected is None or (isinstance(expected, float) and np.isnan(expected)):
        return actual is None
    return actual is not None and float(actual) == pytest.approx(expected, rel=RELATIVE, abs=1e-12)


@pytest.mark.parametrize("dataset,column", NUMERIC_COLUMNS)
@pytest.mark.parametrize("side", ["reference", "current"])
def test_numeric_profile_matches_numpy(built_project: DbtProject, dataset: str, column: str, side: str) -> None:
    got = profile(built_project, dataset, side, column)
    data = oracle.numeric_column(dataset, side, column)
    reference = oracle.numeric_column(dataset, "reference", column)
    finite = data.finite

    assert got["row_count"] == data.row_count
    assert got["null_count"] == data.null_count
    assert got["nan_count"] == int(np.isnan(data.values).sum())
    assert got["pos_inf_count"] == int(np.isposinf(data.values).sum())
    assert got["neg_inf_count"] == int(np.isneginf(data.values).sum())
    assert got["distinct_count"] == len(np.unique(data.not_nan))
    assert close(got["null_rate"], data.null_count / data.row_count if data.row_count else None)
    if finite.size:
        assert close(got["min_value"], float(finite.min()))
        assert close(got["max_value"], float(finite.max()))
        assert close(got["mean_value"], float(finite.mean()))
        assert close(got["stddev_value"], float(finite.std(ddof=1)) if finite.size > 1 else None)
        expected_quartiles = oracle.quantiles(finite, [0.25, 0.5, 0.75])
        got_quartiles = [got["q1_value"], got["median_value"], got["q3_value"]]
        if side == "current" and got["ks_method"] == "binned":
            # interpolated in its bin: within the stored bound, which is no wider than the data's range
            bound = float(got["quartile_error_bound"])
            assert 0 <= bound <= float(finite.max() - finite.min())
            for actual, expected in zip(got_quartiles, expected_quartiles, strict=True):
                assert abs(float(actual) - expected) <= bound * (1 + RELATIVE) + 1e-12
        else:
            assert got["quartile_error_bound"] == 0
            assert all(close(a, e) for a, e in zip(got_quartiles, expected_quartiles, strict=True))

    # Fences always come from the reference side, and both sides count against them.
    ref_finite = reference.finite
    ref_q1, _, ref_q3 = oracle.quantiles(ref_finite, [0.25, 0.5, 0.75])
    lower, upper = ref_q1 - 1.5 * (ref_q3 - ref_q1), ref_q3 + 1.5 * (ref_q3 - ref_q1)
    assert close(got["iqr_lower_bound"], lower) and close(got["iqr_upper_bound"], upper)
    assert got["iqr_outlier_count"] == int(((finite < lower) | (finite > upper)).sum())
    mean, std = float(ref_finite.mean()), float(ref_finite.std(ddof=1))
    assert close(got["zscore_lower_bound"], mean - 3 * std) and close(got["zscore_upper_bound"], mean + 3 * std)
    assert got["zscore_outlier_count"] == int((np.abs(finite - mean) / std > 3).sum())


@pytest.mark.parametrize("dataset,column", NUMERIC_COLUMNS)
@pytest.mark.parametrize("side", ["reference", "current"])
def test_psi_bins_match_numpy(built_project: DbtProject, dataset: str, column: str, side: str) -> None:
    data = oracle.numeric_column(dataset, side, column)
    reference = oracle.numeric_column(dataset, "reference", column)
    edges = oracle.merged_edges(reference.finite, [i / 10 for i in range(1, 10)])
    rows = histogram(built_project, dataset, side, column, "psi")
    value_rows = [row for row in rows if not row[4]]
    null_rows = [row for row in rows if row[4]]
    assert [row[5] for row in value_rows] == oracle.right_closed_counts(data.not_nan, edges)
    assert [row[2] for row in value_rows[:-1]] == pytest.approx(edges, rel=RELATIVE)
    assert value_rows[0][1] is None and value_rows[-1][2] is None  # open-ended outer bins
    assert len(null_rows) == 1 and null_rows[0][5] == data.null_count + int(np.isnan(data.values).sum())


@pytest.mark.parametrize("dataset,column", NUMERIC_COLUMNS)
def test_ks_counts_rebuild_scipy_statistic(built_project: DbtProject, dataset: str, column: str) -> None:
    reference = oracle.numeric_column(dataset, "reference", column).not_nan
    current = oracle.numeric_column(dataset, "current", column).not_nan
    expected = stats.ks_2samp(reference, current).statistic
    method = profile(built_project, dataset, "current", column)["ks_method"]

    if method == "exact":
        counts = {}
        for side, values in (("reference", reference), ("current", current)):
            rows = histogram(built_project, dataset, side, column, "ks_exact")
            unique, frequency = np.unique(values, return_counts=True)
            assert [float(r[3]) for r in rows] == pytest.approx(unique.tolist(), rel=0)
            assert [int(r[5]) for r in rows] == frequency.tolist()
            counts[side] = {float(r[3]): int(r[5]) for r in rows}
        pooled = sorted(set(counts["reference"]) | set(counts["current"]))
        cdf = {
            side: np.cumsum([counts[side].get(v, 0) for v in pooled]) / sum(counts[side].values()) for side in counts
        }
        assert float(np.max(np.abs(cdf["reference"] - cdf["current"]))) == pytest.approx(expected, abs=1e-12)
    else:
        assert method == "binned"
        edges = oracle.merged_edges(reference[np.isfinite(reference)], [i / 1000 for i in range(1, 1000)])
        shares, cumulative = {}, {}
        for side, values in (("reference", reference), ("current", current)):
            rows = histogram(built_project, dataset, side, column, "ks_binned")
            expected_counts = oracle.right_closed_counts(values, edges)
            assert {int(r[0]): int(r[5]) for r in rows} == {i: c for i, c in enumerate(expected_counts) if c}
            full = np.array(expected_counts, dtype=float)
            shares[side], cumulative[side] = full / full.sum(), np.cumsum(full) / full.sum()
        binned_d = float(np.max(np.abs(cumulative["reference"] - cumulative["current"])))
        bound = float(np.max(np.maximum(shares["reference"], shares["current"])))
        assert binned_d - 1e-12 <= expected <= binned_d + bound + 1e-12


@pytest.mark.parametrize("dataset,column", CATEGORICAL_COLUMNS)
@pytest.mark.parametrize("side", ["reference", "current"])
def test_category_counts_match_pandas(built_project: DbtProject, dataset: str, column: str, side: str) -> None:
    run_id = latest_run(built_project, dataset)
    rows = built_project.query(
        "select category_value, category_kind, value_count from {schema}.dqp_category_counts "
        f"where dataset_name = '{dataset}' and run_id = '{run_id}' and side = '{side}' and column_name = '{column}'"
    )
    got = {str(value): int(count) for value, _, count in rows}
    expected = oracle.category_counts(dataset, side, column)
    kind = profile(built_project, dataset, side, column)["column_kind"]
    if kind == "categorical" and column in ("few_values", "constant_moves"):
        # numeric columns judged categorical are cast from double: the engine spells 1 as '1' or '1.0'
        got = {key.removesuffix(".0"): count for key, count in got.items()}
    assert got == expected
    assert profile(built_project, dataset, side, column)["column_kind"] == "categorical"


def test_schema_snapshots_show_added_and_removed_columns(built_project: DbtProject) -> None:
    run_id = latest_run(built_project, "orders_schema_change")
    rows = built_project.query(
        "select side, column_name from {schema}.dqp_schema_snapshots "
        f"where dataset_name = 'orders_schema_change' and run_id = '{run_id}'"
    )
    reference = {name for side, name in rows if side == "reference"}
    current = {name for side, name in rows if side == "current"}
    assert reference - current == {"quantity"}
    assert current - reference == {"discount"}


def test_edge_cases_have_defined_profiles(built_project: DbtProject) -> None:
    all_null = profile(built_project, "edge_current", "current", "all_null")
    assert all_null["null_count"] == all_null["row_count"] == 300 and all_null["distinct_count"] == 0
    same = profile(built_project, "edge_current", "current", "constant_same")
    assert same["column_kind"] == "categorical" and same["distinct_count"] == 1
    empty = profile(built_project, "orders_empty", "current", "amount")
    assert empty["row_count"] == 0 and empty["null_rate"] is None and empty["mean_value"] is None
    assert profile(built_project, "events_daily", "current", "latency_ms")["ks_method"] == "binned"


def test_reference_without_finite_values_gets_one_open_ks_bin(built_project: DbtProject) -> None:
    """No finite reference value means no cuts: binned KS keeps every ranked value in one open bin, never no row."""
    dataset, column = "readings_current", "infinite_reference"
    assert profile(built_project, dataset, "current", column)["ks_method"] == "binned"
    for side in ("reference", "current"):
        data = oracle.numeric_column(dataset, side, column)
        ranked = int(data.not_nan.size)
        assert ranked > 0
        rows = histogram(built_project, dataset, side, column, "ks_binned")
        assert [(r[0], r[1], r[2], int(r[5])) for r in rows] == [(0, None, None, ranked)]
        psi = histogram(built_project, dataset, side, column, "psi")
        assert [(r[0], r[1], r[2], r[4], int(r[5])) for r in psi] == [
            (0, None, None, False, ranked),
            (1, None, None, True, data.null_count + int(np.isnan(data.values).sum())),
        ]
        got = profile(built_project, dataset, side, column)
        assert got["iqr_lower_bound"] is None and got["iqr_outlier_count"] is None
    assert profile(built_project, dataset, "reference", column)["mean_value"] is None
