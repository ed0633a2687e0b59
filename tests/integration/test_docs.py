"""The package documents every model, every column the warehouse has, and every
public macro: BI tools and `dbt docs` read these descriptions."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from dqp_runner.project import STORAGE_MODELS
from tests.support.dbt_project import DbtProject

PRIVATE_PREFIXES = ("_", "default__", "postgres__", "duckdb__")
DQP_MODELS = set(STORAGE_MODELS) | {"dqp_latest_checks", "dqp_latest_verdicts", "dqp_datasets"}
SIGNATURE = re.compile(r"{%-?\s*(?:macro|test)\s+(\w+)\s*\((.*?)\)\s*-?%}", re.DOTALL)


@pytest.fixture(scope="session")
def docs(built_project: DbtProject) -> tuple[dict[str, Any], dict[str, Any]]:
    built_project.dbt("docs", "generate")
    target = built_project.path / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    return manifest, catalog


def dqp_models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["package_name"] == "dqp" and node["resource_type"] == "model"
    }


def test_every_dqp_model_has_a_description(docs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    models = dqp_models(docs[0])
    assert {node["name"] for node in models.values()} >= DQP_MODELS
    undocumented = sorted(node["name"] for node in models.values() if not node["description"].strip())
    assert undocumented == []


def test_every_warehouse_column_of_a_dqp_model_is_documented(docs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    manifest, catalog = docs
    missing, stale = [], []
    for unique_id, node in dqp_models(manifest).items():
        assert unique_id in catalog["nodes"], f"{node['name']} is not in the catalog: was it built?"
        in_warehouse = {name.lower() for name in catalog["nodes"][unique_id]["columns"]}
        assert in_warehouse, f"the catalog has no columns for {node['name']}"
        documented = {
            name.lower(): (column.get("description") or "").strip() for name, column in node["columns"].items()
        }
        missing += [f"{node['name']}.{name}" for name in sorted(in_warehouse) if not documented.get(name)]
        stale += [f"{node['name']}.{name}" for name in sorted(documented) if name not in in_warehouse]
    assert missing == [], "columns without a description"
    assert stale == [], "documented columns the warehouse does not have"


def test_every_public_dqp_macro_is_documented(docs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    macros = {
        macro["name"]: macro
        for macro in docs[0]["macros"].values()
        if macro["package_name"] == "dqp" and not macro["name"].startswith(PRIVATE_PREFIXES)
    }
    assert {"dqp_profile", "on_run_end", "dqp_version", "test_dqp_audit_explained"} <= set(macros)
    undocumented = sorted(name for name, macro in macros.items() if not macro["description"].strip())
    assert undocumented == []


def test_documented_macro_arguments_match_the_signatures(docs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """A public macro with parameters documents each of them, and nothing else."""
    mismatched = {}
    for macro in docs[0]["macros"].values():
        if macro["package_name"] != "dqp" or macro["name"].startswith(PRIVATE_PREFIXES):
            continue
        signature = next(
            (
                params
                for name, params in SIGNATURE.findall(macro["macro_sql"])
                if macro["name"] in (name, f"test_{name}")
            ),
            None,
        )
        assert signature is not None, f"no signature found for {macro['name']}"
        parameters = [part.split("=")[0].strip() for part in signature.split(",") if part.strip()]
        documented = [argument["name"] for argument in macro["arguments"]]
        undescribed = [argument["name"] for argument in macro["arguments"] if not argument.get("description")]
        if sorted(parameters) != sorted(documented) or undescribed:
            mismatched[macro["name"]] = {"parameters": parameters, "documented": documented, "undescribed": undescribed}
    assert mismatched == {}
