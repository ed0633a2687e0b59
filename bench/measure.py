"""One benchmark cell (engine x rows x columns): generate the tables, then time
the floor, dqp's current-side metric pass, dqp end to end, dbt start-up and the
pull baseline, each `repeats` times, interleaved so drift hits all alike."""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import dbt_log
from bench.data import CURRENT_TABLE, REFERENCE_TABLE, column_specs, floor_sql, generation_statements
from bench.dbt_project import REPO_ROOT, BenchProject, ProcessRun, check_summary, timed_process
from bench.engines import (
    Engine,
    drop_schema,
    execute,
    explain_analyze,
    replay_rolled_back,
    time_query,
    vacuum_analyze,
)

SOURCE_SCHEMA = "dqp_bench_src"
DISABLED_VARS = "{dqp_enabled: false}"
DQP_CHECK_OK = (0, 1)  # 1 = a blocking verdict, which the drifted columns may well earn


@dataclass(frozen=True)
class Summary:
    median: float
    min: float
    max: float
    samples: list[float]

    @classmethod
    def of(cls, samples: list[float]) -> Summary:
        return cls(statistics.median(samples), min(samples), max(samples), samples)


@dataclass
class CellResult:
    engine: str
    rows: int
    columns: int
    repeats: int
    generate_seconds: float = 0.0
    seconds: dict[str, Summary] = field(default_factory=dict)
    hook_steps_logged: dict[str, Summary] = field(default_factory=dict)
    hook_steps_replayed: dict[str, float] = field(default_factory=dict)
    max_rss_mb: dict[str, Summary] = field(default_factory=dict)
    check: dict[str, Any] = field(default_factory=dict)
    pull: dict[str, Any] = field(default_factory=dict)
    explain: dict[str, str] = field(default_factory=dict)

    def ratio(self, numerator: str, denominator: str) -> float | None:
        if numerator not in self.seconds or denominator not in self.seconds:
            return None
        bottom = self.seconds[denominator].median
        return self.seconds[numerator].median / bottom if bottom > 0 else None

    def ratios(self) -> dict[str, float | None]:
        return {
            "metric_pass / floor": self.ratio("metric_pass", "floor"),
            "dqp end-to-end / floor": self.ratio("dqp_end_to_end", "floor"),
            "dqp excl. dbt start-up / floor": self.ratio("dqp_excl_startup", "floor"),
            "pull / dqp end-to-end": self.ratio("pull", "dqp_end_to_end"),
        }


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_pull(engine: Engine, numeric: list[str], text: list[str], cwd: Path) -> tuple[ProcessRun, dict[str, Any]]:
    spec = {"connection": engine.pull_connection(), "schema": SOURCE_SCHEMA, "reference_table": REFERENCE_TABLE,
            "current_table": CURRENT_TABLE, "numeric": numeric, "text": text}
    env = {"PYTHONPATH": str(REPO_ROOT)}
    run = timed_process([sys.executable, "-m", "bench.pull", json.dumps(spec)], cwd, env).require()
    return run, json.loads(run.stdout)


def replay_steps(engine: Engine, queries: list[dbt_log.LoggedQuery], hook_median: float) -> dict[str, float]:
    """Seconds per profiling step from replaying the hook's statements (fetched
    in full, in a rolled-back transaction); jinja = median hook time minus that."""
    statements = dbt_log.replayable(queries)
    totals = dict.fromkeys(dbt_log.STEPS, 0.0)
    timings = replay_rolled_back(engine, [q.sql for q in statements])
    for query, seconds in zip(statements, timings, strict=True):
        totals[dbt_log.classify(query.sql)] += seconds
    totals["jinja"] = max(0.0, hook_median - sum(timings))
    return totals


