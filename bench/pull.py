"""The pull baseline, run as its own process so its peak RSS can be measured:
read the profiled columns of both tables into pandas and compute, per column,
what a dataframe drift tool computes - two-sample KS and decile PSI for numeric
columns, a chi-square test of the category counts for text columns.

    python -m bench.pull '<json spec>'   # prints a JSON result on stdout

The spec: {"connection": {...engine connection...}, "schema": s,
"reference_table": t, "current_table": t, "numeric": [names], "text": [names]}.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from bench.data import quote_identifier

PSI_BINS = 10
PSI_FLOOR = 1e-6


def read_table(connection: dict[str, Any], schema: str, table: str, columns: list[str]) -> pd.DataFrame:
    sql = (
        f"select {', '.join(quote_identifier(c) for c in columns)} "
        f"from {quote_identifier(schema)}.{quote_identifier(table)}"
    )
    if connection["engine"] == "duckdb":
        import duckdb

        with duckdb.connect(connection["path"], read_only=True) as duck:
            return duck.execute(sql).df()
    import psycopg2

    pg = psycopg2.connect(host=connection["host"], port=connection["port"], user=connection["user"],
                          password=connection["password"], dbname=connection["dbname"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # pandas prefers SQLAlchemy; a DBAPI connection works
            return pd.read_sql_query(sql, pg)
    finally:
        pg.close()


def decile_psi(reference: np.ndarray, current: np.ndarray) -> float:
    """PSI over right-closed bins cut at the reference deciles."""
    edges = np.unique(np.quantile(reference, np.arange(1, PSI_BINS) / PSI_BINS))
    expected = np.bincount(np.searchsorted(edges, reference, side="left"), minlength=len(edges) + 1)
    actual = np.bincount(np.searchsorted(edges, current, side="left"), minlength=len(edges) + 1)
    p = np.maximum(expected / max(len(reference), 1), PSI_FLOOR)
    q = np.maximum(actual / max(len(current), 1), PSI_FLOOR)
    return float(np.sum((q - p) * np.log(q / p)))


def category_chi_square(reference: pd.Series, current: pd.Series) -> float:
    """p-value of a chi-square test of the two sides' category counts (nulls as a category)."""
    table = pd.concat(
        [reference.value_counts(dropna=False), current.value_counts(dropna=False)], axis=1
    ).fillna(0).to_numpy().T
    if table.shape[1] < 2:
        return 1.0
    return float(stats.chi2_contingency(table).pvalue)


def run(spec: dict[str, Any]) -> dict[str, Any]:
    columns = spec["numeric"] + spec["text"]
    started = time.perf_counter()
    reference = read_table(spec["connection"], spec["schema"], spec["reference_table"], columns)
    current = read_table(spec["connection"], spec["schema"], spec["current_table"], columns)
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    results: dict[str, dict[str, float]] = {}
    for name in spec["numeric"]:
        a = reference[name].dropna().to_numpy(dtype=float)
        b = current[name].dropna().to_numpy(dtype=float)
        ks = stats.ks_2samp(a, b)
        results[name] = {"ks_statistic": float(ks.statistic), "ks_pvalue": float(ks.pvalue), "psi": decile_psi(a, b)}
    for name in spec["text"]:
        results[name] = {"chi2_pvalue": category_chi_square(reference[name], current[name])}
    compute_seconds = time.perf_counter() - started
    return {
        "read_seconds": read_seconds,
        "compute_seconds": compute_seconds,
        "rows": [len(reference), len(current)],
        "columns": results,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(run(json.loads(argv[0]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
