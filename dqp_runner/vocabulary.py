"""The signal vocabulary: the names dqp's checks, rows and reports share.

Severities, signal types (in reporting order), the recommended action of each
signal type and the metric each one measures. Stored as text in
``dqp_signals`` and ``dqp_column_metrics`` (severity, signal_type,
recommended_action, metric_name): the values are a contract.
"""

from __future__ import annotations

import enum


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> Severity:
        return cls[label.upper()]


class SignalType(enum.StrEnum):
    SCHEMA_CHANGE = "schema_change"
    VOLUME = "volume"
    NULL_RATE = "null_rate"
    NON_FINITE = "non_finite"
    IQR_OUTLIERS = "iqr_outliers"
    ZSCORE_OUTLIERS = "zscore_outliers"
    MEAN_SHIFT = "mean_shift"
    SCALE_CHANGE = "scale_change"
    PSI = "psi"
    KS = "ks"
    CHI_SQUARE = "chi_square"
    NOVEL_VALUES = "novel_values"
    FRESHNESS = "freshness"
    METRIC_ANOMALY = "metric_anomaly"
    INSUFFICIENT_DATA = "insufficient_data"


# Declaration order is the reporting order.
SIGNAL_TYPE_ORDER: dict[SignalType, int] = {t: i for i, t in enumerate(SignalType)}


class RecommendedAction(enum.StrEnum):
    RECONCILE_SCHEMA_CHANGE = "RECONCILE_SCHEMA_CHANGE"
    CHECK_UPSTREAM_VOLUME = "CHECK_UPSTREAM_VOLUME"
    INVESTIGATE_NULL_SPIKE = "INVESTIGATE_NULL_SPIKE"
    CHECK_NON_FINITE_VALUES = "CHECK_NON_FINITE_VALUES"
    REVIEW_OUTLIERS = "REVIEW_OUTLIERS"
    REVIEW_DISTRIBUTION_DRIFT = "REVIEW_DISTRIBUTION_DRIFT"
    REVIEW_CATEGORY_DRIFT = "REVIEW_CATEGORY_DRIFT"
    REVIEW_NOVEL_VALUES = "REVIEW_NOVEL_VALUES"
    CHECK_DATA_FRESHNESS = "CHECK_DATA_FRESHNESS"
    REVIEW_METRIC_HISTORY = "REVIEW_METRIC_HISTORY"
    COLLECT_MORE_DATA = "COLLECT_MORE_DATA"


ACTION_FOR: dict[SignalType, RecommendedAction] = {
    SignalType.SCHEMA_CHANGE: RecommendedAction.RECONCILE_SCHEMA_CHANGE,
    SignalType.VOLUME: RecommendedAction.CHECK_UPSTREAM_VOLUME,
    SignalType.NULL_RATE: RecommendedAction.INVESTIGATE_NULL_SPIKE,
    SignalType.NON_FINITE: RecommendedAction.CHECK_NON_FINITE_VALUES,
    SignalType.IQR_OUTLIERS: RecommendedAction.REVIEW_OUTLIERS,
    SignalType.ZSCORE_OUTLIERS: RecommendedAction.REVIEW_OUTLIERS,
    SignalType.MEAN_SHIFT: RecommendedAction.REVIEW_DISTRIBUTION_DRIFT,
    SignalType.SCALE_CHANGE: RecommendedAction.REVIEW_DISTRIBUTION_DRIFT,
    SignalType.PSI: RecommendedAction.REVIEW_DISTRIBUTION_DRIFT,
    SignalType.KS: RecommendedAction.REVIEW_DISTRIBUTION_DRIFT,
    SignalType.CHI_SQUARE: RecommendedAction.REVIEW_CATEGORY_DRIFT,
    SignalType.NOVEL_VALUES: RecommendedAction.REVIEW_NOVEL_VALUES,
    SignalType.FRESHNESS: RecommendedAction.CHECK_DATA_FRESHNESS,
    SignalType.METRIC_ANOMALY: RecommendedAction.REVIEW_METRIC_HISTORY,
    SignalType.INSUFFICIENT_DATA: RecommendedAction.COLLECT_MORE_DATA,
}

# What each metric_value measures, per signal type (the metric_name of its rows).
METRIC_NAME: dict[SignalType, str] = {
    SignalType.SCHEMA_CHANGE: "schema_change",
    SignalType.VOLUME: "volume_change",
    SignalType.NULL_RATE: "null_rate_increase",
    SignalType.NON_FINITE: "non_finite_rate_increase",
    SignalType.IQR_OUTLIERS: "iqr_outlier_excess",
    SignalType.ZSCORE_OUTLIERS: "zscore_outlier_excess",
    SignalType.MEAN_SHIFT: "standardized_mean_difference",
    SignalType.SCALE_CHANGE: "stddev_change",
    SignalType.PSI: "psi",
    SignalType.KS: "ks_d",
    SignalType.CHI_SQUARE: "jensen_shannon_distance",
    SignalType.NOVEL_VALUES: "novel_share_excess",
    SignalType.FRESHNESS: "staleness_in_gaps",
    SignalType.METRIC_ANOMALY: "robust_z",
    SignalType.INSUFFICIENT_DATA: "column_profile",
}
