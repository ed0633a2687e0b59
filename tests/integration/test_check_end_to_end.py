"""`dqp check` on the real integration project: verdicts, explanations, audit
identity, atomic writes and exit codes, on DuckDB and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from dqp_runner.check import compute_checks, record_checks
from dqp_runner.cli import ExitCode
from dqp_runner.project import default_profiles_dir, load_project_target
from dqp_runner.warehouse import Warehouse, WarehouseError, connect
from tests.support.dbt_project import DbtProject


def check_json(project: DbtProject, *args: str) -> tuple[int, dict[str, dict[str, Any]]]:
    result = project.dqp("check", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr + result.stdout
    document = json.loads(result.stdout)
    return result.returncode, {item["dataset_name"]: item for item in document["datasets"]}


@pytest.fixture(scope="session")
def first_check(built_project: DbtProject) -> tuple[int, dict[str, dict[str, Any]]]:
    return check_json(built_project)


def audit_counts(project: DbtProject) -> tuple[int, int]:
    runs = project.query("select count(*) from {schema}.dqp_check_runs")[0][0]
    signals = project.query("select count(*) from {schema}.dqp_signals")[0][0]
    return int(runs), int(signals)


def test_no_drift_gives_no_action(first_check: tuple[int, dict[str, dict[str, Any]]]) -> None:
    _, datasets = first_check
    for name in ("orders_nodrift", "orders_model"):
        assert datasets[name]["decision"] == "NO_ACTION", datasets[name]["signals"]
        assert datasets[name]["health_score"] == 100.0


def test_mean_shift_on_critical_column_blocks_with_explanations(
    built_project: DbtProject, first_check: tuple[int, dict[str, dict[str, Any]]]
) -> None:
    exit_code, datasets = first_check
    assert exit_code == ExitCode.BLOCKED
    shifted = datasets["orders_mean_shift"]
    assert shifted["decision"] == "BLOCK_PIPELINE"
    fired = {(s["column_name"], s["signal_type"]) for s in shifted["signals"]}
    assert {("amount", "ks"), ("amount", "psi")} <= fired
    stored = built_project.query(
        "select column_name, signal_type, severity, score_impact, recommended_action from {schema}.dqp_signals "
        "where dataset_name = 'orders_mean_shift'"
    )
    assert {("amount", "ks"), ("amount", "psi")} <= {(row[0], row[1]) for row in stored}
    assert all(row[3] > 0 and row[4] for row in stored if row[1] in ("ks", "psi"))


def test_null_spike_warns_at_least(first_check: tuple[int, dict[str, dict[str, Any]]]) -> None:
    null_spike = first_check[1]["orders_null_spike"]
    assert null_spike["decision"] in ("WARN", "BLOCK_PIPELINE")
    assert any(s["signal_type"] == "null_rate" and s["column_name"] == "amount" for s in null_spike["signals"])


def test_removed_column_is_a_schema_change(first_check: tuple[int, dict[str, dict[str, Any]]]) -> None:
    signals = first_check[1]["orders_schema_change"]["signals"]
    assert any(s["signal_type"] == "schema_change" and s["column_name"] == "quantity" for s in signals)
    assert any(s["signal_type"] == "schema_change" and s["column_name"] == "discount" for s in signals)


def test_every_decision_above_no_action_is_explained(built_project: DbtProject, first_check: Any) -> None:
    unexplained = built_project.query(
        "select runs.dataset_name from {schema}.dqp_check_runs as runs where runs.decision_rank > 0 and not exists ("
        " select 1 from {schema}.dqp_signals as signals where signals.dataset_name = runs.dataset_name"
        " and signals.run_id = runs.run_id and signals.severity <> 'info')"
    )
    assert unexplained == []


def test_checking_the_same_run_again_adds_no_rows(built_project: DbtProject, first_check: Any) -> None:
    before = audit_counts(built_project)
    exit_code, datasets = check_json(built_project)
    assert audit_counts(built_project) == before
    assert {item["outcome"] for item in datasets.values()} == {"already_recorded"}
    assert exit_code == first_check[0]
    table = built_project.dqp("check")
    assert "already recorded" in table.stdout


def test_concurrent_checks_leave_one_set_of_rows(fresh_project: DbtProject) -> None:
    fresh_project.dbt("build")
    # Two real processes checking the same runs at the same time.
    processes = [
        subprocess.Popen(
            [_dqp_bin(), "check", "--format", "json"],
            cwd=fresh_project.path, env=_env(fresh_project), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=600) for process in processes]
    assert all(process.returncode in (0, 1) for process in processes), outputs
    outcomes = [{d["dataset_name"]: d["outcome"] for d in json.loads(out)["datasets"]} for out, _ in outputs]
    for dataset in outcomes[0]:
        assert sorted([outcomes[0][dataset], outcomes[1][dataset]]) == ["already_recorded", "written"]
    per_run = fresh_project.query(
        "select dataset_name, run_id, count(*) from {schema}.dqp_check_runs group by dataset_name, run_id"
    )
    assert per_run and all(row[2] == 1 for row in per_run)
    signals_per_run = fresh_project.query(
        "select dataset_name, count(*), count(distinct signal_index) from {schema}.dqp_signals group by dataset_name"
    )
    assert all(row[1] == row[2] for row in signals_per_run)


class _FailingCursor:
    """Lets the check row in, then fails the signal rows: a write broken part-way."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.cursor.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> Any:
        raise RuntimeError("injected failure on the last insert")


