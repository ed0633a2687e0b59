"""Bad `meta.dqp` declarations and vars each fail dbt with one message naming
the node, the key, the value and what was expected (docs/bad_inputs.md).

One project copy per module serves every case: each case rewrites the
declaration of a probe model and runs one dbt command, so the cases cost a
parse each, not a build. Compile-time cases touch no warehouse and run on
DuckDB; cases the hook finds by reading the warehouse run on both engines.
"""

from __future__ import annotations

import uuid

import pytest

from tests.support.dbt_project import DbtProject

PROBE = "bad_input_probe"
NODE = f"model '{PROBE}' (model.dqp_integration_tests.{PROBE})"
REFERENCE = "{relation: orders_reference}"


@pytest.fixture(scope="module")
def probe_project(tmp_path_factory: pytest.TempPathFactory, target: str, target_env: dict[str, str]) -> DbtProject:
    """A copy with the dqp tables, the reference seed and a probe model over it (profiling off while building)."""
    env = dict(target_env, DQP_SCHEMA=f"dqp_it_{uuid.uuid4().hex[:8]}")
    project = DbtProject.copy(tmp_path_factory.mktemp(f"bad_declarations_{target}"), target, env)
    folder = project.path / "models" / "bad_inputs"
    folder.mkdir()
    (folder / f"{PROBE}.sql").write_text("select * from {{ ref('orders_reference') }}\n")
    _declare(project, "{reference: " + REFERENCE + "}")
    project.dbt("deps")
    project.dbt("seed", "--select", "orders_reference", "--vars", "{dqp_enabled: false}")
    project.dbt("run", "--select", "package:dqp", PROBE, "--vars", "{dqp_enabled: false}")
    return project


def _declare(project: DbtProject, dqp: str) -> None:
    (project.path / "models" / "bad_inputs" / f"{PROBE}.yml").write_text(
        f"version: 2\nmodels:\n  - name: {PROBE}\n    config:\n      meta:\n        dqp: {dqp}\n"
    )


def _fails_with(project: DbtProject, dqp: str, args: tuple[str, ...], message: str, names_node: bool = True) -> None:
    _declare(project, dqp)
    try:
        result = project.dbt(*args, expect_success=False)
    finally:
        _declare(project, "{reference: " + REFERENCE + "}")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert message in output, output
    if names_node:
        assert NODE in output, output
    assert "Traceback" not in output, output


COMPILE = ("compile", "--select", "dqp_datasets")

