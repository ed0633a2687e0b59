"""Shared fixtures: a real DuckDB file and a real PostgreSQL server per session.

`pytest --target duckdb|postgres|all` (default all) picks the warehouses.
PostgreSQL comes from DQP_TEST_POSTGRES_URL or a throwaway cluster started
here; when neither can be had the tests error out - they never skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.support.dbt_project import DbtProject
from tests.support.postgres import PostgresServer, ThrowawayPostgres, from_url

TARGETS = ("duckdb", "postgres")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--target", action="store", default="all", choices=["all", *TARGETS],
        help="Warehouse(s) for the integration tests (default: all).",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    explicit = any(mark.args and mark.args[0] == "target" for mark in metafunc.definition.iter_markers("parametrize"))
    if "target" in metafunc.fixturenames and not explicit:
        chosen = metafunc.config.getoption("--target")
        metafunc.parametrize("target", list(TARGETS) if chosen == "all" else [chosen], scope="session")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    url = os.environ.get("DQP_TEST_POSTGRES_URL")
    if url:
        yield from_url(url)
        return
    server = ThrowawayPostgres()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def target_env(request: pytest.FixtureRequest, target: str) -> dict[str, str]:
    """Environment for dbt and dqp on one target, with a schema of its own."""
    env = {"DQP_TARGET": target, "DQP_SCHEMA": f"dqp_it_{uuid.uuid4().hex[:8]}"}
    if target == "postgres":
        env.update(request.getfixturevalue("postgres_server").env())
    return env


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory, target: str, target_env: dict[str, str]) -> DbtProject:
    """The integration project, copied and built once per target (`dbt deps`, `dbt build`).

    The build profiles every declared dataset on run end; no `dqp check` runs
    here, so tests that need verdicts run it themselves.
    """
    project = DbtProject.copy(tmp_path_factory.mktemp(f"it_{target}"), target, target_env)
    project.dbt("deps")
    project.dbt("build")
    return project


@pytest.fixture()
def fresh_project(tmp_path_factory: pytest.TempPathFactory, target: str, target_env: dict[str, str]) -> DbtProject:
    """An unbuilt copy with its own schema, for tests that change files or fail on purpose."""
    env = dict(target_env, DQP_SCHEMA=f"dqp_it_{uuid.uuid4().hex[:8]}")
    project = DbtProject.copy(tmp_path_factory.mktemp(f"fresh_{target}"), target, env)
    project.dbt("deps")
    return project
