"""Read a dbt JSON file log: every SQL statement the on-run-end hook sent, with
the time dbt measured for it, sorted into the steps of dqp's profiling."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.data import CURRENT_TABLE, REFERENCE_TABLE

HOOK_NODE = "dqp-on-run-end-0"
ONE_PASS_PREFIX = "select count(*) as row_count,"
# The one pass with the distinct counts cross-joined as a second aggregate.
ONE_PASS_WITH_DISTINCT_PREFIX = "select * from (" + ONE_PASS_PREFIX
ONE_PASS_END = ") as streamed\ncross join"

# Steps in the order dqp runs them; "jinja" is the hook's time outside SQL.
STEPS = (
    "reference_quantiles",
    "current_quantiles",
    "reference_one_pass",
    "current_one_pass",
    "reference_distinct_counts",
    "current_distinct_counts",
    "ks_counts",
    "category_counts",
    "inserts",
    "metadata",
    "jinja",
)


@dataclass(frozen=True)
class LoggedQuery:
    sql: str
    seconds: float


def _log_files(log_dir: Path) -> list[Path]:
    """dbt.log and any rotated dbt.log.N, oldest first."""
    rotated = sorted(log_dir.glob("dbt.log.*"), key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0)
    return [*reversed(rotated), log_dir / "dbt.log"]


def _events(log_dir: Path) -> Iterator[dict[str, Any]]:
    for path in _log_files(log_dir):
        with path.open() as lines:
            for line in lines:
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue


def strip_dbt_comment(sql: str) -> str:
    """dbt prefixes each statement with a /* {"app": "dbt", ...} */ query comment."""
    return re.sub(r"^\s*/\*.*?\*/\s*", "", sql, count=1, flags=re.DOTALL).strip()


def hook_queries(log_dir: Path) -> list[LoggedQuery]:
    """The statements of dqp's on-run-end hook, each with dbt's elapsed seconds."""
    queries: list[LoggedQuery] = []
    pending: str | None = None
    for event in _events(log_dir):
        name = event.get("info", {}).get("name")
        data = event.get("data", {})
        if data.get("node_info", {}).get("node_name") != HOOK_NODE:
            continue
        if name == "SQLQuery":
            pending = strip_dbt_comment(data.get("sql", ""))
        elif name == "SQLQueryStatus" and pending is not None:
            queries.append(LoggedQuery(pending, float(data.get("elapsed", 0.0))))
            pending = None
    return queries


def hook_seconds(log_dir: Path) -> float | None:
    """The on-run-end hook's own elapsed time, as dbt logged it."""
    for event in _events(log_dir):
        if event.get("info", {}).get("name") == "LogHookEndLine":
            return float(event["data"].get("execution_time", 0.0))
    return None


def _mentions(sql: str, table: str) -> bool:
    return f'"{table}"' in sql or f".{table}" in sql


def classify(sql: str) -> str:
    lowered = sql.lower()
    side = "current" if _mentions(sql, CURRENT_TABLE) and not _mentions(sql, REFERENCE_TABLE) else "reference"
    if lowered.startswith(ONE_PASS_PREFIX) or lowered.startswith(ONE_PASS_WITH_DISTINCT_PREFIX):
        return f"{side}_one_pass"
    if lowered.startswith("select count(distinct"):
        return f"{side}_distinct_counts"
    if lowered.startswith("create temporary table"):
        # the reference quantiles go straight into the edge table
        return "reference_quantiles" if "dqp_edge_stage" in lowered.split("\n", 1)[0] else "ks_counts"
    if lowered.startswith("insert"):
        if "dqp_category_counts" in lowered and "category_value" in lowered and "select" in lowered:
            return "category_counts"
        return "inserts"
    if "percentile_cont(" in lowered or "list_sort(" in lowered:
        return f"{side}_quantiles"
    return "metadata"


def step_seconds(queries: list[LoggedQuery], hook: float | None) -> dict[str, float]:
    """Seconds per profiling step; jinja = hook time minus SQL time.

    dbt's logged elapsed time covers cursor.execute() only. psycopg2 fetches
    the whole result there, DuckDB streams it: on DuckDB a query's fetch
    (e.g. most of the reference quantile union) lands in the gap after it, so
    for attribution replay the statements (see measure.replay_steps).
    """
    totals = dict.fromkeys(STEPS, 0.0)
    for query in queries:
        totals[classify(query.sql)] += query.seconds
    if hook is not None:
        totals["jinja"] = max(0.0, hook - sum(query.seconds for query in queries))
    return totals


# dbt may put its query comment before the statement.
_RUN_ROW_INSERT = re.compile(
    r"^\s*(?:/\*.*?\*/\s*)?insert\s+into\s+\S*dqp_profile_runs\S*\s", re.IGNORECASE | re.DOTALL
)


def replayable(queries: list[LoggedQuery]) -> list[LoggedQuery]:
    """The hook's statements minus its own transaction control and the run row:
    that row's (dataset_name, run_id) is unique and already taken by the measured
    run, and its one-row insert costs nothing worth attributing."""
    return [
        q for q in queries
        if q.sql.strip().rstrip(";").lower() not in {"begin", "commit", "rollback"} and not _RUN_ROW_INSERT.match(q.sql)
    ]


def current_one_pass_sql(log_dir: Path) -> str:
    """The exact one-pass counts query dqp ran against the current table."""
    for query in hook_queries(log_dir):
        if classify(query.sql) == "current_one_pass":
            # the streaming aggregate alone: the cross-joined distinct counts are not part of the pass
            if query.sql.lower().startswith(ONE_PASS_WITH_DISTINCT_PREFIX) and ONE_PASS_END in query.sql:
                return query.sql[len("select * from ("):query.sql.index(ONE_PASS_END)]
            return query.sql
    raise RuntimeError(f"no one-pass counts query on {CURRENT_TABLE} in {log_dir / 'dbt.log'}")
