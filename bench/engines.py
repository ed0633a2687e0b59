"""The two warehouses, reached through the same drivers dbt and `dqp check` use.

An engine opens a short-lived connection per task and closes it before any dbt
or dqp process runs: DuckDB lets one process at a time write a database file.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bench.data import Dialect, quote_identifier


class Cursor(Protocol):
    def execute(self, sql: str) -> Any: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...


class Engine(Protocol):
    @property
    def name(self) -> Dialect: ...

    def connect(self) -> Any: ...
    def dbt_env(self) -> dict[str, str]: ...
    def pull_connection(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class DuckDBEngine:
    path: Path
    name: Dialect = "duckdb"

    def connect(self) -> Any:
        import duckdb

        return duckdb.connect(str(self.path))

    def dbt_env(self) -> dict[str, str]:
        return {"DQP_BENCH_TARGET": "duckdb", "DQP_DUCKDB_PATH": str(self.path)}

    def pull_connection(self) -> dict[str, Any]:
        return {"engine": "duckdb", "path": str(self.path)}


@dataclass(frozen=True)
class PostgresEngine:
    host: str
    port: int
    user: str
    password: str
    dbname: str
    name: Dialect = "postgres"

    def connect(self) -> Any:
        import psycopg2

        connection = psycopg2.connect(host=self.host, port=self.port, user=self.user, password=self.password,
                                      dbname=self.dbname, application_name="dqp bench")
        connection.autocommit = True
        return connection

    def dbt_env(self) -> dict[str, str]:
        return {
            "DQP_BENCH_TARGET": "postgres",
            "DQP_PG_HOST": self.host,
            "DQP_PG_PORT": str(self.port),
            "DQP_PG_USER": self.user,
            "DQP_PG_PASSWORD": self.password,
            "DQP_PG_DBNAME": self.dbname,
        }

    def pull_connection(self) -> dict[str, Any]:
        return {"engine": "postgres", "host": self.host, "port": self.port, "user": self.user,
                "password": self.password, "dbname": self.dbname}


@contextmanager
def cursor(engine: Engine) -> Iterator[Cursor]:
    """A cursor on a fresh connection, closed (and committed) on exit."""
    connection = engine.connect()
    try:
        if engine.name == "duckdb":
            yield connection
        else:
            with connection.cursor() as pg_cursor:
                # dqp's hook switches JIT off (dqp_set_jit); time the floor and
                # the replays under the same session setting.
                pg_cursor.execute("set jit = off")
                yield pg_cursor
    finally:
        connection.close()


def execute(engine: Engine, statements: Sequence[str]) -> None:
    with cursor(engine) as cur:
        for statement in statements:
            cur.execute(statement)


def time_query(engine: Engine, sql: str, repeats: int, warmup: bool = True) -> list[float]:
    """Wall seconds of `sql` executed and fully fetched, `repeats` times on one connection."""
    timings: list[float] = []
    with cursor(engine) as cur:
        if warmup:
            cur.execute(sql)
            cur.fetchall()
        for _ in range(repeats):
            started = time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            timings.append(time.perf_counter() - started)
    return timings


def replay_rolled_back(engine: Engine, statements: Sequence[str]) -> list[float]:
    """Wall seconds of each statement executed and fully fetched, all inside one
    transaction that is rolled back, so inserts leave nothing behind."""
    timings: list[float] = []
    with cursor(engine) as cur:
        cur.execute("begin")
        try:
            for statement in statements:
                started = time.perf_counter()
                cur.execute(statement)
                if getattr(cur, "description", None):
                    cur.fetchall()
                timings.append(time.perf_counter() - started)
        finally:
            cur.execute("rollback")
    return timings


def explain_analyze(engine: Engine, sql: str) -> str:
    """The engine's EXPLAIN ANALYZE text for `sql`."""
    with cursor(engine) as cur:
        cur.execute(f"explain analyze {sql}")
        rows = cur.fetchall()
    if engine.name == "duckdb":
        return "\n".join(str(row[-1]) for row in rows)
    return "\n".join(str(row[0]) for row in rows)


def drop_schema(engine: Engine, schema: str) -> None:
    execute(engine, [f"drop schema if exists {quote_identifier(schema)} cascade"])


def vacuum_analyze(engine: Engine, schema: str, tables: Sequence[str]) -> None:
    """Set PostgreSQL hint bits and statistics so the first timed scan does not pay for them."""
    if engine.name != "postgres":
        execute(engine, ["checkpoint"])
        return
    execute(engine, [f"vacuum (analyze) {quote_identifier(schema)}.{quote_identifier(t)}" for t in tables])
