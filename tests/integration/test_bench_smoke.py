"""The benchmark harness at its smallest size (`python -m bench --smoke`), as CI
runs it: it must finish, and every engine's cell must hold real measurements
and a `dqp check` verdict. Nothing is asserted about how long anything took.

The engines follow `--target` (both by default). PostgreSQL is the session's
server from the `postgres_server` fixture, in a database of the test's own: the
harness uses fixed schema names (dqp_bench_src, dqp_bench_n<rows>_c<columns>)
and drops them, so on a shared server it would collide with any other
benchmark run.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dqp_runner.scoring import Decision
from tests.conftest import TARGETS
from tests.support.dbt_project import REPO_ROOT
from tests.support.postgres import PostgresServer

SMOKE_ROWS, SMOKE_COLUMNS = 20_000, 3  # and the many-datasets mode at K = 2
# A safety net against a hang, far above the usual 1-2 minutes; not a timing assertion.
HANG_SECONDS = 30 * 60


def _engines(config: pytest.Config) -> list[str]:
    chosen = config.getoption("--target")
    return list(TARGETS) if chosen == "all" else [chosen]


@pytest.fixture()
def bench_postgres_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A fresh database on the session's server for the harness, dropped afterwards (None without postgres)."""
    if "postgres" not in _engines(request.config):
        yield None
        return
    import psycopg2

    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"dqp_bench_smoke_{uuid.uuid4().hex[:8]}"

    def admin(sql: str) -> None:
        connection = psycopg2.connect(
            host=server.host, port=server.port, user=server.user, password=server.password, dbname=server.dbname
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    admin(f'create database "{name}"')
    try:
        yield dataclasses.replace(server, dbname=name).url()
    finally:
        admin(f'drop database if exists "{name}"')


@pytest.mark.bench
def test_bench_smoke_measures_every_engine(
    request: pytest.FixtureRequest, tmp_path: Path, bench_postgres_url: str | None
) -> None:
    engines = _engines(request.config)
    command = [sys.executable, "-m", "bench", "--smoke", "--out", str(tmp_path), "--engines", ",".join(engines)]
    if bench_postgres_url is not None:
        command += ["--postgres-url", bench_postgres_url]

    result = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=HANG_SECONDS
    )
    output = f"{' '.join(command)}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, output

    payload = json.loads((tmp_path / "latest.json").read_text())
    assert (tmp_path / "latest.md").is_file()
    assert "--smoke" in payload["environment"]["command"]
    cells: dict[str, dict[str, Any]] = {cell["engine"]: cell for cell in payload["cells"]}
    assert sorted(cells) == sorted(engines) and len(payload["cells"]) == len(engines), output
    for engine, cell in cells.items():
        where = f"{engine}: {json.dumps(cell, indent=1)[:4000]}"
        assert (cell["rows"], cell["columns"], cell["repeats"]) == (SMOKE_ROWS, SMOKE_COLUMNS, 1), where
        seconds = cell["seconds"]
        for figure in ("floor", "metric_pass", "dbt_run", "dqp_check", "dqp_end_to_end"):
            assert seconds[figure]["median"] > 0 and len(seconds[figure]["samples"]) == 1, f"{figure} in {where}"
        # dqp check judged the one declared dataset, whose data drifts on purpose
        verdict = cell["check"].get("bench_current")
        assert verdict is not None, where
        assert verdict["decision"] in Decision.__members__, where
        assert verdict["signals"] > 0, where
        # the pull yardstick read both tables in full and tested every column
        assert cell["pull"]["rows"] == [SMOKE_ROWS, SMOKE_ROWS], where
        assert len(cell["pull"]["columns"]) == SMOKE_COLUMNS, where

    # --smoke also runs the many-datasets mode at K = 2: one build, its hook dissected, one dqp check
    many = json.loads((tmp_path / "many.json").read_text())
    assert (tmp_path / "many.md").is_file()
    by_engine = {result["engine"]: result for result in many["datasets"]}
    assert sorted(by_engine) == sorted(engines) and len(many["datasets"]) == len(engines), output
    for engine, result in by_engine.items():
        where = f"{engine}: {json.dumps(result, indent=1)[:4000]}"
        assert result["datasets"] == 2, where
        assert result["hook_seconds"] > 0 and result["build_seconds"] > result["hook_seconds"], where
        assert len(result["check_seconds"]) == 1 and result["check_seconds"][0] > 0, where
        assert sorted(result["check"]) == ["ds_0000", "ds_0001"], where
        assert result["statements"] > 0 and result["sql_chars"] >= result["largest_statement_chars"] > 0, where
        assert sum(kind["statements"] for kind in result["kinds"].values()) == result["statements"], where
    assert many["history"] == []  # the stored-builds series is not part of the smoke
