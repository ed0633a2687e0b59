"""Malformed declarations fail dbt with a message naming the node and key, and
the current side is always profiled as rebuilt in the same invocation."""

from __future__ import annotations

import shutil

import pytest

from tests.support.dbt_project import DbtProject

SCENARIOS = "models/scenarios/schema.yml"
GOOD = "    config: {meta: {dqp: *orders_dqp}}\n  - name: orders_mean_shift"


def _declare(project: DbtProject, replacement: str) -> None:
    path = project.path / SCENARIOS
    text = path.read_text()
    assert GOOD in text
    path.write_text(text.replace(GOOD, replacement + "\n  - name: orders_mean_shift", 1))


@pytest.mark.parametrize(
    "declaration,command,message",
    [
        ("    config: {meta: {dqp: {reference: {relation: orders_reference}, colums: [amount]}}}",
         "compile", "meta.dqp.colums: unknown key"),
        ("    config: {meta: {dqp: {reference: {relation: no_such_model}}}}",
         "compile", "unknown reference 'no_such_model'"),
        ("    config: {meta: {dqp: {reference: {relation: orders_reference}, critical_columns: amount}}}",
         "compile", "meta.dqp.critical_columns: expected a list of column names"),
        ("    config: {meta: {dqp: {reference: {relation: orders_reference}, settings: {psi_bins: many}}}}",
         "compile", "meta.dqp.settings.psi_bins: expected a positive integer"),
        ("    config: {meta: {dqp: {reference: {relation: orders_reference}, settings: {ks_quantile_edges: 5000}}}}",
         "compile", "over budget"),
        ("    config: {meta: {dqp: {reference: {time_column: created_at, relation: orders_reference}}}}",
         "compile", "expected exactly one of 'relation'"),
        ("    config: {meta: {dqp: {reference: {relation: orders_reference}, columns: [amount, no_such_column]}}}",
         "build", "column 'no_such_column' does not exist"),
    ],
)
@pytest.mark.parametrize("target", ["duckdb"], scope="session")
def test_malformed_declaration_fails_with_a_clear_message(
    fresh_project: DbtProject, declaration: str, command: str, message: str
) -> None:
    _declare(fresh_project, declaration)
    result = fresh_project.dbt(command, expect_success=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert message in output, output
    assert "orders_nodrift" in output  # names the node


def test_current_side_is_profiled_as_rebuilt(fresh_project: DbtProject) -> None:
    fresh_project.dbt("build")
    before = _current_mean(fresh_project)
    seeds = fresh_project.path / "seeds"
    shutil.copy(seeds / "orders_mean_shift.csv", seeds / "orders_nodrift.csv")
    fresh_project.dbt("build")
    after = _current_mean(fresh_project)
    assert after == pytest.approx(before + 30.0, abs=2.0)  # the shifted data, not the old table


def _current_mean(project: DbtProject) -> float:
    rows = project.query(
        "select mean_value from {schema}.dqp_column_profiles where dataset_name = 'orders_model' "
        "and side = 'current' and column_name = 'amount' order by profiled_at desc limit 1"
    )
    return float(rows[0][0])
