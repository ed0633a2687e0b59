"""Integer and decimal columns beyond double precision are profiled exactly:
the integration project's big_numbers compares a decimal(38,10) near 9e27 and
a bigint above 2^53 (integration_tests/macros/big_numbers.sql), values a
double cannot tell apart. Oracles: Python ints and Decimals, numpy, scipy."""

from __future__ import annotations

import statistics
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from scipy import stats as sps

from tests.support.dbt_project import DbtProject

BASE = {"huge_decimal": Decimal("9e27"), "huge_bigint": 2**53}
STEPS = range(1000)
EXACT = {
    ("huge_decimal", "reference"): [Decimal("9e27") + k for k in STEPS],
    ("huge_decimal", "current"): [Decimal("9e27") + k + 300 for k in STEPS],
    ("huge_bigint", "reference"): [2**53 + k for k in STEPS],
    ("huge_bigint", "current"): [2**53 + 2 * k + 1 for k in STEPS],
}


def _profile(project: DbtProject, column: str, side: str) -> dict[str, Any]:
    names = ("column_kind", "ks_method", "distinct_count", "value_offset", "min_value", "max_value",
             "mean_value", "stddev_value", "median_value")
    rows = project.query(
        f"select {', '.join(names)} from {{schema}}.dqp_column_profiles "
        f"where dataset_name = 'big_numbers' and column_name = '{column}' and side = '{side}'"
    )
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


@pytest.mark.parametrize("column", ["huge_decimal", "huge_bigint"])
@pytest.mark.parametrize("side", ["reference", "current"])
def test_exact_types_keep_their_distinct_values_and_spread(built_project: DbtProject, column: str, side: str) -> None:
    values = EXACT[column, side]
    # the premise: as doubles, these values collapse
    assert len({float(value) for value in values}) < len(values)
    profile = _profile(built_project, column, side)
    assert profile["distinct_count"] == len(set(values))
    assert profile["column_kind"] == "numeric" and profile["ks_method"] == "exact"
    # statistics are relative to the reference minimum, taken in the column's own type
    offset = Decimal(profile["value_offset"])
    assert offset == min(EXACT[column, "reference"])
    relative = [float(Decimal(value) - offset) for value in values]
    assert profile["min_value"] == min(relative) and profile["max_value"] == max(relative)
    assert profile["mean_value"] == pytest.approx(float(np.mean(relative)), rel=1e-12)
    assert profile["stddev_value"] == pytest.approx(statistics.stdev(relative), rel=1e-12)
    assert profile["median_value"] == pytest.approx(float(np.median(relative)), rel=1e-12)


@pytest.mark.parametrize("column", ["huge_decimal", "huge_bigint"])
def test_exact_ks_rows_rebuild_scipy_on_the_exact_values(built_project: DbtProject, column: str) -> None:
    offset = Decimal(_profile(built_project, column, "reference")["value_offset"])
    samples = []
    for side in ("reference", "current"):
        rows = built_project.query(
            "select bin_value, value_count from {schema}.dqp_histograms "
            f"where dataset_name = 'big_numbers' and column_name = '{column}' and side = '{side}' "
            "and histogram_kind = 'ks_exact' order by bin_index"
        )
        exact = EXACT[column, side]
        assert len(rows) == len(set(exact)), "one row per exact distinct value"
        assert sorted(Decimal(row[0]) + offset for row in rows) == sorted(Decimal(value) for value in set(exact))
        samples.append(np.repeat([row[0] for row in rows], [row[1] for row in rows]))
    expected = sps.ks_2samp(
        [int(value - min(EXACT[column, "reference"])) for value in EXACT[column, "reference"]],
        [int(value - min(EXACT[column, "reference"])) for value in EXACT[column, "current"]],
    )
    assert sps.ks_2samp(samples[0], samples[1]).statistic == pytest.approx(expected.statistic, abs=1e-12)
    assert expected.statistic > 0.2 if column == "huge_decimal" else True
    assert offset == min(EXACT[column, "reference"])
