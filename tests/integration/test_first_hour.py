"""A real dbt project's first hour: the schema var set from the root project,
dataset names unique whatever is selected, and the package's contract tests
opt-in, on DuckDB and PostgreSQL."""

from __future__ import annotations

import json

from dqp_runner.cli import ExitCode
from tests.support.dbt_project import DbtProject

STORAGE_AND_AUDIT = (
    "dqp_profile_runs", "dqp_column_profiles", "dqp_histograms", "dqp_category_counts",
    "dqp_schema_snapshots", "dqp_check_runs", "dqp_signals", "dqp_datasets", "dqp_latest_verdicts",
)


def _set_root_vars(project: DbtProject, lines: str) -> None:
    """Add top-level entries to the root project's `vars:` block (not under `dqp:`)."""
    path = project.path / "dbt_project.yml"
    text = path.read_text()
    assert "\nvars:\n" in text
    path.write_text(text.replace("\nvars:\n", "\nvars:\n" + lines, 1))


def _tables_in(project: DbtProject, schema: str) -> set[str]:
    rows = project.query(
        "select table_name from information_schema.tables where table_schema = '" + schema + "'"
    )
    return {row[0] for row in rows}


def test_dqp_schema_var_from_the_root_project_places_the_tables_and_dqp_check_finds_them(
    fresh_project: DbtProject,
) -> None:
    _set_root_vars(fresh_project, "  dqp_schema: dq\n")
    fresh_project.dbt("build")
    custom = fresh_project.schema + "_dq"  # dbt's default generate_schema_name: <target schema>_<custom>
    assert set(STORAGE_AND_AUDIT) <= _tables_in(fresh_project, custom)
    assert not set(STORAGE_AND_AUDIT) & _tables_in(fresh_project, fresh_project.schema)
    profiled = fresh_project.query(f'select count(*) from "{custom}".dqp_profile_runs')[0][0]
    assert profiled > 0

    result = fresh_project.dqp("check", "--format", "json")
    assert result.returncode in (ExitCode.OK, ExitCode.BLOCKED), result.stdout + result.stderr
    checked = {item["dataset_name"] for item in json.loads(result.stdout)["datasets"]}
    assert "orders_mean_shift" in checked
    recorded = fresh_project.query(f'select count(distinct dataset_name) from "{custom}".dqp_check_runs')[0][0]
    assert recorded == len(checked)


def test_duplicate_dataset_name_fails_whatever_is_selected(fresh_project: DbtProject) -> None:
    fresh_project.dbt("seed", "--select", "orders_nodrift", "orders_reference", "--vars", "{dqp_enabled: false}")
    fresh_project.dbt("run", "--select", "package:dqp", "orders_model", "--vars", "{dqp_enabled: false}")
    twin = fresh_project.path / "models" / "scenarios" / "orders_model_twin.sql"
    twin.write_text(
        "{{ config(meta={'dqp': {'dataset_name': 'orders_model', 'reference': {'relation': 'orders_reference'}}}) }}\n"
        "select * from {{ ref('orders_nodrift') }}\n"
    )
    for selected in ("orders_model", "orders_model_twin"):
        result = fresh_project.dbt("run", "--select", selected, expect_success=False)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert "dataset_name 'orders_model' is declared by 2 nodes" in output, output
        assert "model.dqp_integration_tests.orders_model," in output, output
        assert "model.dqp_integration_tests.orders_model_twin" in output, output
    # Nothing was profiled under the contested name by either selective run.
    rows = fresh_project.query("select count(*) from {schema}.dqp_profile_runs where dataset_name = 'orders_model'")
    assert rows[0][0] == 0
