"""The checker installs only the adapter a user asks for, and the dbt range it
declares is the one the suite tests, stated on the README's first screen."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
ADAPTER_PACKAGES = {"dbt-postgres", "psycopg2-binary", "dbt-duckdb", "duckdb"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower()


def _pin(requirements: list[str], name: str) -> str:
    (requirement,) = [r for r in requirements if _name(r) == name]
    return requirement[len(name):]


def test_core_install_has_no_adapter_and_each_extra_brings_its_own() -> None:
    project = PYPROJECT["project"]
    assert {_name(r) for r in project["dependencies"]} & ADAPTER_PACKAGES == set()
    extras = project["optional-dependencies"]
    assert {_name(r) for r in extras["postgres"]} == {"dbt-postgres", "psycopg2-binary"}
    assert {_name(r) for r in extras["duckdb"]} == {"dbt-duckdb", "duckdb"}


def test_declared_dbt_range_is_the_tested_one_everywhere() -> None:
    core_pin = _pin(PYPROJECT["project"]["dependencies"], "dbt-core")
    assert core_pin == ">=1.11,<1.12"
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert _pin(extras["postgres"], "dbt-postgres") == core_pin
    assert _pin(extras["duckdb"], "dbt-duckdb") == core_pin
    package = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())
    assert package["require-dbt-version"] == [">=1.11.0", "<1.12.0"]
    first_screen = "\n".join((REPO_ROOT / "README.md").read_text().splitlines()[:25])
    assert "dbt-core 1.11 (`>=1.11,<1.12`)" in first_screen


def test_make_and_ci_install_both_engines_for_the_suite() -> None:
    assert "pip install --quiet -e '.[postgres,duckdb,test]'" in (REPO_ROOT / "Makefile").read_text()
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text()


def test_the_release_version_is_the_same_everywhere_and_has_migration_notes() -> None:
    from dqp_runner import __version__

    package = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())
    macro = (REPO_ROOT / "macros" / "jinja_helpers" / "dqp_version.sql").read_text()
    macro_versions = re.findall(r"return\('([^']+)'\)", macro)
    versions = {
        "pyproject.toml": PYPROJECT["project"]["version"],
        "dbt_project.yml": package["version"],
        "dqp_version.sql": macro_versions[0] if len(macro_versions) == 1 else macro_versions,
        "dqp_runner/__init__.py": __version__,
    }
    assert set(versions.values()) == {__version__}, versions
    readme = (REPO_ROOT / "README.md").read_text()
    assert f"\n## Migration notes ({__version__})\n" in readme
    # The newest notes come first: the release's own section is the first one.
    assert re.findall(r"^## Migration notes \(([^)]+)\)$", readme, re.M)[0] == __version__
