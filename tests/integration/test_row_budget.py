"""The row budget on the real project, DuckDB and PostgreSQL: with a budget of
500 rows, the 3,000-row reference and the 2,000-row current sides are sampled
for their distribution rows, while every exact count stays exact; the
distribution rows add up to the recorded sample, KS matches scipy on the same
sampled rows, the verdicts stay honest and a rerun samples the same rows.

orders_* are seeds (tables: TABLESAMPLE BERNOULLI on both engines);
budget_orders_view, written by the fixture, is a view over orders_nodrift,
sampled by a seeded row hash on PostgreSQL. events_daily is a time split: its
28-day reference window (about 1,700 rows) is sampled after the window filter,
its one-day current window (about 60 rows) is read whole.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pandas as pd
import pytest
from scipy import stats as scipy_stats

from tests.support.dbt_project import INTEGRATION_PROJECT, DbtProject

BUDGET = 500
SEED = 20261123
DATASETS = ("orders_nodrift", "orders_mean_shift", "budget_orders_view")
SELECTION = ("package:dqp", "orders_reference", "orders_nodrift", "orders_mean_shift", "budget_orders_view", "events")
VIEW_MODEL = """\
{{ config(materialized='view', meta={'dqp': {'reference': {'relation': 'orders_reference'},
    'exclude_columns': ['order_id']}}) }}
select * from {{ ref('orders_nodrift') }}
"""


def build(project: DbtProject) -> None:
    project.dbt(
        "build", "--select", *SELECTION, "--exclude-resource-type", "test",
        "--vars", json.dumps({"dqp_row_budget": BUDGET}),
    )


def runs(project: DbtProject) -> dict[str, list[tuple[Any, ...]]]:
    """Each dataset's profile runs, oldest first, with their sample columns."""
    rows = project.query(
        "select dataset_name, run_id, reference_sampled_rows, current_sampled_rows, reference_sample_fraction, "
        "current_sample_fraction, reference_sample_method, current_sample_method "
        "from {schema}.dqp_profile_runs order by profiled_at"
    )
    out: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row[1:])
    return out


def distribution_rows(project: DbtProject, dataset: str, run_id: str) -> list[tuple[Any, ...]]:
    """Every histogram and category row of one run, in a stable order."""
    where = f"where dataset_name = '{dataset}' and run_id = '{run_id}'"
    histograms = project.query(
        "select side, column_name, histogram_kind, bin_index, bin_value, is_null_bin, value_count "
        f"from {{schema}}.dqp_histograms {where}"
    )
    categories = project.query(
        "select side, column_name, 'category', category_kind, category_value, false, value_count "
        f"from {{schema}}.dqp_category_counts {where}"
    )
    return sorted(histograms + categories, key=repr)


def sampled_amounts(project: DbtProject, relation: str, rows: int) -> list[float]:
    """The same seeded sample the hook takes from a seed table, read independently."""
    percent = f"{100.0 * BUDGET / rows:.12f}"
    clause = (
        f"tablesample bernoulli({percent} percent) repeatable ({SEED})"
        if project.target == "duckdb"
        else f"tablesample bernoulli ({percent}) repeatable ({SEED})"
    )
    sql = f"select amount from {{schema}}.{relation} as dqp_row {clause} where amount is not null"
    return [float(row[0]) for row in project.query(sql)]


@pytest.fixture(scope="module")
def budget_project(tmp_path_factory: pytest.TempPathFactory, target: str, target_env: dict[str, str]) -> DbtProject:
    env = dict(target_env, DQP_SCHEMA=f"dqp_it_{uuid.uuid4().hex[:8]}")
    project = DbtProject.copy(tmp_path_factory.mktemp(f"budget_{target}"), target, env)
    (project.path / "models" / "budget_orders_view.sql").write_text(VIEW_MODEL)
    project.dbt("deps")
    build(project)
    build(project)
    return project


