"""All warehouse IO of the checker: read the small aggregate tables the dbt
package wrote, and write one check's audit rows in one transaction.

Nothing here reads a monitored relation: only dqp's own tables, filtered to
one (dataset_name, run_id) at a time, so memory does not grow with the data.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from dqp_runner.aggregates import (
    CategoryCount,
    ColumnProfile,
    DatasetAggregates,
    HistogramBin,
    SchemaColumn,
    SideAggregates,
)
from dqp_runner.project import ProjectTarget, TableName, quote_identifier


class WarehouseError(Exception):
    """The warehouse could not be reached, or a dqp table is missing or unreadable."""


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...


@dataclass(frozen=True)
class ProfileRun:
    dataset_name: str
    run_id: str
    profiled_at: datetime
    reference_kind: str
    critical_columns: frozenset[str]
    policy_overrides: dict[str, object]
    current_window_days: float | None
    reference_window_days: float | None
    current_window_end: str | None = None
    reference_window_end: str | None = None

    def as_of(self) -> tuple[float | None, float | None]:
        """(reference, current) observation times in epoch seconds: each side's
        window end for a time split, the run's start (UTC) otherwise."""
        if self.reference_kind == "time_window":
            return _epoch(self.reference_window_end), _epoch(self.current_window_end)
        started = _epoch(self.profiled_at)
        return started, started


