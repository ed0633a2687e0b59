"""The storage spec (dqp_runner/storage_spec.py) is the one list of every dqp
table's columns: the generated macro, the models' yml docs and the checker's
row dataclasses must agree with it. tests/integration/test_storage_columns.py
compares it with the tables a build really creates."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from dqp_runner import storage_spec
from dqp_runner.aggregates import CategoryCount, ColumnProfile, HistogramBin, SchemaColumn
from dqp_runner.warehouse import PROFILE_RUN_COLUMNS

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_macro_is_generated_from_the_spec() -> None:
    # On failure: run `python -m dqp_runner.storage_spec` and commit the macro.
    assert (REPO_ROOT / storage_spec.MACRO_PATH).read_text() == storage_spec.render_macro()


def _documented_columns() -> dict[str, list[str]]:
    documented: dict[str, list[str]] = {}
    for folder in ("storage", "audit"):
        for model in yaml.safe_load((REPO_ROOT / "models" / folder / f"{folder}.yml").read_text())["models"]:
            documented[model["name"]] = [column["name"] for column in model.get("columns", [])]
    return documented


@pytest.mark.parametrize("table", list(storage_spec.STORAGE_TABLES))
def test_yml_documents_the_spec_columns_in_order(table: str) -> None:
    assert _documented_columns()[table] == list(storage_spec.column_names(table))


@pytest.mark.parametrize("table", list(storage_spec.STORAGE_TABLES))
def test_model_renders_the_spec(table: str) -> None:
    candidates = [REPO_ROOT / "models" / folder / f"{table}.sql" for folder in ("storage", "audit")]
    (model,) = [path for path in candidates if path.exists()]
    assert f"dqp._dqp_empty_table('{table}')" in model.read_text()


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("dqp_column_profiles", [field.name for field in dataclasses.fields(ColumnProfile)]),
        ("dqp_histograms", [field.name for field in dataclasses.fields(HistogramBin)]),
        ("dqp_category_counts", [field.name for field in dataclasses.fields(CategoryCount)]),
        ("dqp_schema_snapshots", [field.name for field in dataclasses.fields(SchemaColumn)]),
        ("dqp_profile_runs", list(PROFILE_RUN_COLUMNS)),
    ],
)
def test_checker_reads_only_spec_columns(table: str, columns: list[str]) -> None:
    assert set(columns) <= set(storage_spec.column_names(table))


def test_column_names_are_unique_per_table() -> None:
    for table in storage_spec.STORAGE_TABLES:
        names = storage_spec.column_names(table)
        assert len(names) == len(set(names)), table
