"""Every metric one check computes, fired or not: the one home of each statistic.

``evaluate_dataset`` yields one ``ColumnMetric`` per test it runs (a column's
PSI, KS, null rate, outlier excess, ...; ``column_name`` is None for
dataset-level tests such as volume). The checker stores them all in
``dqp_column_metrics``; the dbt generic tests, the report and BI read that
table and never recompute a statistic. Signals (the explanation rows) are the
metrics that fired, plus ``insufficient_data`` rows.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

JsonScalar = str | int | float | bool | None
JsonValue = JsonScalar | list[str]


# Metrics named ``*_increase`` or ``*_excess`` are one-sided: only a rise can fire.
ONE_SIDED_SUFFIXES = ("_increase", "_excess")


class MetricState(enum.StrEnum):
    """What became of one metric in one check."""

    FIRED = "fired"  # crossed its level and passed its significance test: a signal row exists
    BELOW_THRESHOLD = "below_threshold"  # computed, and below its level or not significant
    INSUFFICIENT_DATA = "insufficient_data"  # not computable or not trustworthy at this sample size
    MUTED = "muted"  # reserved for the alert lifecycle: computed and fired, but muted by a person


@dataclass(frozen=True)
class ColumnMetric:
    """One row of ``dqp_column_metrics``.

    ``metric_value`` is the statistic the ``threshold`` applies to (e.g. PSI,
    KS D, the null-rate increase). ``current_value`` and ``reference_value``
    are the side-level quantities it was derived from where they exist (e.g.
    each side's null rate or outlier rate), so a dbt test such as
    ``dqp_null_rate_below`` reads ``current_value``. ``p_value`` is the raw
    p-value of the significance test; ``p_value_adjusted`` the one after the
    dataset's multiple-testing correction (what the decision used).
    ``threshold`` is the lowest level that fires (the medium level, or a noise
    floor above it); ``severity`` is set only when ``state`` is FIRED.
    """

    column_name: str | None
    metric_name: str
    signal_type: str
    method: str
    state: MetricState
    metric_value: float | None = None
    threshold: float | None = None
    current_value: float | None = None
    reference_value: float | None = None
    p_value: float | None = None
    p_value_adjusted: float | None = None
    error_bound: float | None = None
    reference_n: int | None = None
    current_n: int | None = None
    severity: str | None = None
    details: Mapping[str, JsonValue] = field(default_factory=dict)

    def details_json(self) -> str:
        for key, value in self.details.items():
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"metric detail {key!r} is not finite")
        return json.dumps(dict(self.details), sort_keys=True, separators=(",", ":"), allow_nan=False)

    @property
    def closeness(self) -> float | None:
        """|metric_value| / threshold (for a one-sided metric, its rise only): 1.0 = at its level."""
        if self.metric_value is None or self.threshold is None or self.threshold <= 0:
            return None
        if self.metric_name.endswith(ONE_SIDED_SUFFIXES):
            return max(self.metric_value, 0.0) / self.threshold  # a decrease never comes close
        return abs(self.metric_value) / self.threshold


def near_misses(metrics: Iterable[ColumnMetric], limit: int = 5, alpha: float | None = None) -> list[ColumnMetric]:
    """The ``below_threshold`` metrics that came closest to firing, closest first.

    A metric fires when its effect reaches its level *and* its adjusted
    p-value is below alpha, so with ``alpha`` it ranks by the nearer miss of
    the two: ``min(closeness, alpha / p_value_adjusted)``. A large effect on a
    handful of rows (p = 0.8) is then not a near miss. Without ``alpha``, or
    for a metric with no significance test, it ranks by ``closeness`` alone.
    Metrics without a closeness (no threshold) are left out. Ties keep a fixed
    order (column, metric name), so the list is deterministic.
    """
    if limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    candidates = [m for m in metrics if m.state == MetricState.BELOW_THRESHOLD and m.closeness is not None]

    def key(metric: ColumnMetric) -> tuple[float, float, str, str]:
        p_value = metric.p_value_adjusted if metric.p_value_adjusted is not None else 1.0
        return (-firing_closeness(metric, alpha), p_value, metric.column_name or "", metric.metric_name)

    return sorted(candidates, key=key)[:limit]


def firing_closeness(metric: ColumnMetric, alpha: float | None) -> float:
    """How near a metric came to firing: 1.0 means both its effect level and alpha were reached."""
    closeness = metric.closeness or 0.0
    if alpha is None or metric.p_value_adjusted is None:
        return closeness
    if metric.p_value_adjusted <= 0.0:
        return closeness
    return min(closeness, alpha / metric.p_value_adjusted)
