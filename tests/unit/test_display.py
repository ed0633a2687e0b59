"""p-values for people: an underflow reads as a bound, never as 0; stored values stay the doubles."""

from __future__ import annotations

import pytest
from scipy import stats as sps

from dqp_runner import stats
from dqp_runner.display import SMALLEST_SHOWN_P_VALUE, p_value_text


@pytest.mark.parametrize(
    ("p_value", "text"),
    [
        (None, "-"),
        (0.0, "< 1e-300"),
        (5e-324, "< 1e-300"),  # the smallest subnormal: no accurate digits left
        (9.9e-301, "< 1e-300"),
        (1e-300, "1e-300"),
        (2e-9, "2e-09"),
        (0.04321, "0.04321"),
        (1.0, "1"),
    ],
)
def test_p_value_text(p_value: float | None, text: str) -> None:
    assert p_value_text(p_value) == text


def test_p_value_text_keeps_the_callers_digits() -> None:
    assert p_value_text(0.012345, significant_digits=2) == "0.012"
    assert p_value_text(0.0, significant_digits=2) == f"< {SMALLEST_SHOWN_P_VALUE:g}"


def test_a_real_underflow_is_shown_as_a_bound() -> None:
    """A null rate from 0 to 50% on a million rows: the p-value is far below a double's range."""
    p_value = stats.rate_increase_p_value(0, 1_000_000, 500_000, 1_000_000)
    assert p_value is not None
    assert p_value == 0.0 or p_value < SMALLEST_SHOWN_P_VALUE
    assert sps.norm.sf(40.0) == 0.0  # the oracle: scipy underflows the same way
    assert p_value_text(p_value) == "< 1e-300"


def test_the_check_table_shows_an_underflowed_p_value_as_a_bound() -> None:
    from types import SimpleNamespace

    from rich.console import Console

    from dqp_runner.cli import _render_signals

    row = {
        "column_name": "amount", "signal_type": "null_rate", "method": "fisher_exact", "metric_value": 0.5,
        "threshold": 0.05, "p_value": 0.0, "severity": "high", "score_impact": 20.0,
        "recommended_action": "INVESTIGATE_NULLS", "trend": "new", "details": {},
    }
    item = SimpleNamespace(run=SimpleNamespace(dataset_name="orders"), signal_rows=lambda: [row])
    console = Console(record=True, width=200)
    _render_signals(console, item, top_signals=5)  # type: ignore[arg-type]
    line = next(text for text in console.export_text().splitlines() if "amount" in text)
    assert "< 1e-300" in line and " 0 " not in line
    assert row["p_value"] == 0.0  # what is stored and in the JSON stays the double
