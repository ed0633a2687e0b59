"""Retention (var dqp_retention_runs) keeps the bin and value rows of a
dataset's latest runs, plus the latest run of each current window that the
time split's reference window still covers, and prunes the rest inside the
build's transaction. Profiles and audits stay, so history and the latest check
still work, and a re-check of a pruned run fails with a clear error."""

from __future__ import annotations

import json

from tests.support.dbt_project import DbtProject

MODEL = """select i as id,
    cast('2024-01-01' as timestamp) + (i + {{ var('shift_days', 0) }} * 24) * interval '1 hour' as event_at,
    i * 1.5 as x,
    case when i % 3 = 0 then 'a' else 'b' end as c
from generate_series(1, 120) as g(i)
"""
DECLARATION = """version: 2
models:
  - name: retained
    config:
      meta:
        dqp:
          reference: {time_column: event_at, current_window_days: 1, reference_window_days: 2}
          exclude_columns: [id]
"""
BULKY_TABLES = ("dqp_histograms", "dqp_category_counts")
KEPT_TABLES = ("dqp_column_profiles", "dqp_schema_snapshots")


def _runs_in(project: DbtProject, table: str) -> set[str]:
    rows = project.query(f"select distinct run_id from {{schema}}.{table} where dataset_name = 'retained'")
    return {row[0] for row in rows}


def test_retention_prunes_old_bins_keeps_window_and_history(fresh_project: DbtProject) -> None:
    project = fresh_project
    models = project.path / "models" / "retention"
    models.mkdir()
    (models / "retained.sql").write_text(MODEL)
    (models / "retained.yml").write_text(DECLARATION)

    # Five daily builds, the last one a re-run of the fourth day. Each build's
    # window ends a day later; the reference window covers the two days before.
    run_ids: list[str] = []
    for build, shift_days in enumerate((0, 1, 2, 3, 3)):
        selection = ("package:dqp", "retained") if build == 0 else ("retained",)
        project.dbt("run", "--select", *selection, "--vars", f"{{shift_days: {shift_days}, dqp_retention_runs: 1}}")
        (latest,) = _runs_in(project, "dqp_profile_runs") - set(run_ids)
        run_ids.append(latest)
        if build == 0:
            checked = project.dqp("check", "--dataset", "retained")
            assert checked.returncode in (0, 1), checked.stdout + checked.stderr

    # Kept: the latest run, and the latest run of each window in its reference
    # window (days 2 and 3). Pruned: day 1, now outside, and day 4's first run.
    kept = {run_ids[1], run_ids[2], run_ids[4]}
    for table in BULKY_TABLES:
        assert _runs_in(project, table) == kept, table
    for table in KEPT_TABLES:
        assert _runs_in(project, table) == set(run_ids), table
    pruned = {
        run_id
        for run_id, pruned_at in project.query(
            "select run_id, pruned_at from {schema}.dqp_profile_runs where dataset_name = 'retained'"
        )
        if pruned_at is not None
    }
    assert pruned == {run_ids[0], run_ids[3]}
    # rows stored for the dataset stay bounded: three runs' bins, whatever the number of builds
    (histogram_rows,) = project.query(
        "select count(*) from {schema}.dqp_histograms where dataset_name = 'retained'"
    )[0]
    assert 0 < histogram_rows <= 3 * max(
        count for (count,) in project.query(
            "select count(*) from {schema}.dqp_histograms where dataset_name = 'retained' group by run_id"
        )
    )

    # the latest run checks, with the first run's check still in its history
    latest = project.dqp("check", "--dataset", "retained", "--format", "json")
    assert latest.returncode in (0, 1), latest.stdout + latest.stderr
    assert json.loads(latest.stdout)["datasets"][0]["run_id"] == run_ids[4]
    audited = project.query("select run_id from {schema}.dqp_check_runs where dataset_name = 'retained'")
    assert {row[0] for row in audited} == {run_ids[0], run_ids[4]}

    # a pruned run cannot be re-checked: a clear error, no verdict, nothing recorded
    recheck = project.dqp("check", "--dataset", "retained", "--run-id", run_ids[0])
    output = recheck.stdout + recheck.stderr
    assert recheck.returncode == 2, output
    assert run_ids[0] in output and "dqp_retention_runs" in output and "pruned" in output, output
    assert len(project.query("select run_id from {schema}.dqp_check_runs where dataset_name = 'retained'")) == 2

    # a bad setting is named with its value, and the build's rows roll back with it
    bad = project.dbt("run", "--select", "retained", "--vars", "{shift_days: 3, dqp_retention_runs: -1}",
                      expect_success=False)
    assert bad.returncode != 0 and "var dqp_retention_runs" in bad.stdout and "got -1" in bad.stdout, bad.stdout
    assert _runs_in(project, "dqp_profile_runs") == set(run_ids)
