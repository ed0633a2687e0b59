"""Drive a copy of the integration dbt project with the real dbt and dqp CLIs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
INTEGRATION_PROJECT = REPO_ROOT / "integration_tests"
BIN = Path(sys.executable).parent


@dataclass
class DbtProject:
    path: Path
    target: str
    env: dict[str, str]
    last: subprocess.CompletedProcess[str] | None = field(default=None, repr=False)

    @classmethod
    def copy(cls, destination: Path, target: str, env: dict[str, str]) -> DbtProject:
        path = destination / "integration_tests"
        shutil.copytree(
            INTEGRATION_PROJECT, path,
            ignore=shutil.ignore_patterns("target", "dbt_packages", "logs", "*.duckdb", "*.duckdb.wal", ".user.yml"),
        )
        (path / "packages.yml").write_text(f"packages:\n  - local: {REPO_ROOT}\n")
        (path / "package-lock.yml").unlink(missing_ok=True)
        full_env = dict(env, DBT_PROFILES_DIR=str(path), DQP_DUCKDB_PATH=str(path / "dqp.duckdb"))
        return cls(path, target, full_env)

    def _run(
        self, program: str, args: tuple[str, ...], expect_success: bool | None
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, **self.env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        result = subprocess.run(
            [str(BIN / program), *args], cwd=self.path, env=env, capture_output=True, text=True, check=False
        )
        self.last = result
        if expect_success is True and result.returncode != 0:
            raise AssertionError(
                f"{program} {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def dbt(self, *args: str, expect_success: bool | None = True) -> subprocess.CompletedProcess[str]:
        return self._run("dbt", args, expect_success)

    def dqp(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self._run("dqp", args, None)

    @property
    def schema(self) -> str:
        return self.env["DQP_SCHEMA"]

    def execute(self, sql: str) -> None:
        """Write to the target warehouse (query opens DuckDB read-only); `{schema}` as in query."""
        if self.target == "duckdb":
            import duckdb

            with duckdb.connect(self.env["DQP_DUCKDB_PATH"]) as connection:
                connection.execute(sql.replace("{schema}", '"' + self.schema + '"'))
        else:
            self.query(sql)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run SQL on the target warehouse; `{schema}` in sql is the project's schema."""
        sql = sql.replace("{schema}", '"' + self.schema + '"')
        if self.target == "duckdb":
            import duckdb

            with duckdb.connect(self.env["DQP_DUCKDB_PATH"], read_only=True) as connection:
                return connection.execute(sql).fetchall()
        import psycopg2

        connection = psycopg2.connect(
            host=self.env["DQP_PG_HOST"], port=int(self.env["DQP_PG_PORT"]), user=self.env["DQP_PG_USER"],
            password=self.env["DQP_PG_PASSWORD"], dbname=self.env["DQP_PG_DBNAME"],
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.commit()
            connection.close()
