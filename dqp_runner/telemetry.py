"""Telemetry of `dqp check`: a Prometheus textfile and structured JSON logs.

The metrics file is the Prometheus text exposition format written by
prometheus_client (atomically: a temporary file renamed into place), for
node_exporter's textfile collector or a push to a Pushgateway. The series are
documented in docs/telemetry.md. The JSON logs go to stderr, one object a
line, and carry the dbt invocation_id of the profile run (`run_id`) and the
`check_id` of the audit rows, so logs, audit rows and the dbt run join.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Gauge, write_to_textfile

if TYPE_CHECKING:
    from dqp_runner.check import DatasetCheck

LOGGER_NAME = "dqp"
JSON_HANDLER_NAME = "dqp-json-lines"  # how json_logging_enabled knows our handler from any other

# dqp_column_metrics metric_name -> (Prometheus metric, help).
COLUMN_DRIFT_SERIES = {
    "psi": ("dqp_column_psi", "Population stability index of the column, reference vs current."),
    "ks_d": ("dqp_column_ks_statistic", "Kolmogorov-Smirnov D of the column, reference vs current."),
    "jensen_shannon_distance": (
        "dqp_column_js_distance", "Jensen-Shannon distance of the column's categories, reference vs current.",
    ),
}


def metrics_registry(
    checks: Sequence[DatasetCheck],
    duration_seconds: float,
    finished_at_seconds: float,
    open_alerts: Mapping[str, int] | None,
) -> CollectorRegistry:
    """The check's series; dqp_dataset_open_alerts only when the install tracks alerts (dqp_alerts)."""
    registry = CollectorRegistry()
    Gauge("dqp_check_duration_seconds", "Wall time of the dqp check (read, compute, record).",
          registry=registry).set(duration_seconds)
    Gauge("dqp_check_last_run_timestamp_seconds", "When the dqp check finished, in Unix seconds.",
          registry=registry).set(finished_at_seconds)
    score = Gauge("dqp_dataset_health_score", "Health score of the dataset's checked run (0 to 100).",
                  ["dataset"], registry=registry)
    rank = Gauge(
        "dqp_dataset_decision_rank",
        "Decision of the dataset's checked run: 0 NO_ACTION, 1 MONITOR, 2 WARN, 3 BLOCK_PIPELINE.",
        ["dataset", "decision"], registry=registry,
    )
    profiled = Gauge("dqp_dataset_profiled_timestamp_seconds",
                     "When the checked profile run started, in Unix seconds.", ["dataset"], registry=registry)
    signals = Gauge("dqp_dataset_signals", "Explanation rows of the dataset's check, by signal type and severity.",
                    ["dataset", "signal_type", "severity"], registry=registry)
    drift = {
        metric_name: Gauge(name, text, ["dataset", "column"], registry=registry)
        for metric_name, (name, text) in COLUMN_DRIFT_SERIES.items()
    }
    for check in checks:
        dataset = check.run.dataset_name
        score.labels(dataset).set(check.verdict.health_score)
        rank.labels(dataset, check.verdict.decision.name).set(int(check.verdict.decision))
        profiled.labels(dataset).set(check.run.profiled_at.timestamp())
        counts: dict[tuple[str, str], int] = {}
        for row in check.verdict.rows():
            key = (str(row["signal_type"]), str(row["severity"] or "none"))
            counts[key] = counts.get(key, 0) + 1
        for (signal_type, severity), count in sorted(counts.items()):
            signals.labels(dataset, signal_type, severity).set(count)
        for metric in check.metrics:
            gauge = drift.get(metric.metric_name)
            if gauge is not None and metric.column_name is not None and metric.metric_value is not None:
                gauge.labels(dataset, metric.column_name).set(metric.metric_value)
    if open_alerts is not None:
        alerts = Gauge("dqp_dataset_open_alerts", "Alerts in status 'open' for the dataset (dqp_alerts).",
                       ["dataset"], registry=registry)
        for check in checks:
            alerts.labels(check.run.dataset_name).set(open_alerts.get(check.run.dataset_name, 0))
    return registry


def write_metrics_file(path: Path, registry: CollectorRegistry) -> None:
    """Atomic: prometheus_client writes a temporary file beside `path` and renames it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_to_textfile(str(path), registry)


class _Context(logging.Filter):
    """Adds the command's fields (its dqp_invocation_id) to every record."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__()
        self.fields = dict(fields)

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in self.fields.items():
            setattr(record, key, value)
        return True


def configure_logging(log_format: str, context: Mapping[str, str] | None = None) -> logging.Logger:
    """JSON lines on stderr for `--log-format json`; the text format keeps the human output alone."""
    from pythonjsonlogger.json import JsonFormatter

    logger = logging.getLogger(LOGGER_NAME)
    logger.handlers.clear()
    logger.propagate = False
    if log_format == "json":
        formatter = JsonFormatter(
            "{asctime}{levelname}{name}{message}", style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            datefmt="%Y-%m-%dT%H:%M:%SZ",
        )
        formatter.converter = time.gmtime  # UTC, as every dqp time
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(formatter)
        handler.set_name(JSON_HANDLER_NAME)
        handler.addFilter(_Context(context or {}))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    else:
        logger.addHandler(logging.NullHandler())
    return logger


def json_logging_enabled() -> bool:
    return any(handler.get_name() == JSON_HANDLER_NAME for handler in logging.getLogger(LOGGER_NAME).handlers)
