"""How dqp writes numbers for people: the check table, the report and reason text.

Stored values and the JSON output stay the real doubles; only what a person
reads is rounded or bounded here.
"""

from __future__ import annotations

# Below this a p-value is written as a bound: the tails dqp computes underflow to
# 0 (or to a subnormal with no accurate digits) long before a double runs out, and
# "0" would read as "impossible" rather than "smaller than we can say".
SMALLEST_SHOWN_P_VALUE = 1e-300


def p_value_text(p_value: float | None, significant_digits: int = 4) -> str:
    """A p-value for people: "-" when there is none, "< 1e-300" when it is below that (0 included)."""
    if p_value is None:
        return "-"
    if p_value < SMALLEST_SHOWN_P_VALUE:
        return f"< {SMALLEST_SHOWN_P_VALUE:g}"
    return f"{p_value:.{significant_digits}g}"