def test_a_write_failing_part_way_leaves_the_audit_tables_unchanged(
    fresh_project: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_project.dbt("build")
    for key, value in fresh_project.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(fresh_project.path)
    target = load_project_target(fresh_project.path, default_profiles_dir(fresh_project.path), None, None)
    warehouse = connect(target, 60)
    original = Warehouse.transaction

    def failing_transaction(self: Warehouse) -> Any:
        from contextlib import contextmanager

        @contextmanager
        def wrapped() -> Any:
            with original(self) as cursor:
                yield _FailingCursor(cursor)

        return wrapped()

    try:
        checks = compute_checks(warehouse, ["orders_mean_shift"], None)
        warehouse.ensure_identity_index()
        monkeypatch.setattr(Warehouse, "transaction", failing_transaction)
        with pytest.raises(WarehouseError, match="nothing was recorded"):
            record_checks(warehouse, checks)
    finally:
        monkeypatch.setattr(Warehouse, "transaction", original)
        warehouse.close()
    assert audit_counts(fresh_project) == (0, 0)


def test_usage_and_config_errors_have_their_own_exit_code(built_project: DbtProject) -> None:
    assert built_project.dqp("check", "--target", "no_such_target").returncode == ExitCode.CONFIG_ERROR
    assert built_project.dqp("check", "--dataset", "no_such_dataset").returncode == ExitCode.CONFIG_ERROR
    assert built_project.dqp("check", "--format", "xml").returncode == ExitCode.CONFIG_ERROR
    help_text = built_project.dqp("check", "--help").stdout
    assert "Exit codes" in help_text and "BLOCK_PIPELINE" in help_text


def test_fail_on_warn_fails_on_warn(built_project: DbtProject, first_check: Any) -> None:
    result = built_project.dqp("check", "--dataset", "orders_schema_change", "--fail-on", "warn", "--no-write")
    assert first_check[1]["orders_schema_change"]["decision"] == "WARN"
    assert result.returncode == ExitCode.BLOCKED
    passing = built_project.dqp("check", "--dataset", "orders_schema_change", "--no-write")
    assert passing.returncode == ExitCode.OK


def _dqp_bin() -> str:
    from tests.support.dbt_project import BIN

    return str(BIN / "dqp")


def _env(project: DbtProject) -> dict[str, str]:
    import os

    return {**os.environ, **project.env}


def test_every_metric_and_the_decision_reason_are_recorded(
    built_project: DbtProject, first_check: tuple[int, dict[str, dict[str, Any]]]
) -> None:
    """Issue 9: every computed metric of every check, fired or not, is stored with the check."""
    _, datasets = first_check
    for name, item in datasets.items():
        assert item["decision_reason"], name
        [(reason, metric_count, stored)] = built_project.query(
            "select runs.decision_reason, runs.metric_count, "
            "(select count(*) from {schema}.dqp_column_metrics as metrics where metrics.check_id = runs.check_id) "
            f"from {{schema}}.dqp_check_runs as runs where runs.check_id = '{item['check_id']}'"
        )
        assert (reason, metric_count, stored) == (item["decision_reason"], item["metric_count"], item["metric_count"])
        assert metric_count > 0, name
    # Every fired signal has its metric row in the same check, in state 'fired'.
    unmatched = built_project.query(
        "select signals.dataset_name, signals.column_name, signals.signal_type from {schema}.dqp_signals as signals "
        "where signals.severity <> 'info' and not exists (select 1 from {schema}.dqp_column_metrics as metrics "
        "where metrics.check_id = signals.check_id and metrics.signal_type = signals.signal_type "
        "and metrics.state = 'fired' and coalesce(metrics.column_name, '') = coalesce(signals.column_name, ''))"
    )
    assert unmatched == []


def test_no_action_shows_its_near_misses_and_cut_signals_say_how_many(
    built_project: DbtProject, first_check: tuple[int, dict[str, dict[str, Any]]]
) -> None:
    _, datasets = first_check
    quiet = datasets["orders_nodrift"]
    assert quiet["decision"] == "NO_ACTION" and quiet["near_misses"], quiet
    closeness = [miss["firing_closeness"] for miss in quiet["near_misses"]]
    assert closeness == sorted(closeness, reverse=True)
    assert all(miss["state"] == "below_threshold" for miss in quiet["near_misses"])
    table = built_project.dqp("check", "--dataset", "orders_nodrift", "--no-write").stdout
    assert "orders_nodrift: closest near-misses" in table, table
    assert quiet["near_misses"][0]["metric_name"] in table

    busiest = max(datasets.values(), key=lambda item: len(item["signals"]))
    assert len(busiest["signals"]) > 5, "the integration project has a dataset with more than 5 signals"
    table = built_project.dqp("check", "--dataset", busiest["dataset_name"], "--no-write").stdout
    assert f"+{len(busiest['signals']) - 5} more" in table, table
    assert "why" in table


def test_policy_is_resolved_at_check_time_and_a_recheck_is_a_new_check(
    built_project: DbtProject, first_check: tuple[int, dict[str, dict[str, Any]]]
) -> None:
    """Issue 9: --vars '{dqp_policy: ...}' applies at check time; an old run is re-judged only with --recheck."""
    dataset = "orders_model"
    default = first_check[1][dataset]
    assert default["decision"] == "NO_ACTION"
    strict_vars = "{dqp_policy: {volume: {medium: 0.1, high: 0.2}}}"  # 2,000 current rows against 3,000

    def run(*args: str) -> dict[str, Any]:
        _, datasets = check_json(built_project, "--dataset", dataset, "--vars", strict_vars, *args)
        return datasets[dataset]

    def checks_of_run() -> list[tuple[Any, ...]]:
        return built_project.query(
            "select check_id, decision, policy, resolved_policy, is_recheck from {schema}.dqp_check_runs "
            f"where dataset_name = '{dataset}' and run_id = '{default['run_id']}' order by checked_at"
        )

    assert len(checks_of_run()) == 1
    refused = run()
    assert refused["outcome"] == "checked_with_other_policy"
    assert refused["decision"] != "NO_ACTION" and refused["policy_fingerprint"] != default["policy_fingerprint"]
    assert any(s["signal_type"] == "volume" for s in refused["signals"]), refused["signals"]
    assert len(checks_of_run()) == 1  # nothing written

    rechecked = run("--recheck")
    assert rechecked["outcome"] == "written"
    rows = checks_of_run()
    assert [row[0] for row in rows] == [default["check_id"], rechecked["check_id"]]
    assert json.loads(rows[1][2]) == {"volume": {"medium": 0.1, "high": 0.2}}
    assert json.loads(rows[1][3])["volume.medium"] == 0.1 and rows[1][4] is True
    assert rows[0][1] == "NO_ACTION"  # the old check is untouched

    # The same policy again is idempotent, with or without --recheck.
    assert run("--recheck")["outcome"] == "already_recorded"
    assert check_json(built_project, "--dataset", dataset)[1][dataset]["outcome"] == "already_recorded"
    assert len(checks_of_run()) == 2

    # The verdict about the dataset is the latest check of its latest run: the recheck.
    [(check_id, decision)] = built_project.query(
        f"select check_id, decision from {{schema}}.dqp_latest_verdicts where dataset_name = '{dataset}'"
    )
    assert (check_id, decision) == (rechecked["check_id"], rechecked["decision"])
