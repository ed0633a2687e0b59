"""Find the dqp tables and the warehouse credentials the way dbt does.

`dqp check` takes the same --project-dir / --profiles-dir / --target as dbt,
parses the project with dbt itself (so env_var, vars and custom schema macros
resolve exactly as in `dbt run`) and reads the rendered profile: there is no
second credential file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STORAGE_MODELS = (
    "dqp_profile_runs",
    "dqp_column_profiles",
    "dqp_histograms",
    "dqp_category_counts",
    "dqp_schema_snapshots",
    "dqp_check_runs",
    "dqp_signals",
)
SUPPORTED_ADAPTERS = ("postgres", "duckdb")


class ConfigError(Exception):
    """The project, profile or command line cannot be used as given."""


@dataclass(frozen=True)
class TableName:
    schema: str
    name: str

    def sql(self) -> str:
        return f"{quote_identifier(self.schema)}.{quote_identifier(self.name)}"


@dataclass(frozen=True)
class ProjectTarget:
    adapter_type: str
    credentials: Any
    tables: dict[str, TableName]
    project_dir: Path


def quote_identifier(name: str) -> str:
    """Standard SQL identifier quoting, valid on PostgreSQL and DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def load_project_target(
    project_dir: Path, profiles_dir: Path | None, target: str | None, dbt_vars: str | None
) -> ProjectTarget:
    from dbt.cli.main import dbtRunner
    from dbt.config.runtime import load_profile
    from dbt.contracts.graph.manifest import Manifest

    if not (project_dir / "dbt_project.yml").is_file():
        raise ConfigError(f"no dbt_project.yml in {project_dir}; pass --project-dir")
    args = ["parse", "--project-dir", str(project_dir), "--quiet"]
    if profiles_dir is not None:
        args += ["--profiles-dir", str(profiles_dir)]
    if target is not None:
        args += ["--target", target]
    if dbt_vars is not None:
        args += ["--vars", dbt_vars]
    result = dbtRunner().invoke(args)
    if not result.success or result.result is None:
        raise ConfigError(f"dbt parse failed for {project_dir}: {result.exception or 'see the dbt output above'}")
    manifest = result.result
    if not isinstance(manifest, Manifest):
        raise ConfigError(f"dbt parse returned no manifest for {project_dir} (got {type(manifest).__name__})")

    tables: dict[str, TableName] = {}
    for model in STORAGE_MODELS:
        node = manifest.nodes.get(f"model.dqp.{model}")
        if node is None:
            raise ConfigError(
                f"model dqp.{model} is not in the project at {project_dir}; "
                "add the dqp package to packages.yml and run `dbt deps`"
            )
        tables[model] = TableName(node.schema, node.alias or node.name)

    profile = load_profile(str(project_dir), _parse_vars(dbt_vars), None, target)
    adapter_type = profile.credentials.type
    if adapter_type not in SUPPORTED_ADAPTERS:
        raise ConfigError(
            f"adapter '{adapter_type}' is not supported yet by dqp check (supported: {', '.join(SUPPORTED_ADAPTERS)})"
        )
    return ProjectTarget(adapter_type, profile.credentials, tables, project_dir)


def _parse_vars(dbt_vars: str | None) -> dict[str, Any]:
    if not dbt_vars:
        return {}
    import yaml

    parsed = yaml.safe_load(dbt_vars)
    if not isinstance(parsed, dict):
        raise ConfigError(f"--vars must be a YAML mapping, got {dbt_vars!r}")
    return parsed


def default_profiles_dir(project_dir: Path) -> Path | None:
    """dbt's own lookup: DBT_PROFILES_DIR, then the project dir if it has profiles.yml, else ~/.dbt."""
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"])
    if (project_dir / "profiles.yml").is_file():
        return project_dir
    return None
