"""Typed rows the report and the telemetry read from the dqp tables.

Only stored aggregates and audit rows: nothing here comes from a monitored
relation. The warehouse builds them (Warehouse.report_* reads); the report
and the metrics file are pure functions of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The alert lifecycle states of dqp_alerts (issue 13); 'open' is what a platform team pages on.
ALERT_STATUSES = ("open", "acknowledged", "muted", "resolved")


@dataclass(frozen=True)
class CheckRecord:
    """One row of dqp_check_runs, with its profile run's start."""

    dataset_name: str
    run_id: str
    check_id: str | None
    checked_at: datetime
    profiled_at: datetime | None
    health_score: float
    decision: str
    decision_reason: str | None
    signal_count: int


@dataclass(frozen=True)
class SignalRecord:
    """One explanation row of dqp_signals."""

    column_name: str | None
    signal_type: str
    method: str | None
    metric_value: float | None
    threshold: float | None
    p_value: float | None
    severity: str | None
    score_impact: float | None
    recommended_action: str | None
    details: str | None


@dataclass(frozen=True)
class MetricRecord:
    """One row of dqp_column_metrics (any check of a dataset)."""

    check_id: str | None
    column_name: str | None
    metric_name: str
    state: str
    metric_value: float | None
    threshold: float | None
    current_value: float | None
    reference_value: float | None
    p_value_adjusted: float | None


@dataclass(frozen=True)
class BinRecord:
    """One stored histogram bin (dqp_histograms) of one side of a run."""

    side: str
    column_name: str
    histogram_kind: str
    bin_index: int
    lower_edge: float | None
    upper_edge: float | None
    is_null_bin: bool
    value_count: int


@dataclass(frozen=True)
class CategoryRecord:
    """One stored category count (dqp_category_counts) of one side of a run."""

    side: str
    column_name: str
    category_value: str
    category_kind: str
    value_count: int


@dataclass(frozen=True)
class AlertRecord:
    """One row of dqp_alerts (issue 13's alert lifecycle table)."""

    dataset_name: str
    column_name: str | None
    signal_type: str
    status: str
    severity: str | None
    opened_at: datetime | None
