"""A reference assembled from stored daily windows (_dqp_assemble_reference)
equals a scan of the same days: counts exactly, moments to 1e-9 relative.
The windows share edges and fences because every daily run is binned against
one static reference relation, as a pinned baseline would supply them. The
assembly reads only stored rows, in the same statements for two windows as
for three; windows binned against different edges are refused by name."""

from __future__ import annotations

import math
from typing import Any

from tests.support.dbt_project import DbtProject

REFERENCE_MODEL = """select i as id, ((i * 7919) % 50) / 10.0 as x, ((i * 7919) % 1000) / 10.0 as y,
    case when i % 4 = 0 then 'a' when i % 4 = 1 then 'b' else 'c' end as c
from generate_series(1, 400) as g(i)
"""
# day d holds 300 rows; a few NULLs, and spreads that move with the day: x has
# few values (KS on exact values), y many (KS on binned cut counts)
DAILY_MODEL = """select id, day, ((id * 7919) % 50) / 10.0 + day as x,
    case when id % 97 = 0 then null else ((id * 7919) % 1000) / 10.0 + day * 3 end as y,
    case when id % 5 = 0 then 'a' when id % 5 = 1 then 'b' else 'c' end as c
from (select i as id, 1 + cast(floor((i - 1) / 300.0) as integer) as day from generate_series(1, 900) as g(i)) as days
where day in ({{ var('days', [1]) | join(', ') }})
"""
DECLARATION = """version: 2
models:
  - name: window_reference
  - name: window_daily
    config:
      meta:
        dqp:
          reference: {relation: window_reference}
          settings: {ks_exact_max_distinct: 500}
          exclude_columns: [id, day]
"""
PROFILE_COLUMNS = (
    "column_kind, ks_method, row_count, null_count, nan_count, pos_inf_count, neg_inf_count, min_value, max_value, "
    "iqr_outlier_count, zscore_outlier_count, mean_value, stddev_value, q1_value, median_value, q3_value, "
    "distinct_count, quartile_error_bound"
)


def _new_run(project: DbtProject, known: list[str]) -> str:
    rows = project.query("select run_id from {schema}.dqp_profile_runs where dataset_name = 'window_daily'")
    (run_id,) = {row[0] for row in rows} - set(known)
    known.append(run_id)
    return str(run_id)


def _side(project: DbtProject, run_id: str, side: str) -> dict[str, Any]:
    where = f"where dataset_name = 'window_daily' and run_id = '{run_id}' and side = '{side}'"
    profiles = {
        row[0]: row[1:]
        for row in project.query(f"select column_name, {PROFILE_COLUMNS} from {{schema}}.dqp_column_profiles {where}")
    }
    bins = sorted(
        project.query(
            "select column_name, histogram_kind, bin_index, lower_edge, upper_edge, bin_value, is_null_bin, "
            f"value_count from {{schema}}.dqp_histograms {where}"
        ),
        key=repr,
    )
    categories = sorted(
        project.query(
            "select column_name, category_value, category_kind, value_count "
            f"from {{schema}}.dqp_category_counts {where}"
        )
    )
    return {"profiles": profiles, "bins": bins, "categories": categories}


def _assemble(project: DbtProject, windows: list[str], into: str) -> tuple[str, list[str]]:
    """Run the assembly; return its output and the SQL statements it sent (dbt's debug log)."""
    log = project.path / "logs" / "dbt.log"
    start = log.stat().st_size
    args = f"{{dataset_name: window_daily, window_run_ids: [{', '.join(windows)}], into_run_id: '{into}'}}"
    result = project.dbt("run-operation", "dqp._dqp_assemble_reference", "--args", args, expect_success=None)
    with log.open(encoding="utf-8") as text:
        text.seek(start)
        statements = text.read().split("On macro__dqp_assemble_reference: /*")[1:]
    return result.stdout + result.stderr, statements


def test_assembled_reference_equals_a_scan_of_the_same_days(fresh_project: DbtProject) -> None:
    project = fresh_project
    models = project.path / "models" / "windows"
    models.mkdir()
    (models / "window_reference.sql").write_text(REFERENCE_MODEL)
    (models / "window_daily.sql").write_text(DAILY_MODEL)
    (models / "window_declaration.yml").write_text(DECLARATION)

    runs: list[str] = []
    project.dbt("run", "--select", "package:dqp", "window_reference", "window_daily", "--vars", "{days: [1]}")
    _new_run(project, runs)
    for day in (2, 3):
        project.dbt("run", "--select", "window_daily", "--vars", f"{{days: [{day}]}}")
        _new_run(project, runs)
    project.dbt("run", "--select", "window_daily", "--vars", "{days: [1, 2, 3]}")
    scanned_run = _new_run(project, runs)

    two, two_statements = _assemble(project, runs[:2], "assembled:two")
    three, three_statements = _assemble(project, runs[:3], "assembled:three")
    assert "from 3 stored windows" in three, three
    # the cost does not grow with the windows: as many statements, and none reads the data
    assert len(two_statements) == len(three_statements) > 0, two
    for statement in two_statements + three_statements:
        assert '"window_daily"' not in statement.split("\n\x1b[")[0], statement

    scanned = _side(project, scanned_run, "current")
    assert scanned["profiles"]["x"][2] == 900  # three days of 300 rows
    assembled = _side(project, "assembled:three", "reference")
    assert assembled["bins"] == scanned["bins"]
    assert assembled["categories"] == scanned["categories"]
    assert sorted(assembled["profiles"]) == sorted(scanned["profiles"]) == ["c", "x", "y"]
    assert [scanned["profiles"][column][1] for column in ("x", "y")] == ["exact", "binned"]
    for column, expected in scanned["profiles"].items():
        got = assembled["profiles"][column]
        assert got[:11] == expected[:11], column  # kinds, every count, min and max: exact
        # moments to 1e-9, and quartiles: exact from exact values, within their bin from binned counts
        for index, (value, oracle) in enumerate(zip(got[11:16], expected[11:16], strict=True)):
            assert (value is None) == (oracle is None), column
            if oracle is None:
                continue
            if column == "y" and index >= 2:
                (width,) = [
                    upper - lower for name, kind, _, lower, upper, *_ in assembled["bins"]
                    if name == "y" and kind == "ks_binned" and lower is not None and upper is not None
                    and lower < oracle <= upper
                ]
                assert abs(value - oracle) <= width, (column, value, oracle, width)
                assert abs(value - oracle) <= got[17], (column, value, oracle, got[17])  # the stored bound holds
            else:
                assert math.isclose(value, oracle, rel_tol=1e-9), (column, value, oracle)
    # KS-exact columns get their exact quartiles and distinct count from the summed values
    assert assembled["profiles"]["x"][16] == scanned["profiles"]["x"][16]
    assert assembled["profiles"]["x"][17] == 0  # exact quartiles: no error

    # a window binned against other edges cannot be added: refused by name
    (models / "window_reference.sql").write_text(REFERENCE_MODEL.replace("/ 10.0", "/ 7.0"))
    project.dbt("run", "--select", "window_reference", "window_daily", "--vars", "{days: [1]}")
    other_edges = _new_run(project, runs)
    refused, _ = _assemble(project, [runs[1], other_edges], "assembled:refused")
    assert "do not share edges or fences for column(s) x" in refused, refused
    assert project.query(
        "select count(*) from {schema}.dqp_column_profiles where run_id = 'assembled:refused'"
    ) == [(0,)]