COMPILE_CASES = [
    # (id, declaration, extra dbt args, expected message)
    ("not_a_mapping", "[amount]", (), "meta.dqp: expected a mapping of dqp keys, got ['amount']"),
    ("empty_dataset_name", "{dataset_name: ' ', reference: " + REFERENCE + "}", (),
     "meta.dqp.dataset_name: expected a non-empty string"),
    ("enabled_not_boolean", "{enabled: 'yes', reference: " + REFERENCE + "}", (),
     "meta.dqp.enabled: expected true or false, got yes"),
    ("reference_missing", "{critical_columns: [amount]}", (),
     "meta.dqp.reference: expected a mapping with either 'relation' or 'time_column', got None"),
    ("reference_unknown_key", "{reference: {relation: orders_reference, window: 3}}", (),
     "meta.dqp.reference.window: unknown key"),
    ("unknown_source", "{reference: {relation: raw.no_such_table}}", (),
     "meta.dqp.reference.relation: unknown reference 'raw.no_such_table'"),
    ("relation_not_a_name", "{reference: {relation: [orders_reference]}}", (),
     "meta.dqp.reference.relation: expected the name of a model, seed, snapshot or source"),
    ("time_column_not_a_name", "{reference: {time_column: [event_at]}}", (),
     "meta.dqp.reference.time_column: expected a column name, got ['event_at']"),
    ("window_zero", "{reference: {time_column: event_at, current_window_days: 0}}", (),
     "meta.dqp.reference.current_window_days: expected a positive number of days, at most 36525 (100 years), got 0"),
    ("window_not_a_number", "{reference: {time_column: event_at, reference_window_days: month}}", (),
     "meta.dqp.reference.reference_window_days: expected a positive number of days"),
    ("anchor_unknown", "{reference: {time_column: event_at, anchor: now}}", (),
     "meta.dqp.reference.anchor: expected 'max' (latest value of the time column) or 'run_started_at', got now"),
    ("columns_not_names", "{reference: " + REFERENCE + ", columns: [1, 2]}", (),
     "meta.dqp.columns: expected a list of column names, got [1, 2]"),
    ("exclude_columns_a_string", "{reference: " + REFERENCE + ", exclude_columns: order_id}", (),
     "meta.dqp.exclude_columns: expected a list of column names, got order_id"),
    ("column_kinds_a_list", "{reference: " + REFERENCE + ", column_kinds: [amount]}", (),
     "meta.dqp.column_kinds: expected a mapping of column name to numeric, categorical, temporal or other"),
    ("column_kind_unknown", "{reference: " + REFERENCE + ", column_kinds: {amount: number}}", (),
     "meta.dqp.column_kinds.amount: expected 'numeric', 'categorical', 'temporal' or 'other', got number"),
    ("settings_a_list", "{reference: " + REFERENCE + ", settings: [psi_bins]}", (),
     "meta.dqp.settings: expected a mapping, got ['psi_bins']"),
    ("setting_unknown", "{reference: " + REFERENCE + ", settings: {psi_bin: 5}}", (),
     "meta.dqp.settings.psi_bin: unknown setting; expected one of psi_bins"),
    ("setting_zero", "{reference: " + REFERENCE + ", settings: {top_k_categories: 0}}", (),
     "meta.dqp.settings.top_k_categories: expected a positive integer "
     "(from meta.dqp.settings.top_k_categories), got 0"),
    ("row_budget_negative", "{reference: " + REFERENCE + ", settings: {row_budget: -5}}", (),
     "meta.dqp.settings.row_budget: expected none, 0 (always exact) or a positive integer row count "
     "(from meta.dqp.settings.row_budget), got -5"),
    ("setting_negative_float", "{reference: " + REFERENCE + ", settings: {iqr_multiplier: -1.5}}", (),
     "meta.dqp.settings.iqr_multiplier: expected a positive number (from meta.dqp.settings.iqr_multiplier), got -1.5"),
    ("setting_boolean", "{reference: " + REFERENCE + ", settings: {zscore_threshold: true}}", (),
     "meta.dqp.settings.zscore_threshold: expected a positive number"),
    ("psi_bins_one", "{reference: " + REFERENCE + ", settings: {psi_bins: 1}}", (),
     "meta.dqp.settings: psi_bins and ks_quantile_edges must be at least 2"),
    ("top_k_over_budget", "{reference: " + REFERENCE + ", settings: {top_k_categories: 600}}", (),
     "meta.dqp.settings.top_k_categories: over budget: 600 exceeds max_categories = 500"),
    ("max_columns_ceiling", "{reference: " + REFERENCE + ", settings: {max_columns: 6000}}", (),
     "meta.dqp.settings.max_columns: expected at most 5000 (the absolute ceiling"),
    ("ks_exact_ceiling", "{reference: " + REFERENCE + ", settings: {ks_exact_max_distinct: 2000000}}", (),
     "meta.dqp.settings.ks_exact_max_distinct: expected at most 1000000"),
    ("statement_timeout_ceiling", "{reference: " + REFERENCE + ", settings: {statement_timeout_seconds: 3000000}}",
     (), "meta.dqp.settings.statement_timeout_seconds: expected at most 2147483"),
    ("policy_not_a_mapping", "{reference: " + REFERENCE + ", policy: 3}", (),
     "meta.dqp.policy: expected a mapping of checker policy overrides (docs/policy.md), got 3"),
    ("var_budget_over_ceiling", "{reference: " + REFERENCE + "}", ("--vars", "{dqp_max_bins: 100000000}"),
     "meta.dqp.settings.max_bins: expected at most 10000 (the absolute ceiling; from var dqp_max_bins), got 100000000"),
    ("var_setting_not_a_number", "{reference: " + REFERENCE + "}", ("--vars", "{dqp_psi_bins: ten}"),
     "meta.dqp.settings.psi_bins: expected a positive integer (from var dqp_psi_bins), got ten"),
]

