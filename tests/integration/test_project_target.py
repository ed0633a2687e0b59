"""`load_project_target` resolves the dqp vars and declarations as dbt does:
package default < root project vars (global or under `vars: {dqp: ...}`) < --vars."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from dqp_runner.project import ProjectTarget, default_profiles_dir, load_project_target
from tests.support.dbt_project import DbtProject

PROBE_MODELS = """
version: 2
models:
  - name: policy_probe_config
    config:
      meta:
        dqp:
          dataset_name: " probe_in_config "
          reference: {relation: orders_reference}
          policy: {psi: {medium: 0.15}}
  - name: policy_probe_meta
    meta:
      dqp:
        reference: {relation: orders_reference}
        policy: {ks: {d_high: 0.3}}
"""


def _load(project: DbtProject, monkeypatch: pytest.MonkeyPatch, dbt_vars: str | None = None) -> ProjectTarget:
    for key, value in project.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(project.path)
    return load_project_target(project.path, default_profiles_dir(project.path), None, dbt_vars)


def _set_root_vars(project: DbtProject, block: str) -> None:
    path = project.path / "dbt_project.yml"
    text = path.read_text()
    assert "\nvars:\n  dqp:\n" in text
    path.write_text(text.replace("\nvars:\n  dqp:\n", "\nvars:\n" + block + "  dqp:\n", 1))


@pytest.mark.parametrize("target", ["duckdb"], scope="session")
def test_package_defaults_without_overrides(fresh_project: DbtProject, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = _load(fresh_project, monkeypatch)
    assert loaded.package_policy == {}
    assert loaded.statement_timeout_seconds == 600  # the package's dbt_project.yml
    assert "orders_mean_shift" in loaded.declared_datasets
    assert "events_daily" in loaded.declared_datasets  # dataset_name, not the node name
    assert "events" not in loaded.declared_datasets
    assert list(loaded.declared_datasets) == sorted(loaded.declared_datasets)


@pytest.mark.parametrize("target", ["duckdb"], scope="session")
def test_root_project_vars_under_the_package_reach_the_policy(
    fresh_project: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    (fresh_project.path / "dbt_project.yml").write_text(
        (fresh_project.path / "dbt_project.yml").read_text()
        + "    dqp_policy: {ks: {d_medium: 0.12}}\n    dqp_statement_timeout_seconds: 77\n"
    )
    loaded = _load(fresh_project, monkeypatch)
    assert loaded.package_policy == {"ks": {"d_medium": 0.12}}
    assert loaded.statement_timeout_seconds == 77


@pytest.mark.parametrize("target", ["duckdb"], scope="session")
def test_global_root_var_and_cli_vars_in_dbt_order(fresh_project: DbtProject, monkeypatch: pytest.MonkeyPatch) -> None:
    _set_root_vars(fresh_project, "  dqp_policy: {psi: {high: 0.5}}\n")
    assert _load(fresh_project, monkeypatch).package_policy == {"psi": {"high": 0.5}}
    from_cli = _load(fresh_project, monkeypatch, "{dqp_policy: {ks: {d_high: 0.4}}, dqp_statement_timeout_seconds: 9}")
    assert from_cli.package_policy == {"ks": {"d_high": 0.4}}  # --vars replaces the var, as in dbt
    assert from_cli.statement_timeout_seconds == 9


@pytest.mark.parametrize("target", ["duckdb"], scope="session")
def test_dataset_policies_from_config_meta_and_meta(fresh_project: DbtProject, monkeypatch: pytest.MonkeyPatch) -> None:
    models = fresh_project.path / "models" / "scenarios"
    for name in ("policy_probe_config", "policy_probe_meta"):
        (models / f"{name}.sql").write_text("select * from {{ ref('orders_reference') }}\n")
    (models / "policy_probe.yml").write_text(PROBE_MODELS)
    loaded = _load(fresh_project, monkeypatch)
    assert loaded.dataset_policies["probe_in_config"] == {"psi": {"medium": 0.15}}  # trimmed, as the macro does
    assert loaded.dataset_policies["policy_probe_meta"] == {"ks": {"d_high": 0.3}}  # defaults to the node name
    assert {"probe_in_config", "policy_probe_meta"} <= set(loaded.declared_datasets)
    assert "orders_mean_shift" not in loaded.dataset_policies  # declares no policy
    assert loaded.policy_errors == {}


ENV_PROBE_MODEL = """{{ config(meta={'dqp': {
    'dataset_name': env_var('DQP_PROBE_DATASET'), 'reference': {'relation': 'orders_reference'}}}) }}
