"""A change that rewrites history (every row of the table corrupted, both
windows alike) is invisible to a time split, which compares the table with
itself, and caught by a fixed reference: here a relation built once from the
clean data, standing in for a pinned baseline (README "Known limits")."""

from __future__ import annotations

import json

from tests.support.dbt_project import DbtProject

# five days of 5-minute rows with a stationary spread; var scale corrupts every row alike
EVENTS = """select i as id,
    cast('2024-01-01' as timestamp) + i * 5 * interval '1 minute' as event_at,
    ((i * 7919) % 1000) / 10.0 * {{ var('scale', 1) }} as x
from generate_series(1, 1440) as g(i)
"""
DECLARATIONS = """version: 2
models:
  - name: rewritten_events
    config:
      meta:
        dqp:
          reference: {time_column: event_at, current_window_days: 1, reference_window_days: 2}
          exclude_columns: [id]
  - name: rewritten_vs_baseline
    config:
      meta:
        dqp:
          reference: {relation: rewritten_baseline}
          exclude_columns: [id, event_at]
"""


def test_a_rewrite_of_history_is_invisible_to_a_time_split_and_caught_by_a_baseline(
    fresh_project: DbtProject,
) -> None:
    project = fresh_project
    models = project.path / "models" / "rewrite"
    models.mkdir()
    (models / "rewritten_events.sql").write_text(EVENTS)
    (models / "rewritten_baseline.sql").write_text("select * from {{ ref('rewritten_events') }}\n")
    (models / "rewritten_vs_baseline.sql").write_text("select * from {{ ref('rewritten_events') }}\n")
    (models / "rewrite.yml").write_text(DECLARATIONS)

    project.dbt("run", "--select", "package:dqp", "rewrite")  # the baseline is built once, from clean data
    project.dbt("run", "--select", "rewritten_events", "rewritten_vs_baseline", "--vars", "{scale: 10}")

    result = project.dqp("check", "--dataset", "rewritten_events", "--dataset", "rewritten_vs_baseline",
                         "--format", "json")
    assert result.returncode in (0, 1), result.stdout + result.stderr
    datasets = {item["dataset_name"]: item for item in json.loads(result.stdout)["datasets"]}
    split, baseline = datasets["rewritten_events"], datasets["rewritten_vs_baseline"]
    # the time split sees the same (corrupted) spread in both windows: nothing to report
    assert split["decision"] == "NO_ACTION", split["signals"]
    # the fixed reference sees every value ten times larger
    assert baseline["decision"] == "BLOCK_PIPELINE", baseline["signals"]
    assert {signal["column_name"] for signal in baseline["signals"]} >= {"x"}