# The var dqp_policy belongs to no node: the message names the var instead.
VAR_POLICY_CASES = [
    ("var_policy_not_a_mapping", ("--vars", "{dqp_policy: 3}"),
     "dqp: var dqp_policy: expected a mapping of checker policy overrides, got 3"),
    ("var_policy_unknown_key", ("--vars", "{dqp_policy: {psi: {medum: 0.2}}}"),
     "dqp: var dqp_policy: psi.medum: unknown policy key; expected one of medium, high, epsilon"),
]


@pytest.mark.parametrize("target", ["duckdb"], scope="session")
@pytest.mark.parametrize(("dqp", "args", "message"), [case[1:] for case in COMPILE_CASES],
                         ids=[case[0] for case in COMPILE_CASES])
def test_bad_declaration_fails_dbt_compile(probe_project: DbtProject, dqp: str, args: tuple[str, ...],
                                           message: str) -> None:
    _fails_with(probe_project, dqp, (*COMPILE, *args), message)


@pytest.mark.parametrize("target", ["duckdb"], scope="session")
@pytest.mark.parametrize(("args", "message"), [case[1:] for case in VAR_POLICY_CASES],
                         ids=[case[0] for case in VAR_POLICY_CASES])
def test_bad_var_dqp_policy_fails_dbt_compile(probe_project: DbtProject, args: tuple[str, ...], message: str) -> None:
    _fails_with(probe_project, "{reference: " + REFERENCE + "}", (*COMPILE, *args), message, names_node=False)


RUN = ("run", "--select", PROBE)

# Found when the hook reads the warehouse's columns: both engines.
WAREHOUSE_CASES = [
    ("exclude_unknown_column", "{reference: " + REFERENCE + ", exclude_columns: [no_such_column]}",
     "meta.dqp.exclude_columns: column 'no_such_column' does not exist in"),
    ("critical_unknown_column", "{reference: " + REFERENCE + ", critical_columns: [amont]}",
     "meta.dqp.critical_columns: column 'amont' does not exist in"),
    ("column_kind_unknown_column", "{reference: " + REFERENCE + ", column_kinds: {no_such_column: numeric}}",
     "meta.dqp.column_kinds.no_such_column: column 'no_such_column' does not exist in"),
    ("numeric_kind_on_text", "{reference: " + REFERENCE + ", column_kinds: {channel: numeric}}",
     "meta.dqp.column_kinds.channel: cannot be 'numeric': the column's type is"),
    ("time_column_unknown", "{reference: {time_column: event_at}}",
     "meta.dqp.reference.time_column: column 'event_at' does not exist in"),
    ("reference_never_built", "{reference: {relation: orders_nodrift}}",
     "meta.dqp.reference: the reference relation "),
    ("over_max_columns", "{reference: " + REFERENCE + ", settings: {max_columns: 1}}",
     "meta.dqp.columns: over budget: "),
]


@pytest.mark.parametrize(("dqp", "message"), [case[1:] for case in WAREHOUSE_CASES],
                         ids=[case[0] for case in WAREHOUSE_CASES])
def test_bad_declaration_found_in_the_warehouse_fails_dbt_run(probe_project: DbtProject, dqp: str,
                                                              message: str) -> None:
    _fails_with(probe_project, dqp, RUN, message)
    rows = probe_project.query(f"select count(*) from {{schema}}.dqp_profile_runs where dataset_name = '{PROBE}'")
    assert rows[0][0] == 0  # nothing profiled under the bad declaration
