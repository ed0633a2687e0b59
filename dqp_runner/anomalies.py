"""The metric_anomaly signal: one check's values judged against the dataset's history.

Pure glue between the checker and ``history``: it picks the current value of
every tracked series out of the aggregates and the check's own metrics, judges
each against its history, and returns metric rows (one per series, fired or
not; ``insufficient_data`` when the history is too short: a metric row, never
a guess and never a signal) and signals for the series that fired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from dqp_runner import stats
from dqp_runner.aggregates import DatasetAggregates
from dqp_runner.history import HistorySettings as HistorySettings
from dqp_runner.history import MetricHistory, SeriesKey, SeriesResult, judge_all
from dqp_runner.metrics import ColumnMetric, JsonValue, MetricState
from dqp_runner.policy import Policy
from dqp_runner.signals import Signal
from dqp_runner.vocabulary import ACTION_FOR, Severity, SignalType

METRIC_ANOMALY = SignalType.METRIC_ANOMALY


@dataclass(frozen=True)
class AnomalyEvaluation:
    signals: list[Signal]
    metrics: list[ColumnMetric]


def settings_of(policy: Policy) -> HistorySettings:
    anomaly = policy.metric_anomaly
    return HistorySettings(
        window_runs=anomaly.window_runs,
        min_history=anomaly.min_history,
        z_medium=anomaly.z_medium,
        z_high=anomaly.z_high,
        min_relative_scale=anomaly.min_relative_scale,
        seasonal_min_per_weekday=anomaly.seasonal_min_per_weekday,
    )


def current_series(
    aggregates: DatasetAggregates, metrics: Sequence[ColumnMetric], health_score: float
) -> dict[SeriesKey, float]:
    """This check's value of every tracked series (see history.SERIES)."""
    values: dict[SeriesKey, float] = {(None, "health_score"): health_score}
    profiles = aggregates.current.profiles
    for name, profile in profiles.items():
        values[(None, "row_count")] = float(profile.row_count)
        if profile.row_count > 0:
            values[(name, "null_rate")] = profile.null_count / profile.row_count
        if profile.mean_value is not None:
            values[(name, "mean")] = profile.mean_value
        values[(name, "distinct_count")] = float(profile.distinct_count)
    for metric in metrics:
        value = metric.metric_value
        usable = value is not None and metric.state != MetricState.INSUFFICIENT_DATA
        if metric.metric_name in ("psi", "ks_d") and metric.column_name and usable and value is not None:
            values[(metric.column_name, metric.metric_name)] = value
    return values


def evaluate_history(
    aggregates: DatasetAggregates,
    metrics: Sequence[ColumnMetric],
    health_score: float,
    current_at: datetime,
    history: MetricHistory,
    policy: Policy,
) -> AnomalyEvaluation:
    """metric_anomaly metric rows and signals of one check (nothing when the policy disables it)."""
    if not policy.metric_anomaly.enabled:
        return AnomalyEvaluation([], [])
    settings = settings_of(policy)
    results = judge_all(
        current_series(aggregates, metrics, health_score),
        current_at,
        history,
        settings,
        policy.alpha,
        partial(stats.adjust_p_values, method=policy.multiple_testing),
    )
    signals, rows = [], []
    for result in results:
        critical = result.key[0] is not None and result.key[0] in aggregates.critical_columns
        rows.append(_metric(result, settings))
        if result.severity is not None:
            signals.append(_signal(result, settings, critical))
    return AnomalyEvaluation(signals, rows)


def _details(result: SeriesResult, settings: HistorySettings) -> dict[str, JsonValue]:
    judgement = result.judgement
    details: dict[str, JsonValue] = {
        "series": result.key[1],
        "method": judgement.method,
        "history_n": judgement.history_n,
        "window_runs": settings.window_runs,
        "min_history": settings.min_history,
        "window_start": judgement.window_start.isoformat() if judgement.window_start else None,
        "window_end": judgement.window_end.isoformat() if judgement.window_end else None,
        "current_value": result.current_value,
    }
    if judgement.insufficient is not None:
        details["reason"] = judgement.insufficient
        return details
    details.update(
        expected_value=judgement.centre,
        expected_low=judgement.expected_low,
        expected_high=judgement.expected_high,
        spread=judgement.spread,
    )
    if result.p_value_adjusted is not None:
        details["p_value_adjusted"] = result.p_value_adjusted
    return details


def _metric(result: SeriesResult, settings: HistorySettings) -> ColumnMetric:
    judgement = result.judgement
    if judgement.insufficient is not None:
        state = MetricState.INSUFFICIENT_DATA
    elif result.severity is not None:
        state = MetricState.FIRED
    else:
        state = MetricState.BELOW_THRESHOLD
    return ColumnMetric(
        column_name=result.key[0],
        metric_name=f"{result.key[1]}_robust_z",
        signal_type=METRIC_ANOMALY.value,
        method=judgement.method,
        state=state,
        metric_value=judgement.robust_z,
        threshold=settings.z_medium,
        current_value=result.current_value,
        reference_value=judgement.centre,
        p_value=judgement.p_value,
        p_value_adjusted=result.p_value_adjusted,
        reference_n=judgement.history_n,
        severity="low" if result.severity and result.key[1] in SUMMARY_SERIES else result.severity,
        details=_details(result, settings),
    )


# The health score falls only through signals that already deduct and alert:
# its own anomaly is a summary, so it is at most 'low' (it opens no alert by default).
SUMMARY_SERIES = ("health_score",)


def _signal(result: SeriesResult, settings: HistorySettings, critical: bool) -> Signal:
    judgement = result.judgement
    severity = Severity.from_label(result.severity or "medium")
    if result.key[1] in SUMMARY_SERIES:
        severity = Severity.LOW
    return Signal(
        column_name=result.key[0],
        signal_type=METRIC_ANOMALY,
        method=judgement.method,
        metric_value=judgement.robust_z,
        threshold=settings.z_high if result.severity == "high" else settings.z_medium,
        p_value=judgement.p_value,
        error_bound=None,
        severity=severity,
        recommended_action=ACTION_FOR[METRIC_ANOMALY],
        is_critical_column=critical,
        details=_details(result, settings),
    )