class Warehouse:
    """A DB-API connection to PostgreSQL or DuckDB with the dqp table names."""

    def __init__(self, connection: Any, adapter_type: str, tables: dict[str, TableName]) -> None:
        self.connection = connection
        self.adapter_type = adapter_type
        self.tables = tables

    # -- plumbing -------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        # Queries are written with %s; DuckDB's placeholder is ?.
        return sql.replace("%s", "?") if self.adapter_type == "duckdb" else sql

    def _cursor(self) -> Any:
        # A DuckDB "cursor" is a second connection with its own transaction,
        # so statements go through the connection itself there.
        return self.connection if self.adapter_type == "duckdb" else self.connection.cursor()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._cursor()
        try:
            cursor.execute(self._sql(sql), list(params))
            rows: list[tuple[Any, ...]] = cursor.fetchall()
        except Exception as error:  # driver errors differ by adapter
            self._rollback_quietly()
            raise WarehouseError(f"query failed: {error}") from error
        if self.adapter_type == "postgres":
            self.connection.commit()  # end the implicit read transaction
        return rows

    def _rollback_quietly(self) -> None:
        with contextlib.suppress(Exception):  # nothing to roll back is fine
            self.connection.rollback()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """One transaction: everything inside commits together or not at all."""
        cursor = self._cursor()
        if self.adapter_type == "duckdb":
            cursor.execute("begin transaction")
        try:
            yield _PlaceholderCursor(cursor, self._sql)
        except BaseException:
            self.connection.rollback()
            raise
        else:
            self.connection.commit()

    def close(self) -> None:
        self.connection.close()

    def t(self, model: str) -> str:
        return self.tables[model].sql()

    # -- reads ------------------------------------------------------------------

    def profile_runs(self, dataset_names: Sequence[str] | None, run_id: str | None) -> list[ProfileRun]:
        """The latest complete profile run of each dataset, or the runs with run_id."""
        conditions: list[str] = []
        params: list[Any] = []
        if dataset_names:
            conditions.append("dataset_name in (" + ", ".join(["%s"] * len(dataset_names)) + ")")
            params.extend(dataset_names)
        if run_id is not None:
            conditions.append("run_id = %s")
            params.append(run_id)
        where = ("where " + " and ".join(conditions)) if conditions else ""
        rows = self.query(
            f"""
            select dataset_name, run_id, profiled_at, reference_kind, critical_columns, policy,
                   current_window_days, reference_window_days, current_window_end, reference_window_end
            from (
                select runs.*,
                       row_number() over (partition by dataset_name order by profiled_at desc, run_id desc) as recency
                from {self.t("dqp_profile_runs")} as runs
                {where}
            ) as ranked
            where recency = 1
            order by dataset_name
            """,
            params,
        )
        return [
            ProfileRun(
                dataset_name=row[0],
                run_id=row[1],
                profiled_at=row[2],
                reference_kind=row[3],
                critical_columns=frozenset(json.loads(row[4] or "[]")),
                policy_overrides=json.loads(row[5] or "{}"),
                current_window_days=_float(row[6]),
                reference_window_days=_float(row[7]),
                current_window_end=row[8],
                reference_window_end=row[9],
            )
            for row in rows
        ]

    def load_aggregates(self, run: ProfileRun) -> DatasetAggregates:
        key = [run.dataset_name, run.run_id]
        sides = {"reference": SideAggregates(), "current": SideAggregates()}
        profile_columns = (
            "side, column_name, column_position, data_type, column_kind, ks_method, row_count, null_count, "
            "nan_count, pos_inf_count, neg_inf_count, distinct_count, min_value, max_value, mean_value, "
            "stddev_value, q1_value, median_value, q3_value, iqr_lower_bound, iqr_upper_bound, "
            "iqr_outlier_count, zscore_lower_bound, zscore_upper_bound, zscore_outlier_count, "
            "singleton_count, novel_row_count"
        )
        for row in self.query(
            f"select {profile_columns} from {self.t('dqp_column_profiles')} "
            "where dataset_name = %s and run_id = %s order by side, column_position",
            key,
        ):
            profile = ColumnProfile(
                column_name=row[1],
                column_position=int(row[2]),
                data_type=row[3],
                column_kind=row[4],
                ks_method=row[5],
                row_count=int(row[6]),
                null_count=int(row[7]),
                nan_count=int(row[8]),
                pos_inf_count=int(row[9]),
                neg_inf_count=int(row[10]),
                distinct_count=int(row[11]),
                min_value=_float(row[12]),
                max_value=_float(row[13]),
                mean_value=_float(row[14]),
                stddev_value=_float(row[15]),
                q1_value=_float(row[16]),
                median_value=_float(row[17]),
                q3_value=_float(row[18]),
                iqr_lower_bound=_float(row[19]),
                iqr_upper_bound=_float(row[20]),
                iqr_outlier_count=_int(row[21]),
                zscore_lower_bound=_float(row[22]),
                zscore_upper_bound=_float(row[23]),
                zscore_outlier_count=_int(row[24]),
                singleton_count=_int(row[25]),
                novel_row_count=_int(row[26]),
            )
            sides[row[0]].profiles[profile.column_name] = profile

        for row in self.query(
            "select side, column_name, histogram_kind, bin_index, lower_edge, upper_edge, bin_value, "
            f"is_null_bin, value_count from {self.t('dqp_histograms')} "
            "where dataset_name = %s and run_id = %s order by side, column_name, histogram_kind, bin_index",
            key,
        ):
            side, column, kind = sides[row[0]], row[1], row[2]
            histogram_bin = HistogramBin(
                bin_index=int(row[3]),
                lower_edge=_float(row[4]),
                upper_edge=_float(row[5]),
                value=_float(row[6]),
                value_count=int(row[8]),
                is_null_bin=bool(row[7]),
            )
            target = side.psi_bins if kind == "psi" else side.ks_bins
            target.setdefault(column, []).append(histogram_bin)

        for row in self.query(
            "select side, column_name, category_value, category_kind, value_count "
            f"from {self.t('dqp_category_counts')} "
            "where dataset_name = %s and run_id = %s order by side, column_name, category_kind, category_value",
            key,
        ):
            sides[row[0]].categories.setdefault(row[1], []).append(CategoryCount(row[2], row[3], int(row[4])))

        for row in self.query(
            f"select side, column_name, column_position, data_type from {self.t('dqp_schema_snapshots')} "
            "where dataset_name = %s and run_id = %s order by side, column_position",
            key,
        ):
            sides[row[0]].schema.append(SchemaColumn(row[1], int(row[2]), row[3]))

        return DatasetAggregates(
            dataset_name=run.dataset_name,
            run_id=run.run_id,
            reference_kind=run.reference_kind,
            critical_columns=run.critical_columns,
            policy_overrides=run.policy_overrides,
            reference=sides["reference"],
            current=sides["current"],
            reference_window_days=run.reference_window_days,
            current_window_days=run.current_window_days,
            reference_as_of=run.as_of()[0],
            current_as_of=run.as_of()[1],
        )

    # -- writes -----------------------------------------------------------------

    def ensure_identity_index(self) -> None:
        """Make (dataset_name, run_id) unique in dqp_check_runs, in the database itself."""
        index = quote_identifier("dqp_check_runs_identity")
        sql = f"create unique index if not exists {index} on {self.t('dqp_check_runs')} (dataset_name, run_id)"
        for attempt in range(3):
            try:
                with self.transaction() as cursor:
                    cursor.execute(sql)
                return
            except Exception as error:  # a concurrent checker may create it first
                if attempt == 2:
                    raise WarehouseError(f"cannot create the unique index on dqp_check_runs: {error}") from error
                time.sleep(0.2)

    def is_recorded(self, dataset_name: str, run_id: str) -> bool:
        rows = self.query(
            f"select count(*) from {self.t('dqp_check_runs')} where dataset_name = %s and run_id = %s",
            [dataset_name, run_id],
        )
        return int(rows[0][0]) > 0

    def record_check(
        self, check_row: Sequence[Any], signal_rows: Sequence[Sequence[Any]]
    ) -> Literal["written", "already_recorded"]:
        """Insert the check row and its signal rows in one transaction.

        A unique violation means another checker recorded this run first: the
        transaction is rolled back and nothing of ours remains.
        """
        try:
            with self.transaction() as cursor:
                cursor.execute(
                    f"insert into {self.t('dqp_check_runs')} (dataset_name, run_id, checked_at, health_score, "
                    "decision, decision_rank, worst_severity, signal_count, reference_kind, policy, checker_version) "
                    "values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    list(check_row),
                )
                if signal_rows:
                    cursor.executemany(
                        f"insert into {self.t('dqp_signals')} (dataset_name, run_id, signal_index, column_name, "
                        "signal_type, method, metric_value, threshold, p_value, error_bound, severity, score_impact, "
                        "recommended_action, is_critical_column, details, checked_at) "
                        "values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        [list(row) for row in signal_rows],
                    )
        except Exception as error:
            if _is_unique_violation(error):
                return "already_recorded"
            raise WarehouseError(f"writing the audit rows failed, nothing was recorded: {error}") from error
        return "written"