select * from {{ ref('orders_reference') }}
"""


def test_manifest_reused_only_while_dbt_would_reuse_it(
    fresh_project: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dqp check` reads the manifest the last dbt invocation wrote, and parses again as soon as a
    file, a var, the target or an env var a model reads differs from that invocation's."""
    fresh_project.dbt("parse")
    from_manifest = _load(fresh_project, monkeypatch)
    assert from_manifest.loaded_from == "manifest"
    parsed = load_project_target(
        fresh_project.path, default_profiles_dir(fresh_project.path), None, None, reuse_manifest=False
    )
    assert parsed.loaded_from == "parse"
    assert dataclasses.replace(from_manifest, loaded_from="parse") == parsed
    assert from_manifest.tables["dqp_profile_runs"].schema == fresh_project.schema

    # A new model file: the manifest is older than it, so the parse decides (and writes a fresh manifest).
    monkeypatch.setenv("DQP_PROBE_DATASET", "probe_alpha")
    (fresh_project.path / "models" / "scenarios" / "env_probe.sql").write_text(ENV_PROBE_MODEL)
    after_edit = _load(fresh_project, monkeypatch)
    assert (after_edit.loaded_from, "probe_alpha" in after_edit.declared_datasets) == ("parse", True)
    assert _load(fresh_project, monkeypatch).loaded_from == "manifest"

    # The env var that model reads changes: dbt would reparse it, so does dqp.
    monkeypatch.setenv("DQP_PROBE_DATASET", "probe_beta")
    after_env = _load(fresh_project, monkeypatch)
    assert after_env.loaded_from == "parse"
    assert "probe_beta" in after_env.declared_datasets and "probe_alpha" not in after_env.declared_datasets

    # Other --vars than the last invocation's: parse; the same again: the manifest that parse wrote.
    with_vars = _load(fresh_project, monkeypatch, "{dqp_statement_timeout_seconds: 9}")
    assert (with_vars.loaded_from, with_vars.statement_timeout_seconds) == ("parse", 9)
    again = _load(fresh_project, monkeypatch, "{dqp_statement_timeout_seconds: 9}")
    assert (again.loaded_from, again.statement_timeout_seconds) == ("manifest", 9)
    without_vars = _load(fresh_project, monkeypatch)
    assert (without_vars.loaded_from, without_vars.statement_timeout_seconds) == ("parse", 600)

    # An edit to the root dbt_project.yml's vars: parse.
    (fresh_project.path / "dbt_project.yml").write_text(
        (fresh_project.path / "dbt_project.yml").read_text() + "    dqp_statement_timeout_seconds: 77\n"
    )
    edited = _load(fresh_project, monkeypatch)
    assert (edited.loaded_from, edited.statement_timeout_seconds) == ("parse", 77)

    # Another target schema (the profile reads it from an env var): dbt's state check sees the profile change.
    fresh_project.env["DQP_SCHEMA"] = fresh_project.schema + "_other"
    other_schema = _load(fresh_project, monkeypatch)
    assert (other_schema.loaded_from, other_schema.tables["dqp_profile_runs"].schema) == ("parse", fresh_project.schema)

    # No manifest at all (dbt clean): parse.
    shutil.rmtree(fresh_project.path / "target")
    assert _load(fresh_project, monkeypatch).loaded_from == "parse"