def measure_cell(
    engine: Engine, project: BenchProject, rows: int, columns: int, repeats: int, explain: bool
) -> CellResult:
    result = CellResult(engine.name, rows, columns, repeats)
    specs = column_specs(columns)
    numeric = [s.name for s in specs if s.numeric]
    text = [s.name for s in specs if not s.numeric]

    log(f"{engine.name} {rows:,} rows x {columns} columns: generating")
    started = time.perf_counter()
    execute(engine, generation_statements(engine.name, SOURCE_SCHEMA, specs, rows))
    vacuum_analyze(engine, SOURCE_SCHEMA, [REFERENCE_TABLE, CURRENT_TABLE])
    result.generate_seconds = time.perf_counter() - started

    storage_schema = f"dqp_bench_n{rows}_c{columns}"
    drop_schema(engine, storage_schema)
    project.set_storage_schema(storage_schema)

    # Warm-up, untimed: creates dqp's storage tables, fills both partial-parse
    # caches, and its log holds the exact metric-pass SQL to replay.
    log("warm-up dbt runs")
    warm = project.dbt("run").require()
    project.dbt("run", "--vars", DISABLED_VARS, target_path="target_disabled").require()
    assert warm.log_dir is not None
    metric_sql = dbt_log.current_one_pass_sql(warm.log_dir)
    floor = floor_sql(SOURCE_SCHEMA, CURRENT_TABLE, specs)

    samples: dict[str, list[float]] = {}
    last_queries: list[dbt_log.LoggedQuery] = []
    steps: dict[str, list[float]] = {}
    rss: dict[str, list[float]] = {}

    def add(store: dict[str, list[float]], key: str, value: float | None) -> None:
        if value is not None:
            store.setdefault(key, []).append(value)

    for repeat in range(repeats):
        log(f"repeat {repeat + 1}/{repeats}")
        add(samples, "floor", time_query(engine, floor, 1, warmup=repeat == 0)[0])
        add(samples, "metric_pass", time_query(engine, metric_sql, 1, warmup=repeat == 0)[0])

        run = project.dbt("run").require()
        check = project.dqp_check().require(DQP_CHECK_OK)
        disabled = project.dbt("run", "--vars", DISABLED_VARS, target_path="target_disabled").require()
        add(samples, "dbt_run", run.seconds)
        add(samples, "dqp_check", check.seconds)
        add(samples, "dbt_run_disabled", disabled.seconds)
        add(samples, "dqp_end_to_end", run.seconds + check.seconds)
        add(samples, "dqp_excl_startup", run.seconds - disabled.seconds + check.seconds)
        if run.log_dir is not None:
            hook = dbt_log.hook_seconds(run.log_dir)
            add(samples, "hook", hook)
            last_queries = dbt_log.hook_queries(run.log_dir)
            for step, seconds in dbt_log.step_seconds(last_queries, hook).items():
                add(steps, step, seconds)
        for name, process in (("dbt_run", run), ("dqp_check", check), ("dbt_run_disabled", disabled)):
            add(rss, name, None if process.max_rss_kb is None else process.max_rss_kb / 1024)
        result.check = check_summary(check)

        pull_run, pull = run_pull(engine, numeric, text, project.path)
        add(samples, "pull", pull_run.seconds)
        add(samples, "pull_read", pull["read_seconds"])
        add(samples, "pull_compute", pull["compute_seconds"])
        add(rss, "pull", None if pull_run.max_rss_kb is None else pull_run.max_rss_kb / 1024)
        result.pull = {"rows": pull["rows"], "columns": pull["columns"]}

    result.seconds = {key: Summary.of(values) for key, values in samples.items()}
    result.hook_steps_logged = {key: Summary.of(values) for key, values in steps.items()}
    if last_queries:
        log("replaying the hook's statements for attribution")
        result.hook_steps_replayed = replay_steps(engine, last_queries, result.seconds["hook"].median)
    result.max_rss_mb = {key: Summary.of(values) for key, values in rss.items()}
    if explain:
        result.explain = {"floor": explain_analyze(engine, floor), "metric_pass": explain_analyze(engine, metric_sql),
                          "metric_pass_sql": metric_sql}
    drop_schema(engine, storage_schema)
    return result