class _PlaceholderCursor:
    """A cursor that rewrites %s placeholders for the adapter."""

    def __init__(self, cursor: Any, rewrite: Any) -> None:
        self._cursor = cursor
        self._rewrite = rewrite

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(self._rewrite(sql), list(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any:
        return self._cursor.executemany(self._rewrite(sql), rows)

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._cursor.fetchall()
        return rows


def _is_unique_violation(error: BaseException) -> bool:
    code = getattr(error, "pgcode", None)
    if code == "23505":
        return True
    text = str(error).lower()
    return "duplicate key" in text or "unique constraint" in text or "violates unique" in text


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _epoch(value: datetime | str | None) -> float | None:
    """Epoch seconds of a stored time: a datetime or ISO 8601 text; naive means UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def connect(target: ProjectTarget, statement_timeout_seconds: int, lock_wait_seconds: float = 60.0) -> Warehouse:
    """Open a connection with the dbt profile's credentials."""
    credentials = target.credentials
    if target.adapter_type == "postgres":
        import psycopg2

        try:
            connection = psycopg2.connect(
                host=credentials.host,
                port=credentials.port,
                user=credentials.user,
                password=credentials.password,
                dbname=credentials.database,
                connect_timeout=credentials.connect_timeout or 10,
                sslmode=credentials.sslmode,
                options=f"-c statement_timeout={int(statement_timeout_seconds) * 1000}",
                application_name="dqp check",
            )
        except Exception as error:
            raise WarehouseError(
                f"cannot connect to PostgreSQL at {credentials.host}:{credentials.port}: {error}"
            ) from error
        return Warehouse(connection, "postgres", target.tables)

    import duckdb

    path = credentials.path
    if path != ":memory:" and not Path(path).is_absolute():
        path = str(Path.cwd() / path)
    if path != ":memory:" and not Path(path).is_file():
        raise WarehouseError(f"DuckDB database {path} does not exist; run `dbt run` (or `dbt build`) first")
    # DuckDB allows one writing process per file: wait for a concurrent
    # checker (or dbt) to finish rather than fail at once.
    deadline = time.monotonic() + lock_wait_seconds
    while True:
        try:
            connection = duckdb.connect(path)
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                raise WarehouseError(f"cannot open DuckDB database {path}: {error}") from error
            time.sleep(0.2)
        except Exception as error:
            raise WarehouseError(f"cannot open DuckDB database {path}: {error}") from error
    return Warehouse(connection, "duckdb", target.tables)
