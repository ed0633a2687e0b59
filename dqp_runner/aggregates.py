"""Typed, in-memory form of the aggregate tables the dbt package writes.

The warehouse module fills these from ``dqp_column_profiles``, ``dqp_histograms``,
``dqp_category_counts``, ``dqp_schema_snapshots`` and ``dqp_profile_runs``; the
pure signal and scoring code only ever sees these objects, never a connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Side = Literal["reference", "current"]
ColumnKind = Literal["numeric", "categorical", "temporal", "other"]
KsMethod = Literal["exact", "binned"]


@dataclass(frozen=True)
class ColumnProfile:
    """One row of ``dqp_column_profiles``: one column on one side.

    Numeric statistics cover finite values only; NULL, NaN and +/-Infinity are
    counted separately. Outlier bounds always come from the *reference* side,
    so ``iqr_outlier_count`` on the reference is its own outlier count.
    A 'temporal' column (date or timestamp) is profiled as a number: its value
    statistics are seconds since 1970-01-01 00:00:00 UTC. ``singleton_count``
    (values seen exactly once on this side) and, on the current side,
    ``novel_row_count`` (rows whose value never occurs in the reference) are
    set for categorical columns only.
    """

    column_name: str
    column_position: int
    data_type: str
    column_kind: ColumnKind
    ks_method: KsMethod | None
    row_count: int
    null_count: int
    nan_count: int
    pos_inf_count: int
    neg_inf_count: int
    distinct_count: int
    min_value: float | None = None
    max_value: float | None = None
    mean_value: float | None = None
    stddev_value: float | None = None
    q1_value: float | None = None
    median_value: float | None = None
    q3_value: float | None = None
    iqr_lower_bound: float | None = None
    iqr_upper_bound: float | None = None
    iqr_outlier_count: int | None = None
    zscore_lower_bound: float | None = None
    zscore_upper_bound: float | None = None
    zscore_outlier_count: int | None = None
    singleton_count: int | None = None
    novel_row_count: int | None = None

    @property
    def null_rate(self) -> float | None:
        return self.null_count / self.row_count if self.row_count else None

    @property
    def finite_count(self) -> int:
        return self.row_count - self.null_count - self.nan_count - self.pos_inf_count - self.neg_inf_count


@dataclass(frozen=True)
class HistogramBin:
    """One row of ``dqp_histograms``.

    ``psi`` and ``ks_binned`` bins are right-closed intervals (lower, upper];
    ``None`` edges are open (-inf / +inf). The PSI null bin (NULL and NaN) has
    ``is_null_bin`` set. ``ks_exact`` rows carry one distinct ``bin_value`` each.
    """

    bin_index: int
    lower_edge: float | None
    upper_edge: float | None
    bin_value: float | None
    value_count: int
    is_null_bin: bool = False


@dataclass(frozen=True)
class CategoryCount:
    """One row of ``dqp_category_counts``; kind is 'value', 'other' or 'null'."""

    category_value: str
    category_kind: Literal["value", "other", "null"]
    value_count: int


@dataclass(frozen=True)
class SchemaColumn:
    column_name: str
    column_position: int
    data_type: str


@dataclass
class SideAggregates:
    """Everything computed for one side (reference or current) of a dataset.

    Above the dataset's row budget the side's distribution rows (PSI and KS
    bins, category counts, singleton and novel counts) come from a uniform
    sample of ``sampled_rows`` rows, each row kept with probability
    ``sample_fraction``; both are None when the side was read whole. The
    profiles' counts, moments and fence counts are always of the whole side.
    """

    profiles: dict[str, ColumnProfile] = field(default_factory=dict)
    psi_bins: dict[str, list[HistogramBin]] = field(default_factory=dict)
    ks_bins: dict[str, list[HistogramBin]] = field(default_factory=dict)
    categories: dict[str, list[CategoryCount]] = field(default_factory=dict)
    schema: list[SchemaColumn] = field(default_factory=list)
    sampled_rows: int | None = None
    sample_fraction: float | None = None


@dataclass
class DatasetAggregates:
    """One dataset's profile run: both sides plus the declaration it ran with."""

    dataset_name: str
    run_id: str
    reference_kind: str
    critical_columns: frozenset[str]
    reference: SideAggregates
    current: SideAggregates
    # Length of each side's time window in days (time-window references only);
    # volume is compared per day when both are set.
    reference_window_days: float | None = None
    current_window_days: float | None = None
    # When each side was observed, in epoch seconds: the run's start for a
    # relation reference, each side's window end for a time split. Freshness
    # measures a side's age against it.
    reference_as_of: float | None = None
    current_as_of: float | None = None
