"""All warehouse IO of the checker: read the small aggregate tables the dbt
package wrote, and write one check's audit rows in one transaction.

Nothing here reads a monitored relation: only dqp's own tables, filtered to
one (dataset_name, run_id) at a time, so memory does not grow with the data.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
import typing
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from dqp_runner import storage_spec
from dqp_runner.aggregates import (
    CategoryCount,
    ColumnProfile,
    DatasetAggregates,
    HistogramBin,
    SchemaColumn,
    SideAggregates,
)
from dqp_runner.alerts import Alert, AlertEvent, AlertPlan
from dqp_runner.history import HistoryPoint, MetricHistory, SeriesKey
from dqp_runner.project import ProjectTarget, TableName, quote_identifier
from dqp_runner.report_rows import (
    AlertRecord,
    BinRecord,
    CategoryRecord,
    CheckRecord,
    MetricRecord,
    SignalRecord,
)

# dqp_check_runs identity: see ensure_identity_index.
IDENTITY_INDEX = "dqp_check_runs_check_identity"
LEGACY_IDENTITY_INDEX = "dqp_check_runs_identity"


class WarehouseError(Exception):
    """The warehouse could not be reached, or a dqp table is missing or unreadable."""


class RunPrunedError(Exception):
    """The run's bin and value rows were deleted by retention (dqp_profile_runs.pruned_at)."""


class CorruptRowError(Exception):
    """A dqp table holds a value the package never writes (edited or damaged rows).

    The message names the dataset, the table, the column and the value.
    """


SIDES = ("reference", "current")

