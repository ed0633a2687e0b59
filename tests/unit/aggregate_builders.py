"""Turn small raw samples into the aggregate dataclasses, the way the SQL side would.

Numeric samples are sequences of floats or None (NULL); NaN and +/-inf are
kept as such. Temporal samples are numeric samples of epoch seconds.
Categorical samples are sequences of str or None.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from dqp_runner.aggregates import (
    CategoryCount,
    ColumnProfile,
    DatasetAggregates,
    HistogramBin,
    SchemaColumn,
    SideAggregates,
)


@dataclass(frozen=True)
class Sample:
    """A large numeric sample without Python lists: the non-NULL values (NaN and
    +/-inf kept) and how many NULLs there are. Aggregates depend on counts only,
    so where the NULLs sit does not matter."""

    values: np.ndarray
    nulls: int = 0

    def __len__(self) -> int:
        return int(self.values.size) + self.nulls


NumericSample = Sequence[float | None] | Sample
CategoricalSample = Sequence[str | None]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Literal["numeric", "categorical", "temporal"]
    reference: Sequence[Any]
    current: Sequence[Any]
    data_type: str = ""


def num(name: str, reference: NumericSample, current: NumericSample) -> Column:
    return Column(name, "numeric", reference, current, "double precision")


def temporal(name: str, reference: NumericSample, current: NumericSample) -> Column:
    """A date or timestamp column, as the SQL side profiles it: epoch seconds."""
    return Column(name, "temporal", reference, current, "timestamp")


def cat(name: str, reference: CategoricalSample, current: CategoricalSample) -> Column:
    return Column(name, "categorical", reference, current, "text")


def not_null(sample: NumericSample) -> np.ndarray:
    """Every non-NULL value as a float array (NaN and +/-inf kept)."""
    if isinstance(sample, Sample):
        return np.asarray(sample.values, dtype=np.float64)
    return np.array([v for v in sample if v is not None], dtype=np.float64)


def ks_population(sample: NumericSample) -> np.ndarray:
    """What KS ranks: non-NULL, non-NaN values (infinities included)."""
    x = not_null(sample)
    return x[~np.isnan(x)]


def reference_edges(reference: NumericSample, quantiles: int) -> np.ndarray:
    x = not_null(reference)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.zeros(0)
    return np.unique(np.quantile(x, np.arange(1, quantiles) / quantiles))


def right_closed_counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts in (-inf, e0], (e0, e1], ..., (e_last, +inf)."""
    return np.bincount(np.searchsorted(edges, values, side="left"), minlength=edges.size + 1)


def psi_counts(sample: NumericSample, edges: np.ndarray, null_bin: bool) -> np.ndarray:
    """PSI bin counts computed straight from the raw sample (the oracle's view)."""
    x = not_null(sample)
    counts = right_closed_counts(x[~np.isnan(x)], edges)
    if null_bin:
        counts = np.append(counts, len(sample) - x.size + int(np.isnan(x).sum()))
    return counts


def _bins(counts: np.ndarray, edges: np.ndarray, keep_empty: bool) -> list[HistogramBin]:
    out = []
    for j, count in enumerate(counts):
        if count == 0 and not keep_empty:
            continue  # a GROUP BY emits no row for an empty bin
        lower = None if j == 0 else float(edges[j - 1])
        upper = None if j == edges.size else float(edges[j])
        out.append(HistogramBin(j, lower, upper, None, int(count)))
    return out


def psi_bins(sample: NumericSample, edges: np.ndarray, keep_empty: bool = False) -> list[HistogramBin]:
    x = not_null(sample)
    values = x[~np.isnan(x)]
    out = _bins(right_closed_counts(values, edges), edges, keep_empty)
    nulls = len(sample) - x.size + int(np.isnan(x).sum())
    if nulls or keep_empty:
        out.append(HistogramBin(edges.size + 1, None, None, None, nulls, is_null_bin=True))
    return out


def ks_exact_bins(sample: NumericSample) -> list[HistogramBin]:
    values, counts = np.unique(ks_population(sample), return_counts=True)
    return [HistogramBin(i, None, None, float(v), int(c)) for i, (v, c) in enumerate(zip(values, counts, strict=True))]


def ks_binned_bins(sample: NumericSample, edges: np.ndarray) -> list[HistogramBin]:
    return _bins(right_closed_counts(ks_population(sample), edges), edges, keep_empty=False)


@dataclass(frozen=True)
class Bounds:
    q1: float
    median: float
    q3: float
    iqr_lower: float
    iqr_upper: float
    mean: float
    stddev: float
    z_lower: float
    z_upper: float


