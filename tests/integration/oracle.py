"""Independent expectations for the warehouse aggregates, computed with numpy
and scipy straight from the integration seed CSVs (never from dqp's tables)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tests.support.dbt_project import INTEGRATION_PROJECT

SEEDS = INTEGRATION_PROJECT / "seeds"


@dataclass(frozen=True)
class Column:
    """One column of one side: non-NULL values (NaN and +/-inf kept) and the NULL count."""

    values: np.ndarray
    null_count: int
    row_count: int

    @property
    def finite(self) -> np.ndarray:
        return self.values[np.isfinite(self.values)]

    @property
    def not_nan(self) -> np.ndarray:
        return self.values[~np.isnan(self.values)]


def _text_seed(name: str) -> pd.DataFrame:
    return pd.read_csv(SEEDS / f"{name}.csv", dtype=str, keep_default_na=False)


def _numeric(texts: pd.Series) -> Column:
    present = [float(text) for text in texts if text != ""]  # float() reads NaN and Infinity
    return Column(np.array(present, dtype=float), int((texts == "").sum()), len(texts))


def _window(frame: pd.DataFrame, side: str) -> pd.DataFrame:
    """events_daily's time split, anchored at max(event_at)."""
    at = pd.to_datetime(frame["event_at"])
    anchor = at.max()
    current_start = anchor - pd.Timedelta(days=1)
    if side == "current":
        return frame[(at > current_start) & (at <= anchor)]
    return frame[(at > current_start - pd.Timedelta(days=28)) & (at <= current_start)]


def side_frame(dataset: str, side: str) -> pd.DataFrame:
    """One side of a dataset as text, exactly as declared in schema.yml."""
    if dataset == "events_daily":
        return _window(_text_seed("events"), side)
    if dataset == "readings_current":
        frame = _text_seed(f"readings_{side}_raw")
        return frame.rename(columns={"reading_text": "reading", "infinite_reference_text": "infinite_reference"})
    if dataset == "edge_current":
        return _text_seed(f"edge_{side}")
    if side == "reference":
        return _text_seed("orders_reference")
    if dataset == "orders_empty":
        return _text_seed("orders_nodrift").iloc[0:0]
    if dataset == "orders_model":
        return _text_seed("orders_nodrift")
    return _text_seed(dataset)


def numeric_column(dataset: str, side: str, column: str) -> Column:
    return _numeric(side_frame(dataset, side)[column])


def category_counts(dataset: str, side: str, column: str) -> dict[str, int]:
    """Value counts as the warehouse spells them (booleans lower-case), NULL as '__null__'."""
    texts = side_frame(dataset, side)[column].map(lambda t: {"True": "true", "False": "false"}.get(t, t))
    counts = texts.replace("", "__null__").value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def quantiles(values: np.ndarray, levels: list[float]) -> list[float]:
    """percentile_cont: linear interpolation."""
    return [float(q) for q in np.quantile(values, levels, method="linear")]


def merged_edges(values: np.ndarray, levels: list[float]) -> list[float]:
    return sorted(set(quantiles(values, levels))) if values.size else []


def right_closed_counts(values: np.ndarray, edges: list[float]) -> list[int]:
    """Counts in (-inf, e0], (e0, e1], ..., (e_last, +inf)."""
    bins = np.searchsorted(np.array(edges, dtype=float), values, side="left")
    return [int(c) for c in np.bincount(bins, minlength=len(edges) + 1)]
