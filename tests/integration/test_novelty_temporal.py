"""Novel values and temporal columns on the real project, DuckDB and PostgreSQL:
the warehouse counts against pandas on the seeds, and the verdicts.

accounts_replaced replaces every user id (user_N -> zzz_N); session_id is a
unique id on both sides. visits_shifted moves a date and a timestamp column
back one year; visits_nodrift and accounts_nodrift are fresh samples.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest

from dqp_runner.metrics import MetricState
from dqp_runner.policy import resolve_policy
from dqp_runner.project import default_profiles_dir, load_project_target
from dqp_runner.signals import evaluate_dataset
from dqp_runner.warehouse import connect
from tests.support.dbt_project import INTEGRATION_PROJECT, DbtProject

SEEDS = INTEGRATION_PROJECT / "seeds"
ACCOUNT_COLUMNS = ("user_id", "session_id", "plan")


@pytest.fixture(scope="module")
def checked(built_project: DbtProject) -> dict[str, dict[str, Any]]:
    result = built_project.dqp("check", "--format", "json", "--no-write")
    assert result.returncode in (0, 1), result.stderr + result.stdout
    return {item["dataset_name"]: item for item in json.loads(result.stdout)["datasets"]}


def fired(item: dict[str, Any]) -> set[tuple[str, str]]:
    return {(s["column_name"], s["signal_type"]) for s in item["signals"] if s["signal_type"] != "insufficient_data"}


def profile_rows(project: DbtProject, dataset: str, columns: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    rows = project.query(
        f"select side, column_name, {columns} from {{schema}}.dqp_column_profiles "
        f"where dataset_name = '{dataset}' and run_id = (select max(run_id) from {{schema}}.dqp_profile_runs "
        f"where dataset_name = '{dataset}')"
    )
    return {(row[0], row[1]): tuple(row[2:]) for row in rows}


@pytest.mark.parametrize("dataset", ["accounts_nodrift", "accounts_replaced"])
def test_novelty_counts_match_pandas(built_project: DbtProject, dataset: str) -> None:
    reference = pd.read_csv(SEEDS / "accounts_reference.csv", dtype=str)
    current = pd.read_csv(SEEDS / f"{dataset}.csv", dtype=str)
    stored = profile_rows(built_project, dataset, "column_kind, singleton_count, novel_row_count")
    for column in ACCOUNT_COLUMNS:
        ref_values, cur_values = reference[column].dropna(), current[column].dropna()
        singletons = [sum(1 for n in Counter(values).values() if n == 1) for values in (ref_values, cur_values)]
        novel = int((~cur_values.isin(set(ref_values))).sum())
        assert stored[("reference", column)] == ("categorical", singletons[0], None), column
        assert stored[("current", column)] == ("categorical", singletons[1], novel), column


def test_replaced_key_space_fires_novel_values_and_unique_ids_stay_quiet(
    checked: dict[str, dict[str, Any]],
) -> None:
    replaced = fired(checked["accounts_replaced"])
    assert ("user_id", "novel_values") in replaced
    assert ("session_id", "novel_values") not in replaced and ("plan", "novel_values") not in replaced
    signal = next(s for s in checked["accounts_replaced"]["signals"] if s["signal_type"] == "novel_values")
    assert signal["severity"] == "high" and signal["recommended_action"] == "REVIEW_NOVEL_VALUES"
    assert signal["metric_value"] > 0.99
    assert checked["accounts_replaced"]["decision"] != "NO_ACTION"
    for quiet in ("accounts_nodrift", "orders_nodrift", "visits_nodrift"):
        assert checked[quiet]["decision"] == "NO_ACTION", checked[quiet]["signals"]


def epoch(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize("dataset", ["visits_nodrift", "visits_shifted"])
def test_temporal_columns_are_profiled_as_epoch_seconds(built_project: DbtProject, dataset: str) -> None:
    stored = profile_rows(built_project, dataset, "column_kind, data_type, distinct_count, min_value, max_value")
    for side, seed in (("reference", "visits_reference"), ("current", dataset)):
        frame = pd.read_csv(SEEDS / f"{seed}.csv", dtype=str)
        for column, type_prefix in (("visit_date", "date"), ("visited_at", "timestamp")):
            seconds = [epoch(value) for value in frame[column]]
            kind, data_type, distinct, low, high = stored[(side, column)]
            assert kind == "temporal" and data_type.lower().startswith(type_prefix), (side, column, data_type)
            assert (distinct, low, high) == (len(set(seconds)), min(seconds), max(seconds)), (side, column)


def test_a_one_year_shift_fires_drift_and_freshness(checked: dict[str, dict[str, Any]]) -> None:
    shifted = fired(checked["visits_shifted"])
    for column in ("visit_date", "visited_at"):
        assert {(column, "ks"), (column, "freshness")} <= shifted, shifted
    freshness = [s for s in checked["visits_shifted"]["signals"] if s["signal_type"] == "freshness"]
    assert {s["severity"] for s in freshness} == {"high"}
    assert all(s["recommended_action"] == "CHECK_DATA_FRESHNESS" for s in freshness)
    date_row = next(s for s in freshness if s["column_name"] == "visit_date")
    # A daily column a year (365 days, as 2025-09-30 -> 2026-09-30) behind, at one day per gap.
    assert date_row["details"]["lag_seconds"] == 365 * 86_400
    assert date_row["metric_value"] == pytest.approx(365.0)


def test_every_novelty_and_freshness_test_leaves_a_metric_row(
    built_project: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in built_project.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(built_project.path)
    target = load_project_target(built_project.path, default_profiles_dir(built_project.path), None, None)
    warehouse = connect(target, 60)
    try:
        runs = {run.dataset_name: run for run in warehouse.profile_runs(["accounts_nodrift", "visits_nodrift"], None)}
        states = {}
        for name, run in runs.items():
            evaluation = evaluate_dataset(warehouse.load_aggregates(run), resolve_policy({}, run.policy_overrides))
            for row in evaluation.metrics:
                if row.signal_type in ("novel_values", "freshness"):
                    states[(name, row.column_name, row.signal_type)] = row.state
    finally:
        warehouse.close()
    expected = {("accounts_nodrift", column, "novel_values") for column in ACCOUNT_COLUMNS} | {
        ("visits_nodrift", column, "freshness") for column in ("visit_date", "visited_at")
    }
    assert set(states) == expected
    assert set(states.values()) == {MetricState.BELOW_THRESHOLD}
