"""Many small monitored datasets (`python -m bench --datasets 1,10,100`): what dqp
costs per dataset whatever its size, where the hook spends it, and whether
`dqp check` slows down as stored builds accumulate.

Every dataset is a table model over one shared 10,000-row x 10-column source
table, declared with the same reference relation, so K datasets cost K times
the same work: the per-dataset figures are dqp's fixed cost per dataset.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import dbt_log
from bench.data import CURRENT_TABLE, REFERENCE_TABLE, column_specs, generation_statements, quote_identifier
from bench.dbt_project import SOURCE_NAME, BenchProject, ProcessRun, check_summary
from bench.engines import Engine, cursor, drop_schema, execute, vacuum_analyze
from bench.measure import DISABLED_VARS, DQP_CHECK_OK, log

MANY_ROWS, MANY_COLUMNS = 10_000, 10
MANY_SOURCE_SCHEMA = "dqp_bench_many_src"
MODELS_FOLDER = "many"
# The history series: this many datasets, `dqp check` timed after the first and the last build.
HISTORY_DATASETS = 2
HISTORY_SCHEMA = "dqp_bench_many_history"
STORAGE_TABLES = ("dqp_profile_runs", "dqp_column_profiles", "dqp_histograms", "dqp_category_counts")

SOURCES_YML = f"""\
version: 2
sources:
  - name: {SOURCE_NAME}
    schema: "{{{{ env_var('DQP_BENCH_SOURCE_SCHEMA') }}}}"
    tables:
      - name: {REFERENCE_TABLE}
      - name: {CURRENT_TABLE}
