"""Upgrading an install of dqp 0.1.0 (tables of the previous shape, rows and
the checker's old unique index) to this version: `dbt run` adds the new
columns (append_new_columns) and `dqp check` works, on DuckDB and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from dqp_runner import __version__
from dqp_runner.cli import ExitCode
from dqp_runner.storage_spec import STORAGE_TABLES, column_names
from tests.support.dbt_project import REPO_ROOT, DbtProject

# The last commit with the 0.1.0 table contracts (before issue 9).
PREVIOUS_RELEASE = "f0a2e54b90f149103d682b9d046e98acd837183a"
DATASET = "orders_nodrift"


@pytest.fixture()
def previous_package(tmp_path: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", "--format=tar", PREVIOUS_RELEASE],
        capture_output=True, check=True,
    ).stdout
    destination = tmp_path / "dqp_previous"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


def use_package(project: DbtProject, package: Path) -> None:
    (project.path / "packages.yml").write_text(f"packages:\n  - local: {package}\n")
    project.dbt("deps")


# Scenario models that call macros the previous release does not have; they
# are set aside while that release parses the project.
NEWER_MODELS = ("hostile_names.sql", "hostile_names_reference.sql", "hostile_events.sql")


def set_aside_newer_models(project: DbtProject, aside: Path) -> None:
    aside.mkdir()
    for name in NEWER_MODELS:
        (project.path / "models" / "scenarios" / name).rename(aside / name)


def restore_newer_models(project: DbtProject, aside: Path) -> None:
    for name in NEWER_MODELS:
        (aside / name).rename(project.path / "models" / "scenarios" / name)


def columns(project: DbtProject, table: str) -> set[str]:
    rows = project.query(
        "select column_name from information_schema.columns "
        f"where table_schema = '{project.schema}' and table_name = '{table}'"
    )
    return {str(row[0]) for row in rows}


def test_upgrade_from_the_previous_release(
    fresh_project: DbtProject, previous_package: Path, tmp_path: Path
) -> None:
    project = fresh_project
    set_aside_newer_models(project, tmp_path / "newer_models")
    use_package(project, previous_package)
    project.dbt("build", "--select", "package:dqp", "orders_reference", DATASET)
    # The previous checker (its own dqp_runner) records a verdict and creates its index.
    old_check = subprocess.run(
        [_dqp_bin(), "check", "--dataset", DATASET],
        cwd=project.path, env=_env(dict(project.env, PYTHONPATH=str(previous_package))),
        capture_output=True, text=True, check=False,
    )
    assert old_check.returncode == ExitCode.OK, old_check.stdout + old_check.stderr
    assert "check_id" not in columns(project, "dqp_check_runs")
    [(old_run,)] = project.query(f"select run_id from {{schema}}.dqp_check_runs where dataset_name = '{DATASET}'")

    # Upgrade: dbt run adds the new columns to the existing tables, keeping their rows.
    restore_newer_models(project, tmp_path / "newer_models")
    use_package(project, REPO_ROOT)
    project.dbt("run", "--select", "package:dqp")
    assert {"check_id", "policy_fingerprint", "decision_reason"} <= columns(project, "dqp_check_runs")
    assert "check_id" in columns(project, "dqp_signals")
    for table in STORAGE_TABLES:  # every table has exactly the spec's columns again
        assert columns(project, table) == set(column_names(table)), table

    # The old run keeps its 0.1.0 check; checking it again records nothing without --recheck.
    [again] = check(project)
    assert (again["run_id"], again["outcome"]) == (old_run, "checked_with_other_policy")
    [recheck] = check(project, "--recheck")
    assert (recheck["run_id"], recheck["outcome"]) == (old_run, "written")

    # New data is profiled and checked as usual.
    project.dbt("build", "--select", DATASET)
    [checked] = check(project)
    assert checked["outcome"] == "written" and checked["run_id"] != old_run
    per_run = dict(
        project.query(
            f"select run_id, count(*) from {{schema}}.dqp_check_runs where dataset_name = '{DATASET}' group by run_id"
        )
    )
    assert per_run == {old_run: 2, checked["run_id"]: 1}
    # Each row names the release that wrote it.
    profiled_by = dict(
        project.query(f"select run_id, dqp_version from {{schema}}.dqp_profile_runs where dataset_name = '{DATASET}'")
    )
    assert profiled_by == {old_run: "0.1.0", checked["run_id"]: __version__}
    checked_by = project.query(
        f"select distinct checker_version from {{schema}}.dqp_check_runs where run_id = '{checked['run_id']}'"
    )
    assert checked_by == [(__version__,)]

    # The package's contract tests hold on the mixed old and new rows.
    project.dbt("test", "--select", "package:dqp")


def check(project: DbtProject, *args: str) -> list[dict[str, object]]:
    result = project.dqp("check", "--dataset", DATASET, "--format", "json", *args)
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    datasets: list[dict[str, object]] = json.loads(result.stdout)["datasets"]
    return datasets


def _dqp_bin() -> str:
    from tests.support.dbt_project import BIN

    return str(BIN / "dqp")


def _env(extra: dict[str, str]) -> dict[str, str]:
    import os

    return {**os.environ, **extra, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
