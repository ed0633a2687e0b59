"""The README's install and schema.yml snippets work as written: the local
packages.yml verbatim, the git one after its one marked substitution, and the
dqp tests in the older `tests:` spelling."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.dbt_project import BIN, REPO_ROOT, DbtProject

README = (REPO_ROOT / "README.md").read_text()
GIT_URL_PLACEHOLDER = "https://github.com/YOUR-ORG/dqp.git"


def readme_block(first_line: str) -> str:
    """The fenced block of the README whose first line is `first_line`."""
    blocks = [block.split("\n", 1)[1] for block in README.split("```")[1::2] if "\n" in block]
    (match,) = [block for block in blocks if block.startswith(first_line + "\n")]
    return match


def _user_project(root: Path, packages_yml: str) -> Path:
    project = root / "user_project"
    project.mkdir()
    (project / "dbt_project.yml").write_text("name: user_project\nversion: '1.0'\nconfig-version: 2\nprofile: user\n")
    (project / "packages.yml").write_text(packages_yml)
    return project


def _dbt_deps(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [str(BIN / "dbt"), "deps"], cwd=project, env=env, capture_output=True, text=True, check=False
    )


def _package_copy(destination: Path) -> Path:
    destination.mkdir()
    shutil.copy(REPO_ROOT / "dbt_project.yml", destination)
    for folder in ("macros", "models"):
        shutil.copytree(REPO_ROOT / folder, destination / folder)
    return destination


def test_local_packages_snippet_works_verbatim(tmp_path: Path) -> None:
    snippet = readme_block("# packages.yml: dqp checked out next to this project")
    _package_copy(tmp_path / "dqp")  # the checkout next to the user's project, as the snippet says
    project = _user_project(tmp_path, snippet)
    result = _dbt_deps(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "dbt_packages" / "dqp" / "dbt_project.yml").is_file()


def test_git_packages_snippet_is_valid_after_substituting_the_marked_url(tmp_path: Path) -> None:
    snippet = readme_block("# packages.yml: dqp from git")
    assert snippet.count(GIT_URL_PLACEHOLDER) == 1 and "# substitute YOUR-ORG" in snippet
    repository = _package_copy(tmp_path / "dqp_repository")
    git_env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "dqp"]):
        subprocess.run(["git", *args], cwd=repository, env=git_env, check=True)
    project = _user_project(tmp_path, snippet.replace(GIT_URL_PLACEHOLDER, repository.as_uri()))
    result = _dbt_deps(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "dbt_packages" / "dqp" / "dbt_project.yml").is_file()


LEGACY_MODEL = "select * from {{ ref('orders_nodrift') }}\n"


@pytest.mark.parametrize("target", ["duckdb"], scope="session")
def test_dqp_tests_in_the_legacy_tests_spelling_parse(fresh_project: DbtProject) -> None:
    models = fresh_project.path / "models"
    (models / "orders.sql").write_text(LEGACY_MODEL)
    legacy = readme_block("# schema.yml of a project that still writes `tests:`")
    (models / "orders_legacy.yml").write_text(legacy)
    fresh_project.dbt("parse")
    manifest = json.loads((fresh_project.path / "target" / "manifest.json").read_text())
    attached = {
        node["test_metadata"]["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and "model.dqp_integration_tests.orders" in node["depends_on"]["nodes"]
    }
    assert attached == {"dqp_latest_verdict_not_blocked", "dqp_null_rate_below"}

    # What the README warns about: adding its data_tests example to that model fails.
    mixed = legacy.replace("    tests:\n      - dqp.dqp_latest_verdict_not_blocked\n",
                           "    tests:\n      - dqp.dqp_latest_verdict_not_blocked\n"
                           "    data_tests:\n      - dqp.dqp_latest_verdict_not_blocked\n", 1)
    assert mixed != legacy
    (models / "orders_legacy.yml").write_text(mixed)
    result = fresh_project.dbt("parse", expect_success=False)
    assert result.returncode != 0
    assert "cannot have both 'tests' and 'data_tests'" in result.stdout + result.stderr