def test_exact_counts_stay_exact_and_samples_are_recorded(budget_project: DbtProject) -> None:
    recorded = runs(budget_project)
    view_method = "bernoulli" if budget_project.target == "duckdb" else "row_hash"
    for dataset in DATASETS:
        assert len(recorded[dataset]) == 2, dataset
        _, ref_rows, cur_rows, ref_fraction, cur_fraction, ref_method, cur_method = recorded[dataset][-1]
        assert ref_fraction == pytest.approx(BUDGET / 3000) and cur_fraction == pytest.approx(BUDGET / 2000)
        expected_method = view_method if dataset == "budget_orders_view" else "bernoulli"
        assert (ref_method, cur_method) == ("bernoulli", expected_method)
        # A Bernoulli sample of expected size 500: well inside +-5 standard deviations.
        assert 390 <= ref_rows <= 610 and 390 <= cur_rows <= 610, (dataset, ref_rows, cur_rows)

    reference = pd.read_csv(INTEGRATION_PROJECT / "seeds" / "orders_reference.csv")
    current = pd.read_csv(INTEGRATION_PROJECT / "seeds" / "orders_mean_shift.csv")
    run_id = recorded["orders_mean_shift"][-1][0]
    profiles = budget_project.query(
        "select side, column_name, row_count, null_count, mean_value, stddev_value, min_value, max_value "
        f"from {{schema}}.dqp_column_profiles where dataset_name = 'orders_mean_shift' and run_id = '{run_id}'"
    )
    stored = {(row[0], row[1]): row[2:] for row in profiles}
    for side, frame in (("reference", reference), ("current", current)):
        values = frame["amount"].dropna()
        row_count, null_count, mean, stddev, minimum, maximum = stored[(side, "amount")]
        assert (row_count, null_count) == (len(frame), int(frame["amount"].isna().sum()))
        assert mean == pytest.approx(values.mean(), rel=1e-9) and stddev == pytest.approx(values.std(), rel=1e-9)
        assert (minimum, maximum) == (pytest.approx(values.min()), pytest.approx(values.max()))

    # Every distribution row adds up to the recorded sample, not the side.
    sampled = {"reference": recorded["orders_mean_shift"][-1][1], "current": recorded["orders_mean_shift"][-1][2]}
    totals: dict[tuple[str, str, str], int] = {}
    for side, column, kind, _, _, _, count in distribution_rows(budget_project, "orders_mean_shift", run_id):
        totals[(side, column, kind)] = totals.get((side, column, kind), 0) + int(count)
    for (side, column, kind), total in totals.items():
        if kind in ("psi", "category"):
            assert total == sampled[side], (side, column, kind)


def test_ks_matches_scipy_on_the_same_sample(budget_project: DbtProject) -> None:
    result = budget_project.dqp("check", "--format", "json", "--no-write")
    assert result.returncode in (0, 1), result.stderr + result.stdout
    checked = {item["dataset_name"]: item for item in json.loads(result.stdout)["datasets"]}

    reference = sampled_amounts(budget_project, "orders_reference", 3000)
    current = sampled_amounts(budget_project, "orders_mean_shift", 2000)
    expected = scipy_stats.ks_2samp(reference, current)
    shifted = checked["orders_mean_shift"]
    ks = next(s for s in shifted["signals"] if s["column_name"] == "amount" and s["signal_type"] == "ks")
    assert ks["metric_value"] == pytest.approx(expected.statistic, abs=1e-12)
    details = ks["details"]
    assert (details["n"], details["m"]) == (len(reference), len(current))
    assert details["sampled_sides"] == ["reference", "current"]
    fired = {(s["column_name"], s["signal_type"]) for s in shifted["signals"]}
    assert {("amount", "mean_shift"), ("amount", "ks"), ("amount", "psi")} <= fired
    assert shifted["decision"] != "NO_ACTION"
    for quiet in ("orders_nodrift", "budget_orders_view"):
        assert checked[quiet]["decision"] == "NO_ACTION", checked[quiet]["signals"]


def test_a_time_window_is_sampled_after_its_filter(budget_project: DbtProject) -> None:
    run_id, ref_rows, cur_rows, ref_fraction, cur_fraction, ref_method, cur_method = runs(budget_project)[
        "events_daily"
    ][-1]
    window_rows = dict(budget_project.query(
        "select side, max(row_count) from {schema}.dqp_column_profiles "
        f"where dataset_name = 'events_daily' and run_id = '{run_id}' group by side"
    ))
    assert window_rows["reference"] > BUDGET >= window_rows["current"]
    assert ref_fraction == pytest.approx(BUDGET / window_rows["reference"]) and ref_method == "bernoulli"
    assert (cur_rows, cur_fraction, cur_method) == (None, None, None)
    assert ref_rows < window_rows["reference"]
    totals = budget_project.query(
        "select side, sum(value_count) from {schema}.dqp_histograms "
        f"where dataset_name = 'events_daily' and run_id = '{run_id}' and histogram_kind = 'psi' "
        "and column_name = 'latency_ms' group by side"
    )
    assert dict(totals) == {"reference": ref_rows, "current": window_rows["current"]}


def test_reruns_sample_the_same_rows(budget_project: DbtProject) -> None:
    recorded = runs(budget_project)
    for dataset in (*DATASETS, "events_daily"):
        first, second = recorded[dataset]
        assert first[1:] == second[1:], dataset
        assert distribution_rows(budget_project, dataset, first[0]) == distribution_rows(
            budget_project, dataset, second[0]
        ), dataset
