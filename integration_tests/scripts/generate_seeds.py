"""Regenerate the integration seeds deterministically: python scripts/generate_seeds.py.

Each scenario is a reference/current pair sharing one reference where it can,
so a test can say exactly which change each dataset carries.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def orders(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": np.arange(1, n + 1),
            "amount": np.round(rng.normal(100.0, 15.0, n), 2),
            "quantity": rng.poisson(6.0, n),
            "channel": rng.choice(["web", "store", "app", "phone"], n, p=[0.5, 0.3, 0.15, 0.05]),
            "is_gift": rng.random(n) < 0.1,
        }
    )


def main() -> None:
    SEEDS.mkdir(exist_ok=True)
    rng = np.random.default_rng(20261122)
    reference = orders(rng, 3000)
    reference.to_csv(SEEDS / "orders_reference.csv", index=False)
    orders(rng, 2000).to_csv(SEEDS / "orders_nodrift.csv", index=False)

    shifted = orders(rng, 2000)
    shifted["amount"] = np.round(shifted["amount"] + 30.0, 2)
    shifted.to_csv(SEEDS / "orders_mean_shift.csv", index=False)

    scaled = orders(rng, 2000)
    scaled["amount"] = np.round(100.0 + (scaled["amount"] - 100.0) * 3.0, 2)
    scaled.to_csv(SEEDS / "orders_scale_change.csv", index=False)

    categories = orders(rng, 2000)
    categories["channel"] = rng.choice(["web", "store", "app", "kiosk"], 2000, p=[0.2, 0.2, 0.3, 0.3])
    categories.to_csv(SEEDS / "orders_category_shift.csv", index=False)

    nulls = orders(rng, 2000)
    nulls["amount"] = nulls["amount"].where(rng.random(2000) > 0.4)
    nulls.to_csv(SEEDS / "orders_null_spike.csv", index=False)

    outliers = orders(rng, 2000)
    spikes = rng.random(2000) < 0.08
    outliers.loc[spikes, "amount"] = np.round(rng.uniform(400.0, 900.0, int(spikes.sum())), 2)
    outliers.to_csv(SEEDS / "orders_outliers.csv", index=False)

    schema = orders(rng, 2000).drop(columns=["quantity"])
    schema["discount"] = np.round(rng.uniform(0.0, 0.3, 2000), 3)
    schema.to_csv(SEEDS / "orders_schema_change.csv", index=False)

    # Edge cases, with identifiers that need quoting.
    def edge(n: int, moved: bool) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "row_id": np.arange(1, n + 1),
                "all_null": [None] * n,
                "constant_same": [5] * n,
                "constant_moves": [7 if moved else 5] * n,
                "few_values": rng.choice([1, 2, 3], n),
                "Order Amount": np.round(rng.gamma(2.0, 20.0, n), 2),
                "MixedCase": rng.integers(0, 50, n),
                "select": rng.choice(["x", "y", "it's"], n),
                "café": np.round(rng.normal(0.0, 1.0, n), 4),
            }
        )

    edge(400, moved=False).to_csv(SEEDS / "edge_reference.csv", index=False)
    edge(300, moved=True).to_csv(SEEDS / "edge_current.csv", index=False)

    # Floats with NaN and infinities, kept as text in the seed and cast by a model.
    def nonfinite(n: int, share: float) -> pd.DataFrame:
        values = np.round(rng.normal(10.0, 2.0, n), 3).astype(str).astype(object)
        marks = rng.random(n)
        values[marks < share] = "NaN"
        values[(marks >= share) & (marks < 2 * share)] = "Infinity"
        values[(marks >= 2 * share) & (marks < 3 * share)] = "-Infinity"
        values[(marks >= 3 * share) & (marks < 4 * share)] = ""
        return pd.DataFrame({"reading_id": np.arange(1, n + 1), "reading_text": values})

    # A column whose reference holds no finite value at all (only +/-Infinity,
    # NaN and empty), so it has no reference cuts. Its own generator keeps the
    # other seeds unchanged.
    extra = np.random.default_rng(20261122)

    def without_finite_reference(frame: pd.DataFrame, side: str) -> pd.DataFrame:
        n = len(frame)
        if side == "reference":
            values = extra.choice(np.array(["Infinity", "-Infinity", "NaN", ""], dtype=object), n, p=[0.4, 0.4, 0.1, 0.1])
        else:
            values = np.round(extra.normal(0.0, 1.0, n), 3).astype(str).astype(object)
        return frame.assign(infinite_reference_text=values)

    without_finite_reference(nonfinite(500, 0.02), "reference").to_csv(SEEDS / "readings_reference_raw.csv", index=False)
    without_finite_reference(nonfinite(500, 0.06), "current").to_csv(SEEDS / "readings_current_raw.csv", index=False)

    # One relation split by time: 28 quiet days, then a drifted last day.
    days = pd.date_range("2026-10-01", periods=29, freq="D")
    rows = []
    event_id = 0
    for day_number, day in enumerate(days):
        last_day = day_number == len(days) - 1
        for _ in range(60):
            event_id += 1
            seconds = int(rng.integers(0, 86_400))
            latency = rng.lognormal(3.0 + (0.8 if last_day else 0.0), 0.3)
            rows.append((event_id, day + pd.Timedelta(seconds=seconds), round(float(latency), 3)))
    pd.DataFrame(rows, columns=["event_id", "event_at", "latency_ms"]).to_csv(SEEDS / "events.csv", index=False)

    # Novel values: 300 repeating user ids, then the same rows with a new id
    # space; session_id is a unique id on both sides (every value new, and
    # expected to be). Their own generator keeps the other seeds unchanged.
    novel = np.random.default_rng(20261123)

    def accounts(n: int, first_session: int, user_prefix: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "account_event_id": np.arange(1, n + 1),
                "user_id": [f"{user_prefix}_{i}" for i in novel.integers(1, 301, n)],
                "session_id": [f"session_{first_session + i}" for i in range(n)],
                "plan": novel.choice(["free", "pro", "team"], n, p=[0.6, 0.3, 0.1]),
            }
        )

    accounts(2000, 1, "user").to_csv(SEEDS / "accounts_reference.csv", index=False)
    accounts(2000, 2001, "user").to_csv(SEEDS / "accounts_nodrift.csv", index=False)
    accounts(2000, 4001, "zzz").to_csv(SEEDS / "accounts_replaced.csv", index=False)

    # Temporal columns: a date and a timestamp over one quarter; the shifted
    # current is a fresh sample moved back one year.
    temporal = np.random.default_rng(20261124)

    def visits(n: int, years_back: int) -> pd.DataFrame:
        start = pd.Timestamp("2026-07-01") - pd.DateOffset(years=years_back)
        seconds = np.sort(temporal.integers(0, 92 * 86_400, n))
        visited_at = start + pd.to_timedelta(seconds, unit="s")
        return pd.DataFrame(
            {
                "visit_id": np.arange(1, n + 1),
                "visit_date": visited_at.strftime("%Y-%m-%d"),
                "visited_at": visited_at.strftime("%Y-%m-%d %H:%M:%S"),
                "duration_s": np.round(temporal.gamma(2.0, 30.0, n), 1),
            }
        )

    visits(1000, 0).to_csv(SEEDS / "visits_reference.csv", index=False)
    visits(1000, 0).to_csv(SEEDS / "visits_nodrift.csv", index=False)
    visits(1000, 1).to_csv(SEEDS / "visits_shifted.csv", index=False)


if __name__ == "__main__":
    main()
