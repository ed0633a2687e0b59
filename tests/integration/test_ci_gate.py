"""The README's CI recipe recovers by itself (issue 9), on DuckDB and PostgreSQL.

Inside `dbt build` the dqp tests run before the on-run-end profiling, so every
stored verdict is about older data than they guard: they report
'verdict_older_than_data' as a warning instead of failing on it. The gate is
`dqp check` (exit 1 on BLOCK_PIPELINE) and the `dbt test` after it. So after a
BLOCK_PIPELINE and a fix to the data, the next `dbt build`, `dqp check`,
`dbt test` passes with no manual step.
"""

from __future__ import annotations

import json
from typing import Any

from dqp_runner.cli import ExitCode
from tests.support.dbt_project import DbtProject

CI_MODEL = """-- Orders as the pipeline delivers them; the test points it at a drifted or a clean seed.
select * from {{{{ ref('{seed}') }}}}
"""
CI_YML = """version: 2
models:
  - name: ci_orders
    config:
      meta:
        dqp:
          reference: {relation: orders_reference}
          exclude_columns: [order_id]
          critical_columns: [amount]
    data_tests:
      - dqp.dqp_latest_verdict_not_blocked:
          name: ci_orders_verdict_not_blocked
    columns:
      - name: amount
        data_tests:
          - dqp.dqp_psi_below:
              name: ci_orders_amount_psi_below
              arguments: {max_psi: 0.25}
"""
CI_TESTS = {"ci_orders_verdict_not_blocked", "ci_orders_amount_psi_below"}
# Only what the recipe needs: the dqp tables, the reference, the model and its upstream seed.
SELECTION = ("--select", "package:dqp", "orders_reference", "+ci_orders", "--store-failures")
TESTS = ("--select", "ci_orders", "--store-failures")


def write_ci_model(project: DbtProject, seed: str) -> None:
    folder = project.path / "models" / "ci"
    folder.mkdir(exist_ok=True)
    (folder / "ci_orders.sql").write_text(CI_MODEL.format(seed=seed))
    (folder / "ci_orders.yml").write_text(CI_YML)


def ci_results(project: DbtProject) -> dict[str, tuple[str, str | None]]:
    """Test name -> (status, failure_reason of its row) for the CI tests of the last dbt invocation."""
    document = json.loads((project.path / "target" / "run_results.json").read_text())
    found: dict[str, tuple[str, str | None]] = {}
    for result in document["results"]:
        name = result["unique_id"].split(".")[2]
        if name in CI_TESTS:
            found[name] = (result["status"], failure_reason(project, name))
    return found


def failure_reason(project: DbtProject, test_name: str) -> str | None:
    """The reason the test gave when it ran (dbt stored its rows: --store-failures)."""
    audit_schema = '"' + project.schema + '_dbt_test__audit"'
    rows = project.query(f'select failure_reason from {audit_schema}."{test_name}"')
    assert len(rows) <= 1, rows
    return str(rows[0][0]) if rows else None


def check(project: DbtProject) -> tuple[int, dict[str, Any]]:
    result = project.dqp("check", "--dataset", "ci_orders", "--format", "json")
    assert result.returncode in (ExitCode.OK, ExitCode.BLOCKED), result.stdout + result.stderr
    [dataset] = json.loads(result.stdout)["datasets"]
    return result.returncode, dataset


def test_ci_recipe_recovers_after_a_block_without_a_manual_step(fresh_project: DbtProject) -> None:
    project = fresh_project
    write_ci_model(project, "orders_mean_shift")

    # A fresh schema: the tests say what they could not check, and warn.
    build = project.dbt("build", *SELECTION)
    assert ci_results(project) == {
        "ci_orders_verdict_not_blocked": ("warn", "no_profile_yet"),
        "ci_orders_amount_psi_below": ("warn", "no_profile_yet"),
    }, build.stdout

    # The drifted data blocks: dqp check exits 1 and dbt test fails on this run.
    exit_code, dataset = check(project)
    assert (exit_code, dataset["decision"]) == (ExitCode.BLOCKED, "BLOCK_PIPELINE")
    project.dbt("test", *TESTS, expect_success=False)
    assert ci_results(project) == {
        "ci_orders_verdict_not_blocked": ("fail", "decision_at_or_above_block_pipeline"),
        "ci_orders_amount_psi_below": ("fail", "above_threshold"),
    }

    # The data is fixed. The same recipe now passes with no manual step: the
    # build's tests do not judge the old BLOCK, which is about older data.
    write_ci_model(project, "orders_nodrift")
    build = project.dbt("build", *SELECTION, expect_success=False)
    assert build.returncode == 0, build.stdout
    assert ci_results(project) == {
        "ci_orders_verdict_not_blocked": ("warn", "verdict_older_than_data"),
        "ci_orders_amount_psi_below": ("warn", "verdict_older_than_data"),
    }

    # Between the build and the check the latest profile run is unchecked:
    # a warning by default, an error with dqp_tests_strict. Each warning says
    # why on the console, since dbt itself prints only the count.
    unchecked = project.dbt("test", *TESTS)
    assert ci_results(project) == {
        "ci_orders_verdict_not_blocked": ("warn", "not_checked_yet"),
        "ci_orders_amount_psi_below": ("warn", "not_checked_yet"),
    }
    explained = [line for line in unchecked.stdout.splitlines() if "dqp test on " in line]
    assert len(explained) == 2 and all("not_checked_yet" in line and "run `dqp check`" in line for line in explained)
    assert any(".amount: not_checked_yet" in line for line in explained), explained
    strict = project.dbt("test", *TESTS, "--vars", "{dqp_tests_strict: true}", expect_success=False)
    assert strict.returncode == 1
    assert {status for status, _ in ci_results(project).values()} == {"fail"}

    exit_code, dataset = check(project)
    assert (exit_code, dataset["decision"]) == (ExitCode.OK, "NO_ACTION"), dataset["signals"]
    project.dbt("test", *TESTS)
    assert ci_results(project) == {
        "ci_orders_verdict_not_blocked": ("pass", None),
        "ci_orders_amount_psi_below": ("pass", None),
    }
