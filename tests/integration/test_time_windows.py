"""Time-split windows anchored at run_started_at select the rows their recorded
bounds say, for columns with and without a time zone, whatever the session's
time zone (here Asia/Tokyo, so a UTC/local mix-up would move the windows 9 h)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support.dbt_project import DbtProject

MODELS = {
    "windowed_events_zoned": "now()",
    "windowed_events_naive": "cast(timezone('UTC', now()) as timestamp)",
}
DECLARATIONS = """version: 2
models:
""" + "".join(
    f"""  - name: {name}
    config:
      meta:
        dqp:
          reference: {{time_column: event_at, current_window_days: 1, reference_window_days: 2, anchor: run_started_at}}
          exclude_columns: [id]
"""
    for name in MODELS
)


def _utc(value: datetime) -> datetime:
    """Naive values are UTC wall time; aware ones are converted to it."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@pytest.mark.parametrize("dataset", sorted(MODELS))
def test_run_started_at_windows_select_their_bounds(fresh_project: DbtProject, dataset: str) -> None:
    models = fresh_project.path / "models" / "time_windows"
    models.mkdir()
    for name, now in MODELS.items():
        # every 30 minutes back from the build, over about four days
        (models / f"{name}.sql").write_text(
            f"select i as id, {now} - (i * 30 + 15) * interval '1 minute' as event_at, i * 1.0 as x\n"
            "from generate_series(1, 200) as g(i)\n"
        )
    (models / "time_windows.yml").write_text(DECLARATIONS)
    fresh_project.env.update(TZ="Asia/Tokyo", PGTZ="Asia/Tokyo")
    fresh_project.dbt("run", "--select", "package:dqp", "time_windows")

    runs = fresh_project.query(
        "select profiled_at, current_window_start, current_window_end, reference_window_start, reference_window_end "
        f"from {{schema}}.dqp_profile_runs where dataset_name = '{dataset}'"
    )
    assert len(runs) == 1
    profiled_at, *bounds = runs[0]
    current_start, current_end, reference_start, reference_end = (datetime.fromisoformat(b) for b in bounds)
    # the anchor is run_started_at, recorded naive UTC as profiled_at
    assert _utc(current_end) == _utc(profiled_at)
    assert reference_end == current_start

    rows: list[tuple[Any, ...]] = fresh_project.query(f"select event_at, x from {{schema}}.{dataset}")
    expected = {}
    for side, start, end in (("current", current_start, current_end), ("reference", reference_start, reference_end)):
        selected = [float(x) for t, x in rows if _utc(start) < _utc(t) <= _utc(end)]
        expected[side] = (len(selected), min(selected), max(selected))
    assert expected["current"][0] >= 40 and expected["reference"][0] >= 90  # about 47 and 96
    got = {
        side: (int(count), float(low), float(high))
        for side, count, low, high in fresh_project.query(
            f"select side, row_count, min_value, max_value from {{schema}}.dqp_column_profiles "
            f"where dataset_name = '{dataset}' and column_name = 'x'"
        )
    }
    assert got == expected  # the same rows: x numbers them
    # bounds carry an offset exactly when the column has a time zone, and it is UTC
    offsets = {b.utcoffset() for b in (current_start, current_end, reference_start, reference_end)}
    assert offsets == ({timedelta(0)} if dataset.endswith("_zoned") else {None})
