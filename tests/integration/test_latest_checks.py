"""The "latest check of each checked profile run" rule, on stored rows made for it:
several runs, re-checks of old runs, ties of checked_at and of profiled_at, and a
check whose profile run is gone. The views dqp_latest_checks (the rule's one
home), dqp_trends, dqp_metric_trends and dqp_latest_verdicts must all pick the
same checks, on DuckDB and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.dbt_project import DbtProject

# (dataset, run, profiled_at) of the stored profile runs; run "r4" is never checked.
PROFILE_RUNS = (
    ("orders", "r1", "2026-01-01 00:00:00"),
    ("orders", "r2", "2026-01-02 00:00:00"),
    ("orders", "r3", "2026-01-03 00:00:00"),
    ("orders", "r4", "2026-01-04 00:00:00"),
    # Two runs profiled at the same instant.
    ("twins", "r1", "2026-01-01 00:00:00"),
    ("twins", "r2", "2026-01-01 00:00:00"),
)
# (dataset, run, check, checked_at, health_score): each check also stores one psi metric of value score / 100.
CHECKS = (
    ("orders", "r1", "c1", "2026-01-01 10:00:00", 90.0),
    ("orders", "r2", "c2", "2026-01-02 10:00:00", 80.0),
    # A tie of checked_at within r2: the greater check_id wins.
    ("orders", "r2", "c4", "2026-01-02 12:00:00", 70.0),
    ("orders", "r2", "c3", "2026-01-02 12:00:00", 60.0),
    ("orders", "r3", "c5", "2026-01-03 10:00:00", 50.0),
    # A re-check of the old run r1, recorded last: it is r1's latest check but never hides r3's.
    ("orders", "r1", "c6", "2026-01-05 10:00:00", 40.0),
    # The twins' r1 is checked after r2: with equal profiled_at, the later check gives the verdict.
    ("twins", "r1", "t1", "2026-01-01 12:00:00", 30.0),
    ("twins", "r2", "t2", "2026-01-01 11:00:00", 20.0),
    # A check whose profile run is not stored (pruned, or written by hand).
    ("orphan", "x1", "o1", "2026-01-01 10:00:00", 10.0),
)


def insert(project: DbtProject, table: str, columns: str, rows: list[str]) -> None:
    project.execute(f"insert into {{schema}}.{table} ({columns}) values {', '.join(rows)}")


@pytest.fixture()
def stored_checks(fresh_project: DbtProject) -> DbtProject:
    fresh_project.dbt("run", "--select", "package:dqp")
    insert(fresh_project, "dqp_profile_runs", "dataset_name, run_id, profiled_at, reference_kind", [
        f"('{dataset}', '{run}', cast('{profiled_at}' as timestamp), 'relation')"
        for dataset, run, profiled_at in PROFILE_RUNS
    ])
    insert(
        fresh_project, "dqp_check_runs",
        "dataset_name, run_id, check_id, checked_at, health_score, decision, decision_rank, signal_count",
        [
            f"('{dataset}', '{run}', '{check}', cast('{checked_at}' as timestamp), {score}, 'MONITOR', 1, 0)"
            for dataset, run, check, checked_at, score in CHECKS
        ],
    )
    insert(
        fresh_project, "dqp_column_metrics",
        "dataset_name, run_id, check_id, metric_index, column_name, metric_name, signal_type, state, metric_value",
        [
            f"('{dataset}', '{run}', '{check}', 1, 'amount', 'psi', 'psi', 'ok', {score / 100})"
            for dataset, run, check, _, score in CHECKS
        ],
    )
    return fresh_project


def rows(project: DbtProject, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(float(value) if isinstance(value, int | float) else value for value in row)
            for row in project.query(sql)]


def test_every_view_reads_the_latest_check_of_each_checked_run(stored_checks: DbtProject) -> None:
    # The series holds the runs that have a profile run, in profiled_at (then run_id) order.
    trends = rows(
        stored_checks,
        "select dataset_name, run_id, check_id, previous_health_score, last_n_runs, is_latest "
        "from {schema}.dqp_trends order by dataset_name, profiled_at, run_id",
    )
    assert trends == [
        ("orders", "r1", "c6", None, 0.0, False),
        ("orders", "r2", "c4", 40.0, 1.0, False),
        ("orders", "r3", "c5", 70.0, 2.0, True),
        ("twins", "r1", "t1", None, 0.0, False),
        ("twins", "r2", "t2", 30.0, 1.0, True),
    ]

    metric_trends = rows(
        stored_checks,
        "select dataset_name, run_id, check_id, metric_value, previous_metric_value "
        "from {schema}.dqp_metric_trends order by dataset_name, profiled_at, run_id",
    )
    assert metric_trends == [
        ("orders", "r1", "c6", 0.4, None),
        ("orders", "r2", "c4", 0.7, 0.4),
        ("orders", "r3", "c5", 0.5, 0.7),
        ("twins", "r1", "t1", 0.3, None),
        ("twins", "r2", "t2", 0.2, 0.3),
    ]

    # The verdict: the latest check of the latest checked run; a check without its profile run comes last.
    verdicts = rows(
        stored_checks, "select dataset_name, run_id, check_id from {schema}.dqp_latest_verdicts order by dataset_name"
    )
    assert verdicts == [("orders", "r3", "c5"), ("orphan", "x1", "o1"), ("twins", "r1", "t1")]

    # The rule's one home: one row per checked run, the profile run's time null when it is gone.
    latest = rows(
        stored_checks,
        "select dataset_name, run_id, check_id, health_score, profiled_at is null "
        "from {schema}.dqp_latest_checks order by dataset_name, run_id",
    )
    assert latest == [
        ("orders", "r1", "c6", 40.0, False),
        ("orders", "r2", "c4", 70.0, False),
        ("orders", "r3", "c5", 50.0, False),
        ("orphan", "x1", "o1", 10.0, True),
        ("twins", "r1", "t1", 30.0, False),
        ("twins", "r2", "t2", 20.0, False),
    ]