def reference_bounds(reference: NumericSample) -> Bounds | None:
    x = not_null(reference)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return None
    q1, median, q3 = (float(v) for v in np.percentile(x, [25, 50, 75]))
    iqr = q3 - q1
    mean = float(x.mean())
    std = float(x.std(ddof=1)) if x.size > 1 else 0.0
    return Bounds(q1, median, q3, q1 - 1.5 * iqr, q3 + 1.5 * iqr, mean, std, mean - 3 * std, mean + 3 * std)


def numeric_profile(
    column: Column, sample: NumericSample, bounds: Bounds | None, ks_method: Literal["exact", "binned"]
) -> ColumnProfile:
    x = not_null(sample)
    finite = x[np.isfinite(x)]
    has = finite.size > 0
    iqr_out = zs_out = None
    if bounds is not None:
        iqr_out = int(((finite < bounds.iqr_lower) | (finite > bounds.iqr_upper)).sum())
        zs_out = int(((finite < bounds.z_lower) | (finite > bounds.z_upper)).sum())
    return ColumnProfile(
        column_name=column.name,
        column_position=0,
        data_type=column.data_type,
        column_kind="temporal" if column.kind == "temporal" else "numeric",
        ks_method=ks_method,
        row_count=len(sample),
        null_count=len(sample) - x.size,
        nan_count=int(np.isnan(x).sum()),
        pos_inf_count=int(np.isposinf(x).sum()),
        neg_inf_count=int(np.isneginf(x).sum()),
        distinct_count=int(np.unique(x).size),
        min_value=float(finite.min()) if has else None,
        max_value=float(finite.max()) if has else None,
        mean_value=float(finite.mean()) if has else None,
        # stddev_samp: NULL below two values.
        stddev_value=float(finite.std(ddof=1)) if finite.size > 1 else None,
        iqr_lower_bound=None if bounds is None else bounds.iqr_lower,
        iqr_upper_bound=None if bounds is None else bounds.iqr_upper,
        iqr_outlier_count=iqr_out,
        zscore_lower_bound=None if bounds is None else bounds.z_lower,
        zscore_upper_bound=None if bounds is None else bounds.z_upper,
        zscore_outlier_count=zs_out,
    )


def category_counts(sample: CategoricalSample, top: Iterable[str] | None = None) -> list[CategoryCount]:
    """Value rows for ``top`` (all values when None), then the 'other' and 'null' buckets."""
    counts = Counter(v for v in sample if v is not None)
    keep = set(counts) if top is None else set(top)
    rows = [CategoryCount(v, "value", c) for v, c in sorted(counts.items()) if v in keep]
    other = sum(c for v, c in counts.items() if v not in keep)
    if other:
        rows.append(CategoryCount("__other__", "other", other))
    nulls = sum(1 for v in sample if v is None)
    if nulls:
        rows.append(CategoryCount("__null__", "null", nulls))
    return rows


def categorical_profile(
    column: Column, sample: CategoricalSample, reference: CategoricalSample | None = None
) -> ColumnProfile:
    """``reference`` given: the current side, whose novel rows are counted against it."""
    values = [v for v in sample if v is not None]
    counts = Counter(values)
    seen = None if reference is None else {v for v in reference if v is not None}
    return ColumnProfile(
        column_name=column.name,
        column_position=0,
        data_type=column.data_type,
        column_kind="categorical",
        ks_method=None,
        row_count=len(sample),
        null_count=len(sample) - len(values),
        nan_count=0,
        pos_inf_count=0,
        neg_inf_count=0,
        distinct_count=len(set(values)),
        singleton_count=sum(1 for c in counts.values() if c == 1),
        novel_row_count=None if seen is None else sum(1 for v in values if v not in seen),
    )


