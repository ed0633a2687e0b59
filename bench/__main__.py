"""`python -m bench`: dqp against the floor and against pulling the data."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench.dbt_project import REPO_ROOT, BenchProject
from bench.engines import DuckDBEngine, Engine, PostgresEngine, drop_schema
from bench.many import (
    MANY_SOURCE_SCHEMA,
    HistoryResult,
    ManyResult,
    datasets_table,
    generate_source,
    history_table,
    many_project,
    measure_datasets,
    measure_history,
)
from bench.measure import SOURCE_SCHEMA, CellResult, log, measure_cell
from bench.report import environment, main_table, write, write_many

ENGINES = ("duckdb", "postgres")
SMOKE = {"rows": [20_000], "columns": [3], "repeats": 1}
SMOKE_DATASETS = [2]  # --smoke also runs the many-datasets mode at this K (no stored-builds series)


def _int_list(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from error
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def _engine_list(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in ENGINES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"engines must be among {', '.join(ENGINES)}, got {text!r}")
    return names


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--engines", type=_engine_list, default=list(ENGINES),
                        help="duckdb,postgres (default both)")
    parser.add_argument("--rows", type=_int_list, default=[100_000, 1_000_000],
                        help="rows per table (default 100000,1000000)")
    parser.add_argument("--columns", type=_int_list, default=[3, 20], help="columns per table (default 3,20)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed repeats per cell; medians are reported (default 3)")
    parser.add_argument("--smoke", action="store_true", help="smallest size (20000 rows, 3 columns, 1 repeat), for CI")
    parser.add_argument("--postgres-url", default=None,
                        help="postgresql://user:password@host:port/db (default $DQP_TEST_POSTGRES_URL, "
                             "else a throwaway cluster)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "results", help="results directory")
    parser.add_argument("--row-budget", type=int, default=None,
                        help="dqp_row_budget for the grid (0: always exact; default: the package's); "
                        "results are written as row_budget_<N>.json/.md")
    parser.add_argument("--explain", action="store_true", help="also store EXPLAIN ANALYZE of floor and metric pass")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (DuckDB file, dbt projects)")
    parser.add_argument("--datasets", type=_int_list, default=None,
                        help="many-datasets mode instead of the rows x columns grid: K small datasets "
                             "(10000 rows x 10 columns each), e.g. 1,10,100; writes many.json and many.md")
    parser.add_argument("--stored-builds", type=int, default=30,
                        help="many-datasets mode: time dqp check on PostgreSQL after 1 and after this many "
                             "builds (default 30; 0 skips)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.rows, args.columns, args.repeats = SMOKE["rows"], SMOKE["columns"], SMOKE["repeats"]
        args.datasets, args.stored_builds = args.datasets or SMOKE_DATASETS, 0
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


@contextmanager
def postgres_engine(url: str | None) -> Iterator[PostgresEngine]:
    """The server named by --postgres-url or $DQP_TEST_POSTGRES_URL, else a throwaway cluster."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tests.support.postgres import ThrowawayPostgres, from_url

    url = url or os.environ.get("DQP_TEST_POSTGRES_URL")
    if url:
        server = from_url(url)
        yield PostgresEngine(server.host, server.port, server.user, server.password, server.dbname)
        return
    log("starting a throwaway PostgreSQL cluster")
    cluster = ThrowawayPostgres()
    server = cluster.start()
    try:
        yield PostgresEngine(server.host, server.port, server.user, server.password, server.dbname)
    finally:
        cluster.stop()


def bench_engine(engine: Engine, args: argparse.Namespace, workdir: Path) -> list[CellResult]:
    budget_vars: dict[str, object] | None = None if args.row_budget is None else {"dqp_row_budget": args.row_budget}
    project = BenchProject.create(
        workdir / f"project_{engine.name}", engine.dbt_env(), SOURCE_SCHEMA, project_vars=budget_vars
    )
    cells = []
    try:
        for rows in args.rows:
            for columns in args.columns:
                cells.append(measure_cell(engine, project, rows, columns, args.repeats, args.explain))
                print(main_table(cells[-1:]), flush=True)
    finally:
        drop_schema(engine, SOURCE_SCHEMA)
    return cells


def bench_many(engine: Engine, args: argparse.Namespace, workdir: Path) -> tuple[list[ManyResult], list[HistoryResult]]:
    project = many_project(workdir / f"many_{engine.name}", engine.dbt_env())
    results: list[ManyResult] = []
    history: list[HistoryResult] = []
    check_repeats = 1 if args.smoke else 3
    try:
        generate_source(engine)
        for datasets in args.datasets:
            results.append(measure_datasets(engine, project, datasets, check_repeats))
            print(datasets_table(results[-1:]), flush=True)
        if engine.name == "postgres" and args.stored_builds > 0:
            history.append(measure_history(engine, project, args.stored_builds, check_repeats))
            print(history_table(history), flush=True)
    finally:
        drop_schema(engine, MANY_SOURCE_SCHEMA)
    return results, history


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    command = "python -m bench " + shlex.join(sys.argv[1:] if argv is None else argv)
    workdir = Path(tempfile.mkdtemp(prefix="dqp-bench-"))
    run_grid = args.smoke or not args.datasets
    cells: list[CellResult] = []
    many: list[ManyResult] = []
    history: list[HistoryResult] = []

    def run(engine: Engine) -> None:
        nonlocal cells, many, history
        if run_grid:
            cells += bench_engine(engine, args, workdir)
        if args.datasets:
            engine_many, engine_history = bench_many(engine, args, workdir)
            many += engine_many
            history += engine_history

    try:
        for name in args.engines:
            if name == "duckdb":
                run(DuckDBEngine(workdir / "bench.duckdb"))
            else:
                with postgres_engine(args.postgres_url) as engine:
                    run(engine)
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    env = environment(command)
    if run_grid:
        if args.row_budget is not None:
            env["row_budget"] = args.row_budget
        name = "latest" if args.row_budget is None else f"row_budget_{args.row_budget}"
        json_path, md_path = write(cells, args.out, env, name)
        print()
        print(main_table(cells))
        log(f"wrote {json_path} and {md_path}")
    if args.datasets:
        json_path, md_path = write_many(many, history, args.out, env)
        print()
        print(datasets_table(many))
        log(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
