"""A real dbt project's first hour: the schema var set from the root project,
dataset names unique whatever is selected, and the package's contract tests
opt-in, on DuckDB and PostgreSQL."""

from __future__ import annotations

import json

import pytest

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


SCENARIOS = "models/scenarios/schema.yml"
NODRIFT = "    config: {meta: {dqp: *orders_dqp}}\n  - name: orders_mean_shift"


def _declare_nodrift(project: DbtProject, dqp: str) -> None:
    """Replace the declaration of the orders_nodrift seed with `meta: {dqp: <dqp>}`."""
    path = project.path / SCENARIOS
    text = path.read_text()
    assert NODRIFT in text
    path.write_text(text.replace(NODRIFT, "    config: {meta: {dqp: " + dqp + "}}\n  - name: orders_mean_shift", 1))


BUILD_ONE = ("build", "--select", "orders_nodrift", "orders_reference", "package:dqp")


@pytest.mark.parametrize(
    "dqp,command,message",
    [
        # item 9: an empty list is not "all columns"
        ("{reference: {relation: orders_reference}, columns: []}", ("compile",),
         "meta.dqp.columns: expected a non-empty list of column names, got []; omit the key to watch every column"),
        # item 11: windows beyond any date
        ("{reference: {time_column: order_id, reference_window_days: 100000000}}", ("compile",),
         "meta.dqp.reference.reference_window_days: expected a positive number of days, at most 36525 (100 years), "
         "got 100000000"),
        # item 11: budgets have an absolute ceiling, checked before any range is built
        ("{reference: {relation: orders_reference}, settings: {max_bins: 100000000, ks_quantile_edges: 100000000}}",
         ("compile",), "meta.dqp.settings.max_bins: expected at most 10000 (the absolute ceiling; "
         "from meta.dqp.settings.max_bins), got 100000000"),
        ("{reference: {relation: orders_reference}, settings: {max_categories: 100000000}}", ("compile",),
         "meta.dqp.settings.max_categories: expected at most 10000"),
        # item 11: a malformed policy fails dbt compile and dbt build on the dataset that declares it
        ("{reference: {relation: orders_reference}, policy: {psi: {medium: high}}}", ("compile",),
         "meta.dqp.policy.psi.medium: expected a finite number, got 'high'"),
        ("{reference: {relation: orders_reference}, policy: {psi: {medium: high}}}", BUILD_ONE,
         "meta.dqp.policy.psi.medium: expected a finite number, got 'high'"),
        ("{reference: {relation: orders_reference}, policy: {psi: {medum: 0.2}}}", ("compile",),
         "meta.dqp.policy.psi.medum: unknown policy key; expected one of medium, high, epsilon"),
        ("{reference: {relation: orders_reference}, policy: {psi: 0.2}}", ("compile",),
         "meta.dqp.policy.psi: expected a mapping of policy keys, got 0.2"),
        ("{reference: {relation: orders_reference}, policy: {schema: {added: loud}}}", ("compile",),
         "meta.dqp.policy.schema.added: expected one of info, low, medium, high, critical, got 'loud'"),
        ("{reference: {relation: orders_reference}, policy: {min_values: 2.5}}", ("compile",),
         "meta.dqp.policy.min_values: expected an integer, got 2.5"),
        ("{reference: {relation: orders_reference}, policy: {critical_columns: {escalate_high: 1}}}", ("compile",),
         "meta.dqp.policy.critical_columns.escalate_high: expected true or false, got 1"),
        # item 11: a time column that holds no time, under either anchor
        ("{reference: {time_column: channel}}", BUILD_ONE,
         "meta.dqp.reference.time_column: column 'channel' has type"),
        ("{reference: {time_column: order_id, anchor: run_started_at}}", BUILD_ONE,
         "meta.dqp.reference.time_column: column 'order_id' has type"),
    ],
)
def test_bad_declaration_names_node_key_value_and_expectation(
    fresh_project: DbtProject, dqp: str, command: tuple[str, ...], message: str
) -> None:
    _declare_nodrift(fresh_project, dqp)
    result = fresh_project.dbt(*command, expect_success=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert message in output, output
    assert "seed 'orders_nodrift' (seed.dqp_integration_tests.orders_nodrift)" in output, output
    if "time_column" in message:
        assert "expected a date or timestamp column" in output, output


def _listed(project: DbtProject, *selection: str) -> list[str]:
    result = project.dbt(
        "ls", "-q", "--resource-type", "test", "--output", "name", "--indirect-selection", "empty", *selection
    )
    return sorted(line.strip() for line in result.stdout.splitlines() if line.strip())


def test_contract_tests_are_opt_in_through_a_root_project_var(fresh_project: DbtProject) -> None:
    path = fresh_project.path / "dbt_project.yml"
    text = path.read_text()
    assert "    dqp_contract_tests: true\n" in text  # the integration project turns them on
    contract = _listed(fresh_project, "--select", "tag:dqp_contract")
    package_tests = _listed(fresh_project, "--select", "package:dqp")
    assert len(contract) > 50
    assert sorted([*contract, "dqp_check_runs_decisions_are_explained"]) == package_tests

    # A user project that says nothing: only the cheap audit invariant runs.
    path.write_text(text.replace("    dqp_contract_tests: true\n", ""))
    assert _listed(fresh_project, "--select", "package:dqp") == ["dqp_check_runs_decisions_are_explained"]
    assert _listed(fresh_project, "--select", "tag:dqp_contract") == []
    # ... and one root-project var (or --vars) turns them on again.
    assert _listed(fresh_project, "--select", "tag:dqp_contract", "--vars", "{dqp_contract_tests: true}") == contract
    _set_root_vars(fresh_project, "  dqp_contract_tests: true\n")
    assert _listed(fresh_project, "--select", "tag:dqp_contract") == contract