# The dqp_profile_runs columns the checker reads (ProfileRun's sources).
PROFILE_RUN_COLUMNS = (
    "dataset_name",
    "run_id",
    "profiled_at",
    "reference_kind",
    "critical_columns",
    "policy",
    "current_window_days",
    "reference_window_days",
    "current_window_end",
    "reference_window_end",
    "pruned_at",
    "reference_sampled_rows",
    "current_sampled_rows",
    "reference_sample_fraction",
    "current_sample_fraction",
)


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
    pruned_at: datetime | None = None
    # Each side's distribution sample: (sampled rows, fraction), or None when read whole.
    reference_sample: tuple[int, float] | None = None
    current_sample: tuple[int, float] | None = None

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
            _raise_if_interrupted(error)
            raise WarehouseError(f"query failed: {error}{_missing_relation_hint(error)}") from error
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
            # Quietly: after an interrupted query the driver may have closed
            # the connection, and the original error is the one to report.
            self._rollback_quietly()
            raise
        else:
            self.connection.commit()

    def close(self) -> None:
        self.connection.close()

    def table_sql(self, model: str) -> str:
        """A dqp table, quoted for SQL."""
        return self.tables[model].sql()

    def _records(self, table: str, columns: Sequence[str], where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        """Rows of one dqp table as {column: value}, the columns checked against the storage spec."""
        unknown = [column for column in columns if column not in storage_spec.column_names(table)]
        if unknown:  # pragma: no cover - a programming error, caught by the unit tests
            raise ValueError(f"{table} has no column {unknown[0]!r} in dqp_runner/storage_spec.py")
        rows = self.query(f"select {', '.join(columns)} from {self.table_sql(table)} {where}", params)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    # -- reads ------------------------------------------------------------------

    def profile_runs(self, dataset_names: Sequence[str] | None, run_id: str | None) -> list[ProfileRun]:
        """The latest complete profile run of each dataset (the view
        dqp_latest_profile_runs, the one home of that rule), or the runs with run_id."""
        conditions: list[str] = []
        params: list[Any] = []
        if dataset_names:
            conditions.append("runs.dataset_name in (" + ", ".join(["%s"] * len(dataset_names)) + ")")
            params.extend(dataset_names)
        if run_id is not None:
            conditions.append("runs.run_id = %s")
            params.append(run_id)
        where = ("where " + " and ".join(conditions)) if conditions else ""
        # A run_id names its runs itself; otherwise only each dataset's latest run is read.
        latest = (
            ""
            if run_id is not None
            else f"inner join {self.table_sql('dqp_latest_profile_runs')} as latest "
            "on latest.dataset_name = runs.dataset_name and latest.run_id = runs.run_id"
        )
        rows = self.query(
            f"select {', '.join('runs.' + column for column in PROFILE_RUN_COLUMNS)} "
            f"from {self.table_sql('dqp_profile_runs')} as runs {latest} {where} order by runs.dataset_name",
            params,
        )
        return [self._profile_run(dict(zip(PROFILE_RUN_COLUMNS, row, strict=True))) for row in rows]

    @staticmethod
    def _profile_run(record: Mapping[str, Any]) -> ProfileRun:
        place = _RowPlace(record["dataset_name"], record["run_id"], "dqp_profile_runs")
        critical_columns = place.json(record["critical_columns"], "critical_columns", "[]")
        if not isinstance(critical_columns, list) or not all(isinstance(name, str) for name in critical_columns):
            raise place.corrupt("critical_columns", record["critical_columns"], "a JSON list of column names")
        policy = place.json(record["policy"], "policy", "{}")
        if not isinstance(policy, dict):
            raise place.corrupt("policy", record["policy"], "a JSON object of policy overrides")
        if not isinstance(record["profiled_at"], datetime):
            raise place.corrupt("profiled_at", record["profiled_at"], "a timestamp")
        return ProfileRun(
            dataset_name=record["dataset_name"],
            run_id=record["run_id"],
            profiled_at=_as_utc(record["profiled_at"]),
            reference_kind=record["reference_kind"],
            critical_columns=frozenset(critical_columns),
            policy_overrides=policy,
            current_window_days=place.number(record["current_window_days"], "current_window_days"),
            reference_window_days=place.number(record["reference_window_days"], "reference_window_days"),
            current_window_end=record["current_window_end"],
            reference_window_end=record["reference_window_end"],
            pruned_at=record["pruned_at"],
            reference_sample=_sample(place, record, "reference"),
            current_sample=_sample(place, record, "current"),
        )

    def load_aggregates(self, run: ProfileRun) -> DatasetAggregates:
        """Every row of one profile run, read into the dataclasses by column name."""
        if run.pruned_at is not None:
            raise RunPrunedError(
                f"run {run.run_id} of dataset {run.dataset_name} was pruned by retention at {run.pruned_at} "
                "(var dqp_retention_runs): its bin and value rows are gone, so it cannot be checked again; "
                "its profiles and past checks remain, and a larger dqp_retention_runs keeps more runs"
            )
        key = [run.dataset_name, run.run_id]
        run_filter = "where dataset_name = %s and run_id = %s"
        sides = {"reference": SideAggregates(), "current": SideAggregates()}
        for label, sample in (("reference", run.reference_sample), ("current", run.current_sample)):
            if sample is not None:
                sides[label].sampled_rows, sides[label].sample_fraction = sample

        profiles = _RowPlace(run.dataset_name, run.run_id, "dqp_column_profiles")
        for record in self._records(
            profiles.table, ("side", *_field_names(ColumnProfile)), f"{run_filter} order by side, column_position", key
        ):
            profile = profiles.read(ColumnProfile, record)
            sides[profiles.side(record["side"])].profiles[profile.column_name] = profile

        histograms = _RowPlace(run.dataset_name, run.run_id, "dqp_histograms")
        for record in self._records(
            histograms.table,
            ("side", "column_name", "histogram_kind", *_field_names(HistogramBin)),
            f"{run_filter} order by side, column_name, histogram_kind, bin_index",
            key,
        ):
            side = sides[histograms.side(record["side"])]
            histogram = side.psi_bins if record["histogram_kind"] == "psi" else side.ks_bins
            histogram.setdefault(record["column_name"], []).append(histograms.read(HistogramBin, record))

        categories = _RowPlace(run.dataset_name, run.run_id, "dqp_category_counts")
        for record in self._records(
            categories.table,
            ("side", "column_name", *_field_names(CategoryCount)),
            f"{run_filter} order by side, column_name, category_kind, category_value",
            key,
        ):
            sides[categories.side(record["side"])].categories.setdefault(record["column_name"], []).append(
                categories.read(CategoryCount, record)
            )

        snapshots = _RowPlace(run.dataset_name, run.run_id, "dqp_schema_snapshots")
        for record in self._records(
            snapshots.table, ("side", *_field_names(SchemaColumn)), f"{run_filter} order by side, column_position", key
        ):
            sides[snapshots.side(record["side"])].schema.append(snapshots.read(SchemaColumn, record))

        reference_as_of, current_as_of = run.as_of()
        return DatasetAggregates(
            dataset_name=run.dataset_name,
            run_id=run.run_id,
            reference_kind=run.reference_kind,
            critical_columns=run.critical_columns,
            reference=sides["reference"],
            current=sides["current"],
            reference_window_days=run.reference_window_days,
            current_window_days=run.current_window_days,
            reference_as_of=reference_as_of,
            current_as_of=current_as_of,
        )

    def load_history(self, run: ProfileRun, window_runs: int) -> MetricHistory:
        """The tracked series of the dataset's last ``window_runs`` comparable runs before ``run``
        (same reference kind, profiled earlier; the run itself is never included), in one query,
        and the previous run's latest check with its signal keys (for trends)."""
        runs_cte = (
            "select run_id, profiled_at from (select run_id, profiled_at, row_number() over "
            "(order by profiled_at desc, run_id desc) as recency "
            f"from {self.table_sql('dqp_profile_runs')} where dataset_name = %s and reference_kind = %s "
            "and profiled_at < %s) as earlier where recency <= %s"
        )
        checks_cte = (
            "select check_id, run_id, health_score, checked_at from (select checks.check_id, checks.run_id, "
            "checks.health_score, checks.checked_at, row_number() over (partition by checks.run_id "
            "order by checks.checked_at desc, checks.check_id desc) as recency "
            f"from {self.table_sql('dqp_check_runs')} as checks join runs on runs.run_id = checks.run_id "
            "where checks.dataset_name = %s and checks.check_id is not null) as ranked where recency = 1"
        )
        double = "double precision"
        profiles = self.table_sql("dqp_column_profiles")
        sql = f"""
            with runs as ({runs_cte}), latest_checks as ({checks_cte})
            select runs.run_id, runs.profiled_at, cast(null as varchar) as column_name, 'row_count' as series,
                   cast(max(profiles.row_count) as {double}) as series_value
            from {profiles} as profiles join runs on runs.run_id = profiles.run_id
            where profiles.dataset_name = %s and profiles.side = 'current'
            group by runs.run_id, runs.profiled_at
            union all
            select runs.run_id, runs.profiled_at, profiles.column_name, 'null_rate',
                   cast(profiles.null_count as {double}) / profiles.row_count
            from {profiles} as profiles join runs on runs.run_id = profiles.run_id
            where profiles.dataset_name = %s and profiles.side = 'current' and profiles.row_count > 0
            union all
            select runs.run_id, runs.profiled_at, profiles.column_name, 'mean', cast(profiles.mean_value as {double})
            from {profiles} as profiles join runs on runs.run_id = profiles.run_id
            where profiles.dataset_name = %s and profiles.side = 'current' and profiles.mean_value is not null
            union all
            select runs.run_id, runs.profiled_at, profiles.column_name, 'distinct_count',
                   cast(profiles.distinct_count as {double})
            from {profiles} as profiles join runs on runs.run_id = profiles.run_id
            where profiles.dataset_name = %s and profiles.side = 'current'
            union all
            select runs.run_id, runs.profiled_at, metrics.column_name, metrics.metric_name,
                   cast(metrics.metric_value as {double})
            from {self.table_sql('dqp_column_metrics')} as metrics
            join latest_checks on latest_checks.check_id = metrics.check_id
            join runs on runs.run_id = latest_checks.run_id
            where metrics.dataset_name = %s and metrics.metric_name in ('psi', 'ks_d')
              and metrics.state <> 'insufficient_data' and metrics.metric_value is not null
            union all
            select runs.run_id, runs.profiled_at, cast(null as varchar), 'health_score',
                   cast(latest_checks.health_score as {double})
            from latest_checks join runs on runs.run_id = latest_checks.run_id
            union all
            select latest_checks.run_id, runs.profiled_at, latest_checks.check_id, 'previous_check', null
            from latest_checks join runs on runs.run_id = latest_checks.run_id
        """
        name = run.dataset_name
        profiled_at = run.profiled_at.replace(tzinfo=None)
        params = [name, run.reference_kind, profiled_at, window_runs, name, name, name, name, name, name]
        points: dict[SeriesKey, list[HistoryPoint]] = {}
        previous: tuple[datetime, str] | None = None
        for _run_id, observed, column, series, value in self.query(sql, params):
            observed_at = _as_utc(observed)
            if series == "previous_check":
                if previous is None or observed_at > previous[0]:
                    previous = (observed_at, column)
                continue
            if value is None:
                continue
            points.setdefault((column, series), []).append(HistoryPoint(observed_at, float(value)))
        for series_points in points.values():
            series_points.sort(key=lambda point: point.observed_at)
        if previous is None:
            return MetricHistory(points)
        check_id = previous[1]
        health = [point for point in points.get((None, "health_score"), []) if point.observed_at == previous[0]]
        signal_rows = self.query(
            f"select distinct column_name, signal_type from {self.table_sql('dqp_signals')} "
            "where dataset_name = %s and check_id = %s and severity <> 'info'",
            [name, check_id],
        )
        return MetricHistory(
            points,
            previous_check_id=check_id,
            previous_health_score=health[-1].value if health else None,
            previous_signals=frozenset((row[0], row[1]) for row in signal_rows),
        )

    def unresolved_alerts(self, dataset_name: str) -> list[Alert]:
        return [
            _alert(row)
            for row in self.query(
                f"select {', '.join(ALERT_COLUMNS)} from {self.table_sql('dqp_alerts')} "
                "where dataset_name = %s and status <> 'resolved' order by opened_at, alert_id",
                [dataset_name],
            )
        ]

    def alerts(self, alert_id: str | None = None, include_resolved: bool = False) -> list[Alert]:
        conditions, params = [], []
        if alert_id is not None:
            conditions.append("alert_id = %s")
            params.append(alert_id)
        if not include_resolved:
            conditions.append("status <> 'resolved'")
        where = ("where " + " and ".join(conditions)) if conditions else ""
        return [
            _alert(row)
            for row in self.query(
                f"select {', '.join(ALERT_COLUMNS)} from {self.table_sql('dqp_alerts')} {where} "
                "order by dataset_name, opened_at, alert_id",
                params,
            )
        ]

    def change_alert(self, alert: Alert, event: AlertEvent) -> None:
        """A person's change of one alert: its row and its event in one transaction."""
        try:
            with self.transaction() as cursor:
                _write_alerts(cursor, self, AlertPlan(updates=(alert,), events=(event,)))
        except Exception as error:
            _raise_if_interrupted(error)
            raise WarehouseError(f"changing alert {alert.alert_id} failed, nothing was recorded: {error}") from error

    # -- writes -----------------------------------------------------------------

    def ensure_identity_index(self) -> None:
        """Make (dataset_name, run_id, policy_fingerprint) unique in dqp_check_runs, in the database itself.

        The same statements as the model's post-hooks
        (macros/audit/_dqp_check_runs_identity_sql.sql), for a table built by
        an older package: drop the 0.1.0 index on (dataset_name, run_id),
        which would refuse every re-check, and create the identity index.
        """
        table = self.tables["dqp_check_runs"]
        statements = [
            f"drop index if exists {quote_identifier(table.schema)}.{quote_identifier(LEGACY_IDENTITY_INDEX)}",
            f"create unique index if not exists {quote_identifier(IDENTITY_INDEX)} on {table.sql()} "
            "(dataset_name, run_id, policy_fingerprint)",
        ]
        for attempt in range(3):
            try:
                with self.transaction() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
                return
            except Exception as error:  # a concurrent checker may create it first
                if attempt == 2:
                    raise WarehouseError(f"cannot create the unique index on dqp_check_runs: {error}") from error
                time.sleep(0.2)

    def recorded_checks(self, dataset_name: str, run_id: str) -> dict[str | None, str | None]:
        """The run's recorded checks: policy fingerprint -> check_id (both None for checks before 0.2.0)."""
        rows = self.query(
            f"select policy_fingerprint, check_id from {self.table_sql('dqp_check_runs')} "
            "where dataset_name = %s and run_id = %s order by checked_at",
            [dataset_name, run_id],
        )
        return {row[0]: row[1] for row in rows}

    def record_check(
        self,
        check_row: Mapping[str, Any],
        signal_rows: Sequence[Mapping[str, Any]],
        metric_rows: Sequence[Mapping[str, Any]],
        alert_plan: AlertPlan | None = None,
    ) -> Literal["written", "already_recorded"]:
        """Insert the check row, its signal rows and its metric rows in one transaction.

        A unique violation means another checker recorded this run under the
        same policy first: the transaction is rolled back and nothing of ours
        remains.
        """
        try:
            with self.transaction() as cursor:
                cursor.execute(*_insert("dqp_check_runs", self.table_sql("dqp_check_runs"), [check_row]))
                for table, rows in (("dqp_signals", signal_rows), ("dqp_column_metrics", metric_rows)):
                    if rows:
                        sql, _ = _insert(table, self.table_sql(table), rows[:1])
                        cursor.executemany(sql, [_insert(table, "", [row])[1] for row in rows])
                if alert_plan is not None:
                    _write_alerts(cursor, self, alert_plan)
        except Exception as error:
            _raise_if_interrupted(error)
            if _is_unique_violation(error):
                return "already_recorded"
            raise WarehouseError(f"writing the audit rows failed, nothing was recorded: {error}") from error
        return "written"

    # -- report and telemetry reads (issue 14): audit rows and stored aggregates only --------

    def report_checks(self, dataset_names: Sequence[str] | None) -> list[CheckRecord]:
        """Every recorded check of the datasets (all when None), oldest first, with its run's start."""
        params: list[Any] = list(dataset_names or [])
        where = f"where checks.dataset_name in ({', '.join(['%s'] * len(params))})" if params else ""
        columns = ("dataset_name", "run_id", "check_id", "checked_at", "health_score", "decision", "decision_reason",
                   "signal_count")
        rows = self.query(
            f"select {', '.join('checks.' + column for column in columns)}, runs.profiled_at "
            f"from {self.table_sql('dqp_check_runs')} as checks left join {self.table_sql('dqp_profile_runs')} as runs "
            "on runs.dataset_name = checks.dataset_name and runs.run_id = checks.run_id "
            f"{where} order by checks.dataset_name, checks.checked_at, checks.check_id",
            params,
        )
        records = [dict(zip((*columns, "profiled_at"), row, strict=True)) for row in rows]
        return [
            CheckRecord(
                dataset_name=record["dataset_name"], run_id=record["run_id"], check_id=record["check_id"],
                checked_at=_as_utc(record["checked_at"]),
                profiled_at=None if record["profiled_at"] is None else _as_utc(record["profiled_at"]),
                health_score=float(record["health_score"]), decision=record["decision"],
                decision_reason=record["decision_reason"], signal_count=int(record["signal_count"] or 0),
            )
            for record in records
        ]

    def report_signals(self, check: CheckRecord) -> list[SignalRecord]:
        """The explanation rows of one check, in the order they were recorded."""
        place = _RowPlace(check.dataset_name, check.run_id, "dqp_signals")
        records = self._records(
            place.table,
            _field_names(SignalRecord),
            "where dataset_name = %s and run_id = %s and coalesce(check_id, '') = %s order by signal_index",
            [check.dataset_name, check.run_id, check.check_id or ""],
        )
        return [place.read(SignalRecord, record) for record in records]

    def report_metrics(self, dataset_name: str, metric_names: Sequence[str]) -> list[MetricRecord]:
        """The named metrics of every check of a dataset (the report's history)."""
        place = _RowPlace(dataset_name, "(every check)", "dqp_column_metrics")
        records = self._records(
            place.table,
            _field_names(MetricRecord),
            f"where dataset_name = %s and metric_name in ({', '.join(['%s'] * len(metric_names))}) "
            "order by checked_at, metric_index",
            [dataset_name, *metric_names],
        )
        return [place.read(MetricRecord, record) for record in records]

    def report_bins(self, dataset_name: str, run_id: str) -> list[BinRecord]:
        """One run's binned histograms (the 'psi' and 'ks_binned' kinds, not the exact values)."""
        place = _RowPlace(dataset_name, run_id, "dqp_histograms")
        records = self._records(
            place.table,
            _field_names(BinRecord),
            "where dataset_name = %s and run_id = %s and histogram_kind in ('psi', 'ks_binned') "
            "order by column_name, histogram_kind, side, bin_index",
            [dataset_name, run_id],
        )
        return [place.read(BinRecord, record) for record in records]

    def report_categories(self, dataset_name: str, run_id: str) -> list[CategoryRecord]:
        """One run's stored category counts."""
        place = _RowPlace(dataset_name, run_id, "dqp_category_counts")
        records = self._records(
            place.table,
            _field_names(CategoryRecord),
            "where dataset_name = %s and run_id = %s order by column_name, side, category_kind, category_value",
            [dataset_name, run_id],
        )
        return [place.read(CategoryRecord, record) for record in records]

    def alerts_table(self) -> TableName:
        """dqp_alerts (issue 13): the project's model when dbt knows it, else beside dqp_check_runs."""
        return self.tables.get("dqp_alerts") or TableName(self.tables["dqp_check_runs"].schema, "dqp_alerts")

    def report_alerts(self, dataset_names: Sequence[str] | None) -> list[AlertRecord] | None:
        """The alerts of the datasets, or None when this install has no dqp_alerts relation."""
        table = self.alerts_table()
        exists = self.query(
            "select count(*) from information_schema.tables where table_schema = %s and table_name = %s",
            [table.schema, table.name],
        )
        if not exists or not exists[0][0]:
            return None
        params: list[Any] = list(dataset_names or [])
        where = f"where dataset_name in ({', '.join(['%s'] * len(params))})" if params else ""
        columns = ("dataset_name", "column_name", "signal_type", "status", "severity", "opened_at")
        rows = self.query(
            f"select {', '.join(columns)} from {table.sql()} {where} order by dataset_name, opened_at", params
        )
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return [
            AlertRecord(**{**record, "opened_at": record["opened_at"] and _as_utc(record["opened_at"])})
            for record in records
        ]


ALERT_COLUMNS = tuple(Alert.__dataclass_fields__)


def _sample(place: _RowPlace, record: Mapping[str, Any], side: str) -> tuple[int, float] | None:
    """One side's (sampled rows, sample fraction) from a dqp_profile_runs row; None when read whole."""
    rows = place.optional_count(record[f"{side}_sampled_rows"], f"{side}_sampled_rows")
    fraction = place.number(record[f"{side}_sample_fraction"], f"{side}_sample_fraction")
    if rows is None and fraction is None:
        return None
    if rows is None or fraction is None or not 0.0 < fraction <= 1.0:
        raise place.corrupt(
            f"{side}_sample_fraction", fraction, "a sampled row count with a fraction in (0, 1], or both null"
        )
    return rows, fraction


def _alert(row: Sequence[Any]) -> Alert:
    values = dict(zip(ALERT_COLUMNS, row, strict=True))
    for name in ("opened_at", "last_seen_at", "resolved_at", "muted_until", "status_changed_at"):
        if values[name] is not None:
            values[name] = _as_utc(values[name])
    if values["last_metric_value"] is not None:
        values["last_metric_value"] = float(values["last_metric_value"])
    return Alert(**values)


def _naive(value: object) -> object:
    """dqp stores UTC wall time without a zone."""
    return value.astimezone(UTC).replace(tzinfo=None) if isinstance(value, datetime) and value.tzinfo else value


def _write_alerts(cursor: Cursor, warehouse: Warehouse, plan: AlertPlan) -> None:
    """The plan's alert rows and events, inside the caller's transaction. An
    alert row is updated at most once per transaction."""
    for alert in plan.inserts:
        row = {name: _naive(value) for name, value in alert.row().items()}
        cursor.execute(*_insert("dqp_alerts", warehouse.table_sql("dqp_alerts"), [row]))
    for alert in plan.updates:
        row = {name: _naive(value) for name, value in alert.row().items() if name != "alert_id"}
        assignments = ", ".join(f"{quote_identifier(name)} = %s" for name in row)
        cursor.execute(
            f"update {warehouse.table_sql('dqp_alerts')} set {assignments} where alert_id = %s",
            [*row.values(), alert.alert_id],
        )
    if plan.events:
        rows = [{name: _naive(value) for name, value in event.row().items()} for event in plan.events]
        sql, _ = _insert("dqp_alert_events", warehouse.table_sql("dqp_alert_events"), rows[:1])
        cursor.executemany(sql, [_insert("dqp_alert_events", "", [row])[1] for row in rows])


def _insert(table: str, table_sql: str, rows: Sequence[Mapping[str, Any]]) -> tuple[str, list[Any]]:
    """An insert of the first row's columns, in the storage spec's order, and its values.

    Column names are the spec's, never user input; a key the spec lacks is a
    programming error."""
    spec_columns = storage_spec.column_names(table)
    unknown = sorted(set(rows[0]) - set(spec_columns))
    if unknown:
        raise ValueError(f"{table} has no column {unknown[0]!r} in dqp_runner/storage_spec.py")
    columns = [column for column in spec_columns if column in rows[0]]
    sql = (
        f"insert into {table_sql} ({', '.join(quote_identifier(column) for column in columns)}) "
        f"values ({', '.join(['%s'] * len(columns))})"
    )
    return sql, [rows[0][column] for column in columns]


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


def _raise_if_interrupted(error: Exception) -> None:
    """DuckDB reports Ctrl-C during a statement as its own exception: make it the interrupt it is."""
    if type(error).__name__ == "InterruptException":
        raise KeyboardInterrupt from error


def _missing_relation_hint(error: BaseException) -> str:
    """After an upgrade a new dqp model (e.g. a view) may not be built yet: say how to build it."""
    text = str(error).lower()
    return "; build the dqp models first: dbt run --select package:dqp" if "does not exist" in text else ""


def _is_unique_violation(error: BaseException) -> bool:
    code = getattr(error, "pgcode", None)
    if code == "23505":
        return True
    text = str(error).lower()
    return "duplicate key" in text or "unique constraint" in text or "violates unique" in text


@dataclass(frozen=True)
class _RowPlace:
    """One dataset's rows in one dqp table: reads values the package wrote and
    raises CorruptRowError, naming the dataset, table, column and value, on any other."""

    dataset_name: str
    run_id: str
    table: str

    def read(self, record_type: type[_Record], record: Mapping[str, Any]) -> _Record:
        """A dataclass from a row read by column name (field name = column name),
        each value checked by the field's type: counts, numbers, flags, text."""
        hints = typing.get_type_hints(record_type)
        values: dict[str, Any] = {}
        for field in dataclasses.fields(record_type):  # type: ignore[arg-type]
            value, hint = record[field.name], hints[field.name]
            if hint is int:
                values[field.name] = self.count(value, field.name)
            elif hint == int | None:
                values[field.name] = self.optional_count(value, field.name)
            elif hint == float | None:
                values[field.name] = self.number(value, field.name)
            elif hint is bool:
                values[field.name] = bool(value)
            else:  # text and text enums, as stored
                values[field.name] = value
        return record_type(**values)

    def corrupt(self, column: str, value: Any, expected: str) -> CorruptRowError:
        return CorruptRowError(
            f"dataset {self.dataset_name}: corrupt row in {self.table} (run_id {self.run_id}): "
            f"{column} = {value!r}, expected {expected}"
        )

    def side(self, value: Any) -> str:
        if value not in SIDES:
            raise self.corrupt("side", value, "'reference' or 'current'")
        return str(value)

    def count(self, value: Any, column: str) -> int:
        if isinstance(value, bool) or value is None:
            raise self.corrupt(column, value, "a non-negative integer")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise self.corrupt(column, value, "a non-negative integer") from None
        if number != value or number < 0:
            raise self.corrupt(column, value, "a non-negative integer")
        return number

    def optional_count(self, value: Any, column: str) -> int | None:
        return None if value is None else self.count(value, column)

    def number(self, value: Any, column: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool):
            raise self.corrupt(column, value, "a number or NULL")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise self.corrupt(column, value, "a number or NULL") from None

    def json(self, text: Any, column: str, default: str) -> Any:
        try:
            return json.loads(text or default)
        except (TypeError, ValueError):
            raise self.corrupt(column, text, "JSON text") from None


_Record = typing.TypeVar("_Record")


def _field_names(record_type: type) -> tuple[str, ...]:
    """A row dataclass's fields: the columns it is read from."""
    return tuple(field.name for field in dataclasses.fields(record_type))


def _as_utc(moment: datetime) -> datetime:
    """dqp stores UTC wall time without a zone; a zoned value is converted."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _wait_cancelling_on_interrupt(connection: Any) -> None:
    """psycopg2 wait callback: poll the connection; on KeyboardInterrupt, cancel
    the running query, wait for the server to give up, and re-raise the interrupt."""
    import select

    import psycopg2.extensions

    interrupt: KeyboardInterrupt | None = None
    while True:
        try:
            try:
                state = connection.poll()
            except Exception:
                if interrupt is not None:
                    raise interrupt from None  # the cancelled query's error is ours
                raise
            if state == psycopg2.extensions.POLL_OK:
                if interrupt is not None:
                    raise interrupt
                return
            if state == psycopg2.extensions.POLL_READ:
                select.select([connection.fileno()], [], [])
            elif state == psycopg2.extensions.POLL_WRITE:
                select.select([], [connection.fileno()], [])
            else:
                raise psycopg2.OperationalError(f"unexpected state from poll(): {state}")
        except KeyboardInterrupt as error:
            if interrupt is not None:
                raise  # a second interrupt: stop waiting
            interrupt = error
            connection.cancel()


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
        import psycopg2.extensions

        # libpq blocks signals out while it waits for the server (a query
        # queued behind a lock would ignore Ctrl-C until the timeout): wait in
        # Python instead, and cancel the query on Ctrl-C or SIGTERM.
        psycopg2.extensions.set_wait_callback(_wait_cancelling_on_interrupt)
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
