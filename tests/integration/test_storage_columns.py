"""The tables a build really creates have the storage spec's columns, in its
order and with its types' families, and the storage models declare the index
on each run's identity; on DuckDB and PostgreSQL."""

from __future__ import annotations

import pytest

from dqp_runner import storage_spec
from tests.support.dbt_project import DbtProject

# The families each portable type may come back as from information_schema.
TYPE_FAMILIES = {
    "string": ("character varying", "text", "varchar"),
    "int": ("integer",),
    "bigint": ("bigint",),
    "double": ("double precision", "double"),
    "boolean": ("boolean",),
    "timestamp": ("timestamp without time zone", "timestamp"),
}


@pytest.mark.parametrize("table", list(storage_spec.STORAGE_TABLES))
def test_built_table_has_the_spec_columns(built_project: DbtProject, table: str) -> None:
    rows = built_project.query(
        "select column_name, data_type from information_schema.columns "
        f"where table_schema = '{built_project.schema}' and table_name = '{table}' order by ordinal_position"
    )
    assert [str(name) for name, _ in rows] == list(storage_spec.column_names(table))
    for (name, data_type), (_, storage_type) in zip(rows, storage_spec.STORAGE_TABLES[table], strict=True):
        assert str(data_type).lower() in TYPE_FAMILIES[storage_type], (table, name, data_type)


def test_storage_models_declare_the_run_identity_index(built_project: DbtProject) -> None:
    if built_project.target == "duckdb":
        rows = built_project.query(
            "select table_name, index_name, is_unique from duckdb_indexes() "
            f"where schema_name = '{built_project.schema}'"
        )
        # DuckDB keeps only the unique one (see _dqp_run_identity_index).
        expected = {("dqp_profile_runs", "dqp_profile_runs_run_identity", True)}
    else:
        rows = built_project.query(
            "select tablename, indexname, indexdef like 'CREATE UNIQUE%' from pg_indexes "
            f"where schemaname = '{built_project.schema}'"
        )
        expected = {("dqp_profile_runs", "dqp_profile_runs_run_identity", True)} | {
            (table, f"{table}_run_identity", False)
            for table in ("dqp_column_profiles", "dqp_histograms", "dqp_category_counts", "dqp_schema_snapshots")
        }
    assert expected <= {(str(table), str(index), bool(unique)) for table, index, unique in rows}
