"""A dqp model not built yet (e.g. a view added by an upgrade) is named with how to build it."""

import duckdb
import pytest

from dqp_runner.warehouse import _missing_relation_hint


def test_a_missing_relation_says_how_to_build_the_dqp_models() -> None:
    with pytest.raises(duckdb.CatalogException) as caught:
        duckdb.connect().execute("select * from dqp_latest_profile_runs")
    assert _missing_relation_hint(caught.value) == "; build the dqp models first: dbt run --select package:dqp"


def test_other_errors_get_no_hint() -> None:
    with pytest.raises(duckdb.Error) as caught:
        duckdb.connect().execute("select 1 / 'x'")
    assert _missing_relation_hint(caught.value) == ""
