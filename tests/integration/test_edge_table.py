"""The edge table the grouped pass bins at: one tie convention on both engines,
and edges refilled from a stored run's reference histograms (pinned baselines).
"""

from __future__ import annotations

import json

import numpy as np

from tests.integration import oracle
from tests.support.dbt_project import DbtProject

# Integers piled on the edges: every edge value occurs several times.
TIED_VALUES = [-3, 0, 1, 2, 2, 2, 3, 4, 4, 4, 4, 5, 6, 7, 7, 7, 8, 9, 9, 12]
EDGES = [2.0, 4.0, 4.5, 7.0, 9.0]


def test_integer_ties_land_in_the_bin_their_edge_closes(built_project: DbtProject) -> None:
    built_project.dbt(
        "run-operation", "edge_table_bin_ties", "--args", json.dumps({"values": TIED_VALUES, "edges": EDGES})
    )
    rows = built_project.query("select column_index, bin_index, value_count from {schema}.edge_table_tie_counts")
    got: dict[int, dict[int, int]] = {1: {}, 2: {}}
    for column_index, bin_index, value_count in rows:
        got[int(column_index)][int(bin_index)] = int(value_count)
    values = np.array(TIED_VALUES, dtype=float)
    expected = oracle.right_closed_counts(values, EDGES)
    assert got[1] == {index: count for index, count in enumerate(expected) if count}
    # a column without edges: everything in the one open bin
    assert got[2] == {0: len(TIED_VALUES)}


def test_edges_refilled_from_a_stored_reference_match_its_quantiles(built_project: DbtProject) -> None:
    run_id = built_project.query(
        "select run_id from {schema}.dqp_profile_runs where dataset_name = 'orders_nodrift' "
        "order by profiled_at desc limit 1"
    )[0][0]
    methods = dict(
        built_project.query(
            "select column_name, ks_method from {schema}.dqp_column_profiles "
            f"where dataset_name = 'orders_nodrift' and run_id = '{run_id}' and side = 'reference'"
        )
    )
    columns = [{"name": "amount", "column_index": 1}, {"name": "quantity", "column_index": 2}]
    built_project.dbt(
        "run-operation", "edge_table_from_run", "--args",
        json.dumps({"dataset_name": "orders_nodrift", "run_id": run_id, "columns": columns}),
    )
    rows = built_project.query("select column_index, edge_value from {schema}.edge_table_pinned_edges")
    for column in columns:
        got = sorted(float(value) for index, value in rows if int(index) == column["column_index"])
        reference = oracle.numeric_column("orders_nodrift", "reference", str(column["name"]))
        finite = reference.finite
        if methods[column["name"]] == "binned":
            levels = sorted({i / 1000 for i in range(1, 1000)} | {i / 10 for i in range(1, 10)})
            expected = oracle.merged_edges(finite, levels)
            # every stored edge is a reference KS edge; only edges between two empty bins can be lost
            assert np.allclose(got, [e for e in expected if np.isclose(got, e).any()])
            assert len(got) >= 0.95 * len(expected)
        else:
            # exact: the reference's distinct finite values, plus its PSI edges
            psi = oracle.merged_edges(finite, [i / 10 for i in range(1, 10)])
            assert np.allclose(got, sorted(set(np.unique(finite).tolist()) | set(psi)))
