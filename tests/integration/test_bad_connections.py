"""Credentials, connections and command-line values that `dqp check` cannot
use: each exits with its documented code and one line on stderr, and records
nothing (docs/bad_inputs.md)."""

from __future__ import annotations

import socket
import uuid

import pytest

from dqp_runner.cli import ExitCode
from tests.support.dbt_project import DbtProject


def _with_env(project: DbtProject, **overrides: str) -> DbtProject:
    """The same built project, seen through other environment variables (the profile reads them)."""
    return DbtProject(project.path, project.target, dict(project.env, **overrides))


def _one_error_line(result_stderr: str) -> str:
    lines = [line for line in result_stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result_stderr, result_stderr
    return lines[0]


def _checks_recorded(project: DbtProject) -> int:
    return int(project.query("select count(*) from {schema}.dqp_check_runs")[0][0])


def test_missing_dqp_tables_are_a_warehouse_error(built_project: DbtProject) -> None:
    elsewhere = _with_env(built_project, DQP_SCHEMA=f"dqp_missing_{uuid.uuid4().hex[:8]}")
    result = elsewhere.dqp("check")
    assert result.returncode == ExitCode.WAREHOUSE_ERROR, result.stdout + result.stderr
    line = _one_error_line(result.stderr)
    assert line.startswith("dqp: warehouse error:") and "dqp_profile_runs" in line, line


@pytest.mark.parametrize("target", ["duckdb"], scope="session")
def test_a_missing_duckdb_file_is_a_warehouse_error(built_project: DbtProject) -> None:
    missing = built_project.path / "no_such_dir" / "nothing.duckdb"
    result = _with_env(built_project, DQP_DUCKDB_PATH=str(missing)).dqp("check")
    assert result.returncode == ExitCode.WAREHOUSE_ERROR, result.stdout + result.stderr
    line = _one_error_line(result.stderr)
    assert f"DuckDB database {missing} does not exist; run `dbt run` (or `dbt build`) first" in line, line
    assert not missing.exists()  # dqp check never creates an empty database


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nobody listens once the socket is closed


@pytest.mark.parametrize("target", ["postgres"], scope="session")
@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        # The throwaway server trusts every password, so a role it does not
        # know stands for rejected credentials: the same failed connect.
        ({"DQP_PG_USER": "no_such_role"}, 'role "no_such_role" does not exist'),
        ({"DQP_PG_HOST": "127.0.0.1", "DQP_PG_PORT": "closed"}, "Connection refused"),
        ({"DQP_PG_HOST": "no-such-host.invalid"}, "no-such-host.invalid"),
        ({"DQP_PG_DBNAME": "no_such_database"}, 'database "no_such_database" does not exist'),
    ],
    ids=["rejected_credentials", "nothing_listening", "unknown_host", "unknown_database"],
)
def test_an_unusable_connection_is_a_warehouse_error(
    built_project: DbtProject, overrides: dict[str, str], detail: str
) -> None:
    before = _checks_recorded(built_project)
    if overrides.get("DQP_PG_PORT") == "closed":
        overrides = dict(overrides, DQP_PG_PORT=str(_closed_port()))
    result = _with_env(built_project, **overrides).dqp("check")
    assert result.returncode == ExitCode.WAREHOUSE_ERROR, result.stdout + result.stderr
    line = _one_error_line(result.stderr)
    assert line.startswith("dqp: warehouse error: cannot connect to PostgreSQL at "), line
    assert detail in line, line
    assert _checks_recorded(built_project) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--run-id", "no-such-run"), "no complete profile run for any dataset with run_id no-such-run"),
        (("--dataset", "orders_nodrift", "--run-id", "no-such-run"),
         "no complete profile run for orders_nodrift with run_id no-such-run"),
        (("--vars", "{dqp_policy: 3}"), "var dqp_policy: expected a mapping of checker policy overrides, got 3"),
        (("--vars", "{dqp_statement_timeout_seconds: 0}"),
         "var dqp_statement_timeout_seconds: expected a positive integer, got 0"),
        (("--vars", "{dqp_policy: {psi: {medium: 0.5, high: 0.2}}}"), "'psi.medium' and 'psi.high'"),
        (("--vars", "{dqp_policy: [unclosed"), "dbt parse failed"),
        (("--profiles-dir", "no_such_profiles_dir"), "dbt parse failed"),
    ],
    ids=["unknown_run_id", "dataset_without_that_run", "policy_var_not_a_mapping", "timeout_var_zero",
         "policy_var_out_of_order", "vars_not_yaml", "profiles_dir_without_profiles"],
)
def test_a_bad_value_on_the_command_line_is_a_config_error(
    built_project: DbtProject, args: tuple[str, ...], message: str
) -> None:
    before = _checks_recorded(built_project)
    result = built_project.dqp("check", *args)
    assert result.returncode == ExitCode.CONFIG_ERROR, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert _checks_recorded(built_project) == before
