"""Every way out of `dqp check` has its documented exit code and a one-line
message: interruptions, corrupt audit rows, a malformed policy on one dataset,
unexpected errors, and the CLI's own rough edges (issue 10, items 5, 11, 18)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dqp_runner import check as check_module
from dqp_runner.cli import ExitCode, main
from tests.support.dbt_project import BIN, DbtProject

MESSAGE_PREFIX = "dqp: "


def _execute(project: DbtProject, sql: str, params: Sequence[Any] = ()) -> None:
    """Write to the target warehouse (DbtProject.query opens DuckDB read-only)."""
    sql = sql.replace("{schema}", '"' + project.schema + '"')
    if project.target == "duckdb":
        import duckdb

        with duckdb.connect(project.env["DQP_DUCKDB_PATH"]) as connection:
            connection.execute(sql.replace("%s", "?"), list(params))
        return
    connection = _pg_connect(project)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
        connection.commit()
    finally:
        connection.close()


def _pg_connect(project: DbtProject) -> Any:
    import psycopg2

    return psycopg2.connect(
        host=project.env["DQP_PG_HOST"], port=int(project.env["DQP_PG_PORT"]), user=project.env["DQP_PG_USER"],
        password=project.env["DQP_PG_PASSWORD"], dbname=project.env["DQP_PG_DBNAME"],
    )


def _audit_counts(project: DbtProject) -> tuple[int, int]:
    runs = project.query("select count(*) from {schema}.dqp_check_runs")[0][0]
    signals = project.query("select count(*) from {schema}.dqp_signals")[0][0]
    return int(runs), int(signals)


def _start_check(project: DbtProject, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, **project.env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.Popen(
        [str(BIN / "dqp"), "check", *args], cwd=project.path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


@contextmanager
def _held_lock(project: DbtProject) -> Iterator[Any]:
    """Block dqp check: DuckDB's single-writer file lock, or a PostgreSQL `lock table`."""
    if project.target == "duckdb":
        import duckdb

        connection = duckdb.connect(project.env["DQP_DUCKDB_PATH"])
        try:
            yield connection
        finally:
            connection.close()
        return
    connection = _pg_connect(project)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'lock table "{project.schema}".dqp_profile_runs in access exclusive mode')
        yield connection
    finally:
        connection.rollback()
        connection.close()


def _wait_until_blocked(project: DbtProject, process: subprocess.Popen[str]) -> None:
    """Return once dqp check is past dbt's parse and waiting on the lock."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if project.target == "postgres":
            # Its own connection: pg_stat_activity is a snapshot per transaction.
            rows = project.query(
                "select count(*) from pg_stat_activity where application_name = 'dqp check' "
                "and wait_event_type = 'Lock'"
            )
            if rows[0][0] > 0:
                return
        elif (project.path / "target" / "manifest.json").exists():
            time.sleep(2.0)  # the parse is written; connect() now retries on the held file lock
            return
        time.sleep(0.2)
    raise AssertionError("dqp check never reached the lock")


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_waiting_on_a_lock_exits_interrupted(
    built_project: DbtProject, signal_number: signal.Signals
) -> None:
    (built_project.path / "target" / "manifest.json").unlink(missing_ok=True)
    before = _audit_counts(built_project)
    with _held_lock(built_project):
        process = _start_check(built_project)
        _wait_until_blocked(built_project, process)
        process.send_signal(signal_number)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitCode.INTERRUPTED, (stdout, stderr)
    assert _error_lines(stderr) == [
        f"{MESSAGE_PREFIX}interrupted by {signal_number.name}: datasets already recorded stay, nothing else was written"
    ], stderr
    assert _audit_counts(built_project) == before


def _wait_for_scipy(process: subprocess.Popen[str]) -> None:
    """Return once the process maps scipy: dqp's own modules are loading."""
    maps = Path(f"/proc/{process.pid}/maps")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if "scipy" in maps.read_text():
            return
        time.sleep(0.01)
    raise AssertionError("dqp check never loaded scipy")


@pytest.mark.parametrize("moment", ["loading dqp's modules", "dbt parse"])
@pytest.mark.parametrize("target", ["duckdb"], scope="session")
def test_sigint_before_the_warehouse_exits_interrupted(built_project: DbtProject, moment: str) -> None:
    (built_project.path / "target" / "manifest.json").unlink(missing_ok=True)
    process = _start_check(built_project)
    _wait_for_scipy(process)
    if moment == "dbt parse":
        # dqp's modules are loaded; importing dbt and parsing the project take
        # seconds more, so a signal a second later lands inside them. (A fixed
        # sleep from the start raced with fast machines: the check could end first.)
        time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitCode.INTERRUPTED, (stdout, stderr)
    assert "Aborted!" not in stderr and "Traceback" not in stderr, stderr
    assert _error_lines(stderr) == [
        f"{MESSAGE_PREFIX}interrupted by SIGINT: datasets already recorded stay, nothing else was written"
    ]


CORRUPTIONS = [
    # (table, column, bad value, condition on the row)
    ("dqp_profile_runs", "policy", "{not json", ""),
    ("dqp_profile_runs", "critical_columns", "[amount", ""),
    ("dqp_profile_runs", "critical_columns", '{"amount": 1}', ""),
    ("dqp_column_profiles", "side", "sideways", " and column_name = 'amount' and side = 'current'"),
    ("dqp_column_profiles", "row_count", None, " and column_name = 'amount' and side = 'current'"),
    ("dqp_category_counts", "side", "elsewhere", " and side = 'reference'"),
]