"""

REFERENCE = f"'{SOURCE_NAME}.{REFERENCE_TABLE}'"
MODEL_SQL = (
    "{{ config(materialized='table', meta={'dqp': {'reference': {'relation': " + REFERENCE + "}}}) }}\n"
    "select * from {{ source('" + SOURCE_NAME + "', '" + CURRENT_TABLE + "') }}\n"
)


@dataclass
class StatementKind:
    statements: int = 0
    sql_chars: int = 0
    logged_seconds: float = 0.0


@dataclass
class ManyResult:
    """One `dbt build` with K monitored datasets, and `dqp check` after it."""

    engine: str
    datasets: int
    build_seconds: float
    build_disabled_seconds: float
    hook_seconds: float | None
    check_seconds: list[float]
    statements: int
    sql_chars: int
    largest_statement_chars: int
    logged_sql_seconds: float
    kinds: dict[str, StatementKind] = field(default_factory=dict)
    check: dict[str, Any] = field(default_factory=dict)

    @property
    def check_median(self) -> float:
        return statistics.median(self.check_seconds)

    def per_dataset(self) -> dict[str, float | None]:
        hook = None if self.hook_seconds is None else self.hook_seconds / self.datasets
        return {
            "hook s/dataset": hook,
            "build s/dataset": self.build_seconds / self.datasets,
            "build minus hook-off build s/dataset": (self.build_seconds - self.build_disabled_seconds) / self.datasets,
            "check s/dataset": self.check_median / self.datasets,
            "statements/dataset": self.statements / self.datasets,
            "SQL KB/dataset": self.sql_chars / 1024 / self.datasets,
        }


@dataclass
class HistoryResult:
    """`dqp check` (one dataset set, --no-write) timed after each of the listed build counts."""

    engine: str
    datasets: int
    check_seconds: dict[int, list[float]] = field(default_factory=dict)
    stored_rows: dict[int, dict[str, int]] = field(default_factory=dict)


def statement_kind(sql: str) -> str:
    """The profiling step a hook statement belongs to, whichever dataset and side it reads."""
    kind = re.sub(r"^(reference|current)_", "", dbt_log.classify(sql))
    if kind == "inserts":
        target = re.search(r"insert\s+into\s+([^\s(]+)", sql, flags=re.IGNORECASE)
        return f"insert {target.group(1).split('.')[-1].strip(chr(34))}" if target else "insert"
    return kind


def write_models(project: BenchProject, datasets: int) -> None:
    folder = project.path / "models" / MODELS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.sql"):
        stale.unlink()
    for index in range(datasets):
        (folder / f"ds_{index:04d}.sql").write_text(MODEL_SQL)


def generate_source(engine: Engine) -> None:
    specs = column_specs(MANY_COLUMNS)
    execute(engine, generation_statements(engine.name, MANY_SOURCE_SCHEMA, specs, MANY_ROWS))
    vacuum_analyze(engine, MANY_SOURCE_SCHEMA, [REFERENCE_TABLE, CURRENT_TABLE])


def _hook_statements(run: ProcessRun) -> list[dbt_log.LoggedQuery]:
    assert run.log_dir is not None
    return dbt_log.replayable(dbt_log.hook_queries(run.log_dir))


def measure_datasets(engine: Engine, project: BenchProject, datasets: int, check_repeats: int) -> ManyResult:
    log(f"{engine.name} many datasets: K = {datasets}")
    storage_schema = f"dqp_bench_many_k{datasets}"
    drop_schema(engine, storage_schema)
    project.set_storage_schema(storage_schema)
    write_models(project, datasets)
    # Untimed: the hook-off build creates the models and dqp's tables; the parses fill
    # both partial-parse caches, so no timed build pays a full parse.
    project.dbt("build", "--vars", DISABLED_VARS, target_path="target_disabled").require()
    project.dbt("parse").require()
    disabled = project.dbt("build", "--vars", DISABLED_VARS, target_path="target_disabled").require()
    build = project.dbt("build").require()
    checks = [project.dqp_check("--no-write").require(DQP_CHECK_OK) for _ in range(check_repeats)]
    assert build.log_dir is not None
    statements = _hook_statements(build)
    kinds: dict[str, StatementKind] = {}
    for statement in statements:
        kind = kinds.setdefault(statement_kind(statement.sql), StatementKind())
        kind.statements += 1
        kind.sql_chars += len(statement.sql)
        kind.logged_seconds += statement.seconds
    result = ManyResult(
        engine=engine.name,
        datasets=datasets,
        build_seconds=build.seconds,
        build_disabled_seconds=disabled.seconds,
        hook_seconds=dbt_log.hook_seconds(build.log_dir),
        check_seconds=[check.seconds for check in checks],
        statements=len(statements),
        sql_chars=sum(len(statement.sql) for statement in statements),
        largest_statement_chars=max((len(statement.sql) for statement in statements), default=0),
        logged_sql_seconds=sum(statement.seconds for statement in statements),
        kinds=dict(sorted(kinds.items(), key=lambda item: -item[1].logged_seconds)),
        check=check_summary(checks[-1]),
    )
    drop_schema(engine, storage_schema)
    return result


def stored_rows(engine: Engine, schema: str) -> dict[str, int]:
    counts = {}
    with cursor(engine) as cur:
        for table in STORAGE_TABLES:
            cur.execute(f"select count(*) from {quote_identifier(schema)}.{quote_identifier(table)}")
            counts[table] = int(cur.fetchall()[0][0])
    return counts


def measure_history(engine: Engine, project: BenchProject, builds: int, check_repeats: int) -> HistoryResult:
    """`dqp check` after 1 and after `builds` stored builds of the same HISTORY_DATASETS datasets."""
    log(f"{engine.name} dqp check after 1 and {builds} stored builds (K = {HISTORY_DATASETS})")
    drop_schema(engine, HISTORY_SCHEMA)
    project.set_storage_schema(HISTORY_SCHEMA)
    write_models(project, HISTORY_DATASETS)
    result = HistoryResult(engine.name, HISTORY_DATASETS)
    for build in range(1, builds + 1):
        project.dbt("build").require()
        if build in (1, builds):
            checks = [project.dqp_check("--no-write").require(DQP_CHECK_OK) for _ in range(check_repeats)]
            result.check_seconds[build] = [check.seconds for check in checks]
            result.stored_rows[build] = stored_rows(engine, HISTORY_SCHEMA)
    drop_schema(engine, HISTORY_SCHEMA)
    return result


def many_project(path: Path, engine_env: dict[str, str]) -> BenchProject:
    return BenchProject.create(path, engine_env, MANY_SOURCE_SCHEMA, sources_yml=SOURCES_YML)


def _figure(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def datasets_table(results: list[ManyResult]) -> str:
    headers = ["engine", "K", "dbt build s", "build, hook off s", "hook s", "hook s/dataset", "build s/dataset",
               "dqp check s", "statements/dataset", "SQL KB/dataset", "largest statement KB"]
    rows = []
    for result in results:
        per = result.per_dataset()
        rows.append([
            result.engine, str(result.datasets),
            _figure(result.build_seconds, 1), _figure(result.build_disabled_seconds, 1),
            _figure(result.hook_seconds, 1), _figure(per["hook s/dataset"]), _figure(per["build s/dataset"]),
            _figure(result.check_median, 2), _figure(per["statements/dataset"], 1), _figure(per["SQL KB/dataset"], 0),
            _figure(result.largest_statement_chars / 1024, 0),
        ])
    return _table(headers, rows)


def kinds_table(result: ManyResult) -> str:
    """Per dataset: statements, rendered SQL and dbt-logged seconds of each step of the hook."""
    k = result.datasets
    rows = [
        [name, _figure(kind.statements / k, 1), _figure(kind.sql_chars / 1024 / k, 1), _figure(kind.logged_seconds / k)]
        for name, kind in result.kinds.items()
    ]
    if result.hook_seconds is not None:
        outside = result.hook_seconds - result.logged_sql_seconds
        rows.append(["outside logged SQL (Jinja, agate, fetches)", "-", "-", _figure(outside / k)])
    return _table(["statement kind", "statements", "SQL KB", "dbt-logged s"], rows)


def history_table(results: list[HistoryResult]) -> str:
    headers = ["engine", "K", "stored builds", "dqp check s (median)", "min-max s",
               *(f"{table} rows" for table in STORAGE_TABLES)]
    rows = []
    for result in results:
        for builds, seconds in result.check_seconds.items():
            rows.append([
                result.engine, str(result.datasets), str(builds), _figure(statistics.median(seconds), 2),
                f"{min(seconds):.2f}-{max(seconds):.2f}",
                *(f"{result.stored_rows[builds][table]:,}" for table in STORAGE_TABLES),
            ])
    return _table(headers, rows)


def markdown(results: list[ManyResult], history: list[HistoryResult], environment: dict[str, Any]) -> str:
    about = ", ".join(f"{key} {value}" for key, value in environment.items() if key != "command")
    parts = [
        "# dqp benchmark: many small datasets",
        f"`{environment['command']}`  \n{about}",
        f"K table models over one {MANY_ROWS:,}-row x {MANY_COLUMNS}-column source, each declared with the same "
        "reference relation. One `dbt build` per K (after untimed warm-up builds); hook = dbt's logged on-run-end "
        "time; `dqp check --no-write` median over its repeats.",
        datasets_table(results),
    ]
    for result in results:
        if result is max((r for r in results if r.engine == result.engine), key=lambda r: r.datasets):
            parts += [f"## Where the hook's time goes: {result.engine}, K = {result.datasets}, per dataset",
                      kinds_table(result)]
    if history:
        parts += ["## dqp check as stored builds accumulate", history_table(history)]
    return "\n\n".join(parts) + "\n"
