"""The rules by which `dqp check` decides the last dbt invocation's manifest is still current."""

from __future__ import annotations

import os
from pathlib import Path

from dqp_runner.project import DEFAULT_ENV_PLACEHOLDER, changed_env_vars, newest_modification


def _touch(path: Path, seconds: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, ns=(seconds * 10**9, seconds * 10**9))


def test_newest_modification_covers_files_nested_files_and_folders(tmp_path: Path) -> None:
    models = tmp_path / "models"
    _touch(tmp_path / "dbt_project.yml", 100)
    _touch(models / "staging" / "orders.sql", 300)
    os.utime(models / "staging", ns=(200 * 10**9, 200 * 10**9))
    os.utime(models, ns=(150 * 10**9, 150 * 10**9))
    assert newest_modification([tmp_path / "dbt_project.yml"], [models]) == 300 * 10**9
    assert newest_modification([tmp_path / "dbt_project.yml"], []) == 100 * 10**9


def test_a_removed_file_shows_in_its_folders_time(tmp_path: Path) -> None:
    models = tmp_path / "models"
    _touch(models / "gone.sql", 100)
    os.utime(models, ns=(100 * 10**9, 100 * 10**9))
    (models / "gone.sql").unlink()  # the folder's own time moves to now
    assert newest_modification([], [models]) > 100 * 10**9


def test_missing_paths_are_skipped(tmp_path: Path) -> None:
    assert newest_modification([tmp_path / "packages.yml"], [tmp_path / "snapshots"]) == 0


def test_changed_env_vars_follow_dbt_partial_parsing() -> None:
    saved = {"SAME": "a", "CHANGED": "a", "UNSET_NOW": "a", "DEFAULTED": DEFAULT_ENV_PLACEHOLDER}
    environment = {"SAME": "a", "CHANGED": "b"}
    # an unset var read with its default is unchanged while it stays unset; a var that is gone is a change
    assert changed_env_vars(saved, environment) == ["CHANGED", "UNSET_NOW"]
    assert changed_env_vars(saved, {**environment, "DEFAULTED": "now set"}) == ["CHANGED", "DEFAULTED", "UNSET_NOW"]
    assert changed_env_vars({}, environment) == []


def test_placeholder_is_dbts() -> None:
    from dbt.constants import DEFAULT_ENV_PLACEHOLDER as dbt_placeholder

    assert dbt_placeholder == DEFAULT_ENV_PLACEHOLDER
