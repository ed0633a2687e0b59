"""Find the dqp tables and the warehouse credentials the way dbt does.

`dqp check` takes the same --project-dir / --profiles-dir / --target as dbt,
parses the project with dbt itself (so env_var, vars and custom schema macros
resolve exactly as in `dbt run`) and reads the rendered profile: there is no
second credential file.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
    "dqp_column_metrics",
    "dqp_alerts",
    "dqp_alert_events",
)
# Notification settings read from the project's vars (env vars DQP_NOTIFY_* win; see notify.py).
NOTIFY_VARS = (
    "dqp_notify_webhook_url",
    "dqp_notify_smtp_host",
    "dqp_notify_smtp_port",
    "dqp_notify_smtp_user",
    "dqp_notify_smtp_password",
    "dqp_notify_smtp_starttls",
    "dqp_notify_email_from",
    "dqp_notify_email_to",
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
    """Where the dqp tables are, how to connect, and the project's dqp settings as dbt resolves them."""

    adapter_type: str
    credentials: Any
    tables: dict[str, TableName]
    project_dir: Path
    # var dqp_policy for the dqp package: package default < root project vars
    # (global or under `vars: {dqp: ...}`) < --vars.
    package_policy: Mapping[str, object] = field(default_factory=dict)
    # dataset_name -> the declaration's own meta.dqp.policy (only mappings; see policy_errors).
    dataset_policies: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    # Every dataset_name declared in the project, enabled or not, sorted.
    declared_datasets: tuple[str, ...] = ()
    # var dqp_statement_timeout_seconds, resolved like dqp_policy.
    statement_timeout_seconds: int = 600
    # dataset_name -> why its meta.dqp.policy cannot be used (it is not a mapping).
    policy_errors: Mapping[str, str] = field(default_factory=dict)
    # The dqp_notify_* vars that are set (values may be secrets: never print them).
    notify_vars: Mapping[str, object] = field(default_factory=dict)


def quote_identifier(name: str) -> str:
    """Standard SQL identifier quoting, valid on PostgreSQL and DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def load_project_target(
    project_dir: Path, profiles_dir: Path | None, target: str | None, dbt_vars: str | None
) -> ProjectTarget:
    from dbt.cli.main import dbtRunner
    from dbt.config.runtime import RuntimeConfig
    from dbt.context.providers import RuntimeVar
    from dbt.contracts.graph.manifest import Manifest
    from dbt.flags import get_flags

    if not (project_dir / "dbt_project.yml").is_file():
        raise ConfigError(f"no dbt_project.yml in {project_dir}; pass --project-dir")
    args = ["parse", "--project-dir", str(project_dir), "--quiet", "--log-level", "none"]
    if profiles_dir is not None:
        args += ["--profiles-dir", str(profiles_dir)]
    if target is not None:
        args += ["--target", target]
    if dbt_vars is not None:
        args += ["--vars", dbt_vars]
    # dbt's console log is off (stdout stays ours: a table or pure JSON); its
    # errors reach the user once, in our message, from the events kept here.
    errors: list[str] = []
    with contextlib.redirect_stdout(sys.stderr):  # whatever else prints, stdout stays ours
        result = dbtRunner(callbacks=[_collect_errors(errors)]).invoke(args)
    if isinstance(result.exception, KeyboardInterrupt):
        raise result.exception  # dbtRunner turns Ctrl-C into a failed result
    if not result.success or result.result is None:
        detail = str(result.exception).strip() if result.exception else "\n".join(errors) or "no detail from dbt"
        raise ConfigError(f"dbt parse failed for {project_dir}: {detail}")
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

    # The parse set dbt's global flags; the runtime config built from them
    # reads only the yml files (no second parse) and resolves vars as dbt does.
    try:
        config = RuntimeConfig.from_args(get_flags())  # type: ignore[no-untyped-call]
        package_var = RuntimeVar({}, config, manifest.nodes["model.dqp.dqp_profile_runs"])
        package_policy = package_var("dqp_policy", {})
        statement_timeout = package_var("dqp_statement_timeout_seconds", 600)
        notify_vars = {name: package_var(name, None) for name in NOTIFY_VARS}
    except Exception as error:  # dbt raises its own exception types here
        raise ConfigError(f"cannot resolve the project's vars for {project_dir}: {error}") from error
    adapter_type = config.credentials.type
    if adapter_type not in SUPPORTED_ADAPTERS:
        raise ConfigError(
            f"adapter '{adapter_type}' is not supported yet by dqp check (supported: {', '.join(SUPPORTED_ADAPTERS)})"
        )
    if package_policy is None:
        package_policy = {}
    if not isinstance(package_policy, Mapping):
        raise ConfigError(f"var dqp_policy: expected a mapping of checker policy overrides, got {package_policy!r}")
    if isinstance(statement_timeout, bool) or not isinstance(statement_timeout, int) or statement_timeout < 1:
        raise ConfigError(f"var dqp_statement_timeout_seconds: expected a positive integer, got {statement_timeout!r}")

    declared: list[str] = []
    dataset_policies: dict[str, Mapping[str, object]] = {}
    policy_errors: dict[str, str] = {}
    for dataset_name, node_id, policy in _declarations(manifest):
        declared.append(dataset_name)
        if policy is None:
            continue
        if isinstance(policy, Mapping):
            dataset_policies[dataset_name] = policy
        else:
            policy_errors[dataset_name] = (
                f"{node_id}: meta.dqp.policy: expected a mapping of checker policy overrides, got {policy!r}"
            )
    return ProjectTarget(
        adapter_type,
        config.credentials,
        tables,
        project_dir,
        package_policy=package_policy,
        dataset_policies=dataset_policies,
        declared_datasets=tuple(sorted(set(declared))),
        statement_timeout_seconds=statement_timeout,
        policy_errors=policy_errors,
        notify_vars={name: value for name, value in notify_vars.items() if value is not None},
    )


def _collect_errors(errors: list[str]) -> Callable[[Any], None]:
    def collect(event: Any) -> None:
        if event.info.level == "error" and event.info.msg:
            errors.append(str(event.info.msg))

    return collect


def _declarations(manifest: Any) -> list[tuple[str, str, object]]:
    """(dataset_name, node id, meta.dqp.policy or None) of every declaration, as
    macros/config/dqp_declared_datasets.sql and dqp_resolve_dataset.sql read them."""
    found = []
    for node in [*manifest.nodes.values(), *manifest.sources.values()]:
        if node.resource_type not in ("model", "seed", "snapshot", "source"):
            continue
        config_meta = getattr(node.config, "meta", None) or {}
        declaration = config_meta.get("dqp", (node.meta or {}).get("dqp"))
        if not isinstance(declaration, Mapping):
            continue  # absent, or malformed: dbt build names it (dqp_datasets)
        dataset_name = declaration.get("dataset_name", node.name)
        if not isinstance(dataset_name, str) or not dataset_name.strip():
            continue
        found.append((dataset_name.strip(), node.unique_id, declaration.get("policy")))
    return found


def default_profiles_dir(project_dir: Path) -> Path | None:
    """dbt's own lookup: DBT_PROFILES_DIR, then the project dir if it has profiles.yml, else ~/.dbt."""
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"])
    if (project_dir / "profiles.yml").is_file():
        return project_dir
    return None