@pytest.mark.parametrize("table,column,bad_value,condition", CORRUPTIONS)
def test_corrupt_audit_rows_are_a_computation_error_naming_dataset_table_and_value(
    built_project: DbtProject, table: str, column: str, bad_value: str | None, condition: str
) -> None:
    dataset = "orders_category_shift"
    where = f"where dataset_name = '{dataset}'{condition}"
    originals = built_project.query(f"select distinct {column} from {{schema}}.{table} {where}")
    assert len(originals) == 1, originals
    before = _audit_counts(built_project)
    _execute(built_project, f"update {{schema}}.{table} set {column} = %s {where}", [bad_value])
    original = originals[0][0]
    # A corrupted side no longer matches its own condition; the restore finds the bad value instead.
    restore_where = where.replace(f"side = '{original}'", f"side = '{bad_value}'") if column == "side" else where
    try:
        result = built_project.dqp("check")
    finally:
        _execute(built_project, f"update {{schema}}.{table} set {column} = %s {restore_where}", [original])
    assert result.returncode == ExitCode.COMPUTATION_ERROR, result.stdout + result.stderr
    lines = _error_lines(result.stderr)
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"dataset {dataset}" in lines[0] and table in lines[0] and f"{column} = {bad_value!r}" in lines[0]
    assert _audit_counts(built_project) == before


def test_a_malformed_policy_names_the_dataset_and_key_and_the_others_are_recorded(fresh_project: DbtProject) -> None:
    fresh_project.dbt("build")
    dataset = "orders_mean_shift"
    # The policy as the checker finds it, stored by the run and declared in
    # the project (the dbt-side validation of the policy lands separately).
    _execute(
        fresh_project, "update {schema}.dqp_profile_runs set policy = %s where dataset_name = %s",
        ['{"psi": {"mediumm": 0.15}}', dataset],
    )
    schema_yml = fresh_project.path / "models" / "scenarios" / "schema.yml"
    text = schema_yml.read_text()
    declaration = f"  - name: {dataset}\n    description: amount shifted up by two standard deviations.\n"
    assert declaration + "    config: {meta: {dqp: *orders_dqp}}\n" in text
    schema_yml.write_text(text.replace(
        declaration + "    config: {meta: {dqp: *orders_dqp}}\n",
        declaration + "    config: {meta: {dqp: {<<: *orders_dqp, policy: {psi: {mediumm: 0.15}}}}}\n",
    ))

    result = fresh_project.dqp("check", "--format", "json")
    assert result.returncode == ExitCode.CONFIG_ERROR, result.stdout + result.stderr
    document = json.loads(result.stdout)
    [error] = document["errors"]
    assert error["dataset_name"] == dataset and "psi.mediumm" in error["message"]
    assert dataset in result.stderr and "psi.mediumm" in result.stderr
    checked = {item["dataset_name"] for item in document["datasets"]}
    assert dataset not in checked and "orders_nodrift" in checked
    recorded = {row[0] for row in fresh_project.query("select dataset_name from {schema}.dqp_check_runs")}
    assert recorded == checked


def test_an_unexpected_error_is_an_internal_error_naming_the_dataset(
    built_project: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in built_project.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(built_project.path)

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(check_module, "score_and_decide", broken)
    result = CliRunner().invoke(main, ["check", "--dataset", "orders_nodrift", "--no-write"])
    assert result.exit_code == ExitCode.INTERNAL_ERROR, result.output
    assert "dataset orders_nodrift" in result.output and "ZeroDivisionError: injected" in result.output


@pytest.mark.parametrize("target", ["postgres"], scope="session")
def test_statement_timeout_defaults_to_the_project_var(built_project: DbtProject) -> None:
    with _held_lock(built_project):
        started = time.monotonic()
        result = built_project.dqp("check", "--vars", "{dqp_statement_timeout_seconds: 1}")
        elapsed = time.monotonic() - started
    assert result.returncode == ExitCode.WAREHOUSE_ERROR, result.stdout + result.stderr
    assert "statement timeout" in result.stderr
    assert elapsed < 60


def test_unknown_dataset_lists_the_declared_ones(built_project: DbtProject) -> None:
    result = built_project.dqp("check", "--dataset", "nope")
    assert result.returncode == ExitCode.CONFIG_ERROR
    [line] = _error_lines(result.stderr)
    assert "not declared in the project: nope" in line
    declared = line.split("declared datasets: ", 1)[1].split(", ")
    assert declared == sorted(declared) and {"edge_current", "events_daily", "orders_category_shift"} <= set(declared)


def test_a_bad_target_prints_dbts_error_once(built_project: DbtProject) -> None:
    result = built_project.dqp("check", "--target", "no_such_target")
    assert result.returncode == ExitCode.CONFIG_ERROR
    output = result.stdout + result.stderr
    assert output.count("does not have a target named 'no_such_target'") == 1, output
    assert result.stdout == ""


def test_success_is_quiet_and_json_stays_pure_when_dbt_prints(fresh_project: DbtProject) -> None:
    (fresh_project.path / "models" / "noisy.sql").write_text(
        '{% do print("dbt print noise") %}{% do log("dbt log noise", info=True) %}select 1 as one\n'
    )
    fresh_project.dbt("build")
    result = fresh_project.dqp("check", "--format", "json", "--dataset", "orders_nodrift")
    assert result.returncode == ExitCode.OK, result.stderr
    document = json.loads(result.stdout)  # nothing but the document
    assert document["datasets"][0]["profiled_at"].endswith("+00:00")
    assert "noise" not in result.stdout + result.stderr
    table = fresh_project.dqp("check", "--dataset", "orders_nodrift")
    assert table.returncode == ExitCode.OK and table.stderr == ""
    assert table.stdout.lstrip().startswith("dqp check"), table.stdout
