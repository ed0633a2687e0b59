"""A `dbt run` that profiles a dataset while `dqp check` reads it: every check
sees one complete profile run, the old or the new, never a mix or a part
(docs/bad_inputs.md).

PostgreSQL only: DuckDB allows one writing process per file, so there dbt and
`dqp check` take turns on the file lock (tests/integration/test_exit_paths.py
blocks a check on that lock).
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import pytest

from dqp_runner.check import compute_checks
from dqp_runner.cli import ExitCode
from dqp_runner.project import default_profiles_dir, load_project_target
from dqp_runner.warehouse import connect
from tests.support.dbt_project import BIN, DbtProject

DATASET = "race_orders"


@pytest.mark.parametrize("target", ["postgres"], scope="session")
def test_checks_during_a_dbt_run_each_see_one_complete_run(
    tmp_path_factory: pytest.TempPathFactory, target: str, target_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = dict(target_env, DQP_SCHEMA=f"dqp_it_{uuid.uuid4().hex[:8]}")
    project = DbtProject.copy(tmp_path_factory.mktemp("races"), target, env)
    folder = project.path / "models" / "races"
    folder.mkdir()
    (folder / f"{DATASET}.sql").write_text("select * from {{ ref('orders_nodrift') }}\n")
    (folder / f"{DATASET}.yml").write_text(
        f"version: 2\nmodels:\n  - name: {DATASET}\n    config:\n      meta:\n        dqp:\n"
        "          reference: {relation: orders_reference}\n          exclude_columns: [order_id]\n"
    )
    project.dbt("deps")
    project.dbt("seed", "--select", "orders_reference", "orders_nodrift", "--vars", "{dqp_enabled: false}")
    project.dbt("run", "--select", "package:dqp", DATASET)
    [(first_run,)] = project.query(f"select run_id from {{schema}}.dqp_profile_runs where dataset_name = '{DATASET}'")

    for key, value in project.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(project.path)
    loaded = load_project_target(project.path, default_profiles_dir(project.path), None, None)
    warehouse = connect(loaded, 60)
    seen: list[str] = []
    dbt_run = subprocess.Popen(
        [str(BIN / "dbt"), "run", "--select", DATASET], cwd=project.path,
        env={**os.environ, **project.env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        # Check over and over while dbt rebuilds and profiles the dataset:
        # each check must find a complete run (IncompleteAggregatesError otherwise).
        while dbt_run.poll() is None:
            [check] = compute_checks(warehouse, [DATASET], None)
            seen.append(check.run.run_id)
    finally:
        output = dbt_run.communicate(timeout=600)
        warehouse.close()
    assert dbt_run.returncode == 0, output
    assert len(seen) > 5, seen  # the checks did overlap the run
    runs = project.query(f"select run_id from {{schema}}.dqp_profile_runs where dataset_name = '{DATASET}'")
    assert len(runs) == 2
    [second_run] = [row[0] for row in runs if row[0] != first_run]
    assert set(seen) <= {first_run, second_run}
    assert seen == sorted(seen, key=lambda run_id: run_id == second_run)  # the new run, once seen, stays

    # The recorded check after the run judges the new run.
    result = project.dqp("check", "--dataset", DATASET, "--format", "json")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    [checked] = json.loads(result.stdout)["datasets"]
    assert (checked["run_id"], checked["outcome"]) == (second_run, "written")
