"""Identifiers that try to break out of their quotes: the integration project's
hostile_names and hostile_events models (integration_tests/macros/hostile_names.sql)
carry names with quotes, semicolons, comments, backslashes, non-ASCII letters
and reserved words, two of them injections that would drop the table `victim`.
The hostile models create `victim` (in the engine's default schema) before
dqp's hook runs. Every identifier dqp writes goes through dqp_quote_identifier,
so the build succeeds, victim survives, and the names are stored exactly."""

from __future__ import annotations

import json

from dqp_runner.cli import ExitCode
from tests.support.dbt_project import DbtProject

COLUMN_INJECTION = 'x" as text)); drop table victim; commit; --'
TIME_COLUMN_INJECTION = 't") from (select now() t) x; drop table victim; commit; --'
HOSTILE_COLUMNS = [
    COLUMN_INJECTION, 'a"b', "it's", "semi;colon", "dash--dash", "back\\slash", "prix_€_ü", "select", "order",
]


def test_victim_survives_the_build(built_project: DbtProject) -> None:
    assert built_project.query("select survived from victim") == [(1,)]


def test_hostile_column_names_are_profiled_exactly(built_project: DbtProject) -> None:
    expected = HOSTILE_COLUMNS
    for side in ("reference", "current"):
        snapshot = built_project.query(
            "select column_name from {schema}.dqp_schema_snapshots "
            f"where dataset_name = 'hostile_names' and side = '{side}' order by column_position"
        )
        assert [row[0] for row in snapshot] == expected
        profiled = built_project.query(
            "select column_name, column_kind, row_count, null_count from {schema}.dqp_column_profiles "
            f"where dataset_name = 'hostile_names' and side = '{side}' order by column_position"
        )
        assert [row[0] for row in profiled] == expected
        rows = 3000 if side == "reference" else 2000
        assert all(row[2] == rows for row in profiled)
    kinds = dict(built_project.query(
        "select column_name, column_kind from {schema}.dqp_column_profiles "
        "where dataset_name = 'hostile_names' and side = 'current'"
    ))
    assert kinds['a"b'] == "numeric" and kinds["prix_€_ü"] == "numeric"
    assert kinds["it's"] == "categorical" and kinds["select"] == "categorical"
    # the numeric statistics read the right column behind each hostile name
    amount = built_project.query("select avg(amount) from {schema}.orders_nodrift")[0][0]
    mean = built_project.query(
        "select mean_value from {schema}.dqp_column_profiles "
        "where dataset_name = 'hostile_names' and side = 'current' and column_name = 'a\"b'"
    )[0][0]
    assert abs(float(mean) - float(amount)) <= 1e-9 * abs(float(amount))
    histograms = built_project.query(
        "select distinct column_name from {schema}.dqp_histograms where dataset_name = 'hostile_names'"
    )
    assert {'a"b', "dash--dash", "prix_€_ü"} <= {row[0] for row in histograms}
    categories = built_project.query(
        "select distinct column_name from {schema}.dqp_category_counts where dataset_name = 'hostile_names'"
    )
    assert {COLUMN_INJECTION, "it's", "select", "back\\slash"} <= {row[0] for row in categories}


def test_hostile_time_column_splits_the_windows(built_project: DbtProject) -> None:
    runs = built_project.query(
        "select time_column, current_window_end from {schema}.dqp_profile_runs where dataset_name = 'hostile_events'"
    )
    assert len(runs) == 1
    assert runs[0][0] == TIME_COLUMN_INJECTION
    events = built_project.query(
        "select row_count, column_name from {schema}.dqp_column_profiles "
        "where dataset_name = 'events_daily' and side = 'current' and column_name = 'latency_ms'"
    )
    hostile = built_project.query(
        "select row_count, column_name from {schema}.dqp_column_profiles "
        "where dataset_name = 'hostile_events' and side = 'current'"
    )
    # the same windows as events_daily, over the same rows
    assert hostile == [(events[0][0], "it's latency")]


def test_check_scores_and_records_the_hostile_datasets(built_project: DbtProject) -> None:
    result = built_project.dqp("check", "--format", "json", "--dataset", "hostile_names", "--dataset", "hostile_events")
    assert result.returncode in (ExitCode.OK, ExitCode.BLOCKED), result.stdout + result.stderr
    outcomes = {item["dataset_name"]: item for item in json.loads(result.stdout)["datasets"]}
    assert set(outcomes) == {"hostile_names", "hostile_events"}
    recorded = built_project.query(
        "select dataset_name from {schema}.dqp_check_runs where dataset_name in ('hostile_names', 'hostile_events')"
    )
    assert sorted(row[0] for row in recorded) == ["hostile_events", "hostile_names"]
    assert built_project.query("select survived from victim") == [(1,)]


def test_quoting_macros_render_and_run(built_project: DbtProject) -> None:
    result = built_project.dbt("run-operation", "assert_identifier_quoting")
    assert "identifier quoting: ok" in result.stdout, result.stdout