def build_dataset(
    *columns: Column,
    ks_method: Literal["exact", "binned", "auto"] = "exact",
    ks_quantiles: int = 1000,
    ks_exact_max_distinct: int = 10_000,
    psi_quantiles: int = 10,
    critical: Iterable[str] = (),
    reference_window_days: float | None = None,
    current_window_days: float | None = None,
    reference_as_of: float | None = None,
    current_as_of: float | None = None,
) -> DatasetAggregates:
    """Both sides of a dataset from raw samples, binned on reference quantiles.

    ``ks_method='auto'`` chooses per column as the SQL does: exact values when
    both sides' distinct counts add up to at most ``ks_exact_max_distinct``,
    otherwise ``ks_quantiles`` reference quantile cuts. The KS cuts always
    include the PSI edges, as in the SQL.
    """
    ref, cur = SideAggregates(), SideAggregates()
    for position, column in enumerate(columns):
        for side in (ref, cur):
            side.schema.append(SchemaColumn(column.name, position, column.data_type))
        if column.kind in ("numeric", "temporal"):
            bounds = reference_bounds(column.reference)
            psi_edges = reference_edges(column.reference, psi_quantiles)
            ks_edges = np.union1d(reference_edges(column.reference, ks_quantiles), psi_edges)
            method: Literal["exact", "binned"]
            if ks_method == "auto":
                distinct = np.unique(not_null(column.reference)).size + np.unique(not_null(column.current)).size
                method = "exact" if distinct <= ks_exact_max_distinct else "binned"
            else:
                method = ks_method
            for side, sample in ((ref, column.reference), (cur, column.current)):
                side.profiles[column.name] = numeric_profile(column, sample, bounds, method)
                side.psi_bins[column.name] = psi_bins(sample, psi_edges)
                side.ks_bins[column.name] = (
                    ks_exact_bins(sample) if method == "exact" else ks_binned_bins(sample, ks_edges)
                )
        else:
            ref.profiles[column.name] = categorical_profile(column, column.reference)
            cur.profiles[column.name] = categorical_profile(column, column.current, column.reference)
            for side, sample in ((ref, column.reference), (cur, column.current)):
                side.categories[column.name] = category_counts(sample)
    return DatasetAggregates(
        dataset_name="orders",
        run_id="run-1",
        reference_kind="relation",
        critical_columns=frozenset(critical),
        reference=ref,
        current=cur,
        reference_window_days=reference_window_days,
        current_window_days=current_window_days,
        reference_as_of=reference_as_of,
        current_as_of=current_as_of,
    )


def _take(sample: Sequence[Any], keep: np.ndarray | None) -> Sequence[Any]:
    """The rows of one column a row mask keeps (a Sample's NULLs sit after its values)."""
    if keep is None:
        return sample
    if isinstance(sample, Sample):
        size = sample.values.size
        return Sample(sample.values[keep[:size]], int(keep[size:].sum()))
    return [value for value, kept in zip(sample, keep, strict=True) if kept]


def build_sampled_dataset(
    *columns: Column,
    fractions: tuple[float | None, float | None],
    seed: int,
    ks_quantiles: int = 1000,
    psi_quantiles: int = 10,
    **options: Any,
) -> DatasetAggregates:
    """Both sides as the SQL builds them above the row budget: profiles (counts,
    moments, fences) of the whole sides; PSI, KS, category and novelty rows of a
    Bernoulli sample of each side's rows, kept with probability ``fractions``
    (reference, current; None: read whole), binned on the whole reference's cuts."""
    rng = np.random.default_rng(seed)
    aggregates = build_dataset(*columns, ks_quantiles=ks_quantiles, psi_quantiles=psi_quantiles, **options)
    sides = (aggregates.reference, aggregates.current)
    masks: list[np.ndarray | None] = []
    side_rows = (len(columns[0].reference), len(columns[0].current))
    for side, fraction, rows in zip(sides, fractions, side_rows, strict=True):
        keep = None if fraction is None else rng.random(rows) < fraction
        masks.append(keep)
        if keep is not None:
            side.sampled_rows, side.sample_fraction = int(keep.sum()), fraction
    for column in columns:
        reference, current = _take(column.reference, masks[0]), _take(column.current, masks[1])
        if column.kind in ("numeric", "temporal"):
            psi_edges = reference_edges(column.reference, psi_quantiles)
            ks_edges = np.union1d(reference_edges(column.reference, ks_quantiles), psi_edges)
            method = aggregates.reference.profiles[column.name].ks_method
            for side, sample in zip(sides, (reference, current), strict=True):
                side.psi_bins[column.name] = psi_bins(sample, psi_edges)
                side.ks_bins[column.name] = (
                    ks_exact_bins(sample) if method == "exact" else ks_binned_bins(sample, ks_edges)
                )
        else:
            novelty = (categorical_profile(column, reference), categorical_profile(column, current, reference))
            for side, sample, counted in zip(sides, (reference, current), novelty, strict=True):
                side.categories[column.name] = category_counts(sample)
                side.profiles[column.name] = replace(
                    side.profiles[column.name],
                    singleton_count=counted.singleton_count,
                    novel_row_count=counted.novel_row_count,
                )
    return aggregates
