"""Find the dqp tables and the warehouse credentials the way dbt does.

`dqp check` takes the same --project-dir / --profiles-dir / --target as dbt,
reads the project as dbt resolved it (so env_var, vars and custom schema macros
resolve exactly as in `dbt run`) and reads the rendered profile: there is no
second credential file. The manifest the last dbt invocation wrote is reused
while dbt itself would still accept it; otherwise the project is parsed again.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from dqp_runner.storage_spec import STORAGE_TABLES

# The dqp models the checker reads or writes: the tables of the storage spec
# and the view that defines each dataset's latest run.
STORAGE_MODELS = (*STORAGE_TABLES, "dqp_latest_profile_runs")
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
    # "manifest" when read from the last dbt invocation's target/manifest.json, "parse" after a dbt parse.
    loaded_from: str = "parse"
    # The dqp_notify_* vars that are set (values may be secrets: never print them).
    notify_vars: Mapping[str, object] = field(default_factory=dict)


def quote_identifier(name: str) -> str:
    """Standard SQL identifier quoting, valid on PostgreSQL and DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def load_project_target(
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
    dbt_vars: str | None,
    *,
    reuse_manifest: bool = True,
) -> ProjectTarget:
    """Read the project as dbt resolves it: from the manifest the last dbt invocation wrote when
    it still describes the project (see `_load_from_manifest`), else by a `dbt parse`."""
    if not (project_dir / "dbt_project.yml").is_file():
        raise ConfigError(f"no dbt_project.yml in {project_dir}; pass --project-dir")
    args = ["parse", "--project-dir", str(project_dir), "--quiet", "--log-level", "none"]
    if profiles_dir is not None:
        args += ["--profiles-dir", str(profiles_dir)]
    if target is not None:
        args += ["--target", target]
    if dbt_vars is not None:
        args += ["--vars", dbt_vars]
    if reuse_manifest:
        loaded = _load_from_manifest(project_dir, args)
        if loaded is not None:
            return loaded
    return _load_by_parsing(project_dir, args)


def _load_by_parsing(project_dir: Path, args: list[str]) -> ProjectTarget:
    from dbt.cli.main import dbtRunner
    from dbt.config.runtime import RuntimeConfig
    from dbt.contracts.graph.manifest import Manifest
    from dbt.flags import get_flags

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

    storage_nodes = {}
    for model in STORAGE_MODELS:
        node = manifest.nodes.get(f"model.dqp.{model}")
        if node is None:
            raise ConfigError(
                f"model dqp.{model} is not in the project at {project_dir}; "
                "add the dqp package to packages.yml and run `dbt deps`"
            )
        storage_nodes[model] = {"schema": node.schema, "alias": node.alias, "name": node.name}
    declarations = _declarations(
        [*manifest.nodes.values(), *manifest.sources.values()],
        lambda node: (
            node.resource_type, node.unique_id, node.name, getattr(node.config, "meta", None), node.meta
        ),
    )
    # The parse set dbt's global flags; the runtime config built from them
    # reads only the yml files (no second parse) and resolves vars as dbt does.
    try:
        config = RuntimeConfig.from_args(get_flags())  # type: ignore[no-untyped-call]
    except Exception as error:  # dbt raises its own exception types here
        raise ConfigError(f"cannot resolve the project's vars for {project_dir}: {error}") from error
    return _project_target(project_dir, config, storage_nodes, declarations, "parse")


def _load_from_manifest(project_dir: Path, args: list[str]) -> ProjectTarget | None:
    """The project as the last dbt invocation parsed it, read from target/manifest.json, or None
    when that manifest may not describe the project as a parse would now (then the caller parses).

    The manifest is used only when all of these hold (any doubt, or any error, means a parse):
    - target/manifest.json and target/partial_parse.msgpack exist, and manifest.json is not older
      than partial_parse.msgpack (every dbt parse writes the msgpack and then manifest.json; a
      `--no-write-json` invocation after it leaves manifest.json behind);
    - dbt's own partial-parse state check accepts it: the state dbt saved in partial_parse.msgpack
      (dbt version, --vars, --target, --profile, the profile's connection settings such as
      database and schema, the env vars the dbt_project.yml files read, every package's
      dbt_project.yml) equals the state computed now
      from the same yml files, and every env var the project's files read still has its value;
    - no file or folder dbt reads to parse is newer than manifest.json: each project's
      dbt_project.yml, the root's packages.yml / dependencies.yml / package-lock.yml /
      selectors.yml, profiles.yml, and everything under each project's model, seed, snapshot,
      macro, test, analysis, function and docs paths (a folder's time changes when a file in it
      is added or removed). Timestamps are compared with >=, so a file saved in the same clock
      tick as the manifest counts as newer.
    dbt reparses when the state check fails or a file's checksum changes; times stand in for
    checksums here, so a touched but unchanged file costs a parse, and a file replaced by a copy
    that keeps an older time (cp -p, rsync -t, tar x) is not seen until the next dbt invocation.
    """
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return _read_manifest_if_current(project_dir, args)
    except Exception:  # the parse path reports whatever is wrong, in dbt's words
        return None


def _read_manifest_if_current(project_dir: Path, args: list[str]) -> ProjectTarget | None:
    import json

    import msgpack  # dbt-core's own dependency
    from dbt.cli.flags import Flags, args_to_context
    from dbt.config.runtime import RuntimeConfig
    from dbt.events.logging import setup_event_logger
    from dbt.flags import set_flags
    from dbt.parser.manifest import ManifestLoader
    from dbt_common.context import set_invocation_context

    set_invocation_context(os.environ)
    flags = Flags(args_to_context(args))
    set_flags(flags)  # type: ignore[no-untyped-call]
    setup_event_logger(flags)
    config = RuntimeConfig.from_args(flags)
    target_path = Path(config.project_target_path)
    manifest_path = target_path / "manifest.json"
    saved_path = target_path / "partial_parse.msgpack"
    if not (manifest_path.is_file() and saved_path.is_file()):
        return None
    manifest_time = manifest_path.stat().st_mtime_ns
    if saved_path.stat().st_mtime_ns > manifest_time:
        return None
    projects = config.load_dependencies()
    roots = [Path(project.project_root) for project in projects.values()]
    inputs = [root / "dbt_project.yml" for root in roots]
    inputs += [Path(config.project_root) / name for name in ROOT_PROJECT_FILES]
    inputs.append(Path(flags.PROFILES_DIR) / "profiles.yml")
    folders = [
        Path(project.project_root) / folder
        for project in projects.values()
        for folder in {*project.all_source_paths, *project.docs_paths}
    ]
    if newest_modification(inputs, folders) >= manifest_time:
        return None
    saved = msgpack.unpackb(saved_path.read_bytes(), strict_map_key=False)
    # dbt's own computation of the state it compares before a partial parse; it reads only these
    # two attributes, and a real ManifestLoader would first decode the whole saved manifest.
    loader = SimpleNamespace(root_project=config, all_projects=projects)
    state_now = ManifestLoader.build_manifest_state_check(loader).to_dict()  # type: ignore[arg-type,no-untyped-call]
    if saved.get("state_check") != state_now:
        return None
    if changed_env_vars(saved.get("env_vars") or {}, os.environ):
        return None
    manifest = json.loads(manifest_path.read_text())
    storage_nodes = {}
    for model in STORAGE_MODELS:
        node = manifest["nodes"].get(f"model.dqp.{model}")
        if node is None:
            return None  # the parse path names what is missing
        storage_nodes[model] = {"schema": node["schema"], "alias": node.get("alias"), "name": node["name"]}
    declarations = _declarations(
        [*manifest["nodes"].values(), *manifest["sources"].values()],
        lambda node: (
            node["resource_type"], node["unique_id"], node["name"], (node.get("config") or {}).get("meta"),
            node.get("meta"),
        ),
    )
    return _project_target(project_dir, config, storage_nodes, declarations, "manifest")


# Files at the root project's top level that change what dbt parses.
ROOT_PROJECT_FILES = ("packages.yml", "dependencies.yml", "package-lock.yml", "selectors.yml")


def newest_modification(files: Sequence[Path], folders: Sequence[Path]) -> int:
    """The latest modification time (ns) among files and every file and folder under folders;
    0 when none exists. Missing paths are skipped: a path that appears later is newer anyway."""
    newest = 0
    for path in files:
        with contextlib.suppress(FileNotFoundError):
            newest = max(newest, path.stat().st_mtime_ns)
    for folder in folders:
        for current, _subfolders, names in os.walk(folder):
            for name in [".", *names]:
                with contextlib.suppress(FileNotFoundError):
                    newest = max(newest, os.stat(os.path.join(current, name)).st_mtime_ns)
    return newest


# What dbt's partial parsing stores for an env var that was unset and read with a default
# (dbt.constants.DEFAULT_ENV_PLACEHOLDER).
DEFAULT_ENV_PLACEHOLDER = "DBT_DEFAULT_PLACEHOLDER"


def changed_env_vars(saved: Mapping[str, str], environment: Mapping[str, str]) -> list[str]:
    """The env vars the project's files read whose value differs from the saved parse's, by the
    rule of dbt's partial parsing (an unset var read with its default is unchanged)."""
    changed = []
    for name, saved_value in saved.items():
        current = environment.get(name)
        if current is None and saved_value == DEFAULT_ENV_PLACEHOLDER:
            continue
        if current != saved_value:
            changed.append(name)
    return sorted(changed)


def _project_target(
    project_dir: Path,
    config: Any,
    storage_nodes: Mapping[str, Mapping[str, Any]],
    declarations: list[tuple[str, str, object]],
    loaded_from: str,
) -> ProjectTarget:
    """The checker's view of a resolved project; the same code for both ways of loading it."""
    from dbt.context.configured import FQNLookup
    from dbt.context.providers import RuntimeVar

    tables = {
        model: TableName(node["schema"], node["alias"] or node["name"]) for model, node in storage_nodes.items()
    }
    try:
        # vars as dbt resolves them inside the dqp package (only the package name matters).
        package_var = RuntimeVar({}, config, FQNLookup("dqp"))  # type: ignore[arg-type]
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
    for dataset_name, node_id, policy in declarations:
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
        loaded_from=loaded_from,
        notify_vars={name: value for name, value in notify_vars.items() if value is not None},
    )


def _collect_errors(errors: list[str]) -> Callable[[Any], None]:
    def collect(event: Any) -> None:
        if event.info.level == "error" and event.info.msg:
            errors.append(str(event.info.msg))

    return collect


NodeFields = tuple[str, str, str, Any, Any]  # resource_type, unique_id, name, config.meta, meta


def _declarations(nodes: Sequence[Any], fields: Callable[[Any], NodeFields]) -> list[tuple[str, str, object]]:
    """(dataset_name, node id, meta.dqp.policy or None) of every declaration, as
    macros/config/dqp_declared_datasets.sql and dqp_resolve_dataset.sql read them;
    `fields` reads a parsed node or its manifest.json form."""
    found = []
    for node in nodes:
        resource_type, unique_id, name, config_meta, meta = fields(node)
        if resource_type not in ("model", "seed", "snapshot", "source"):
            continue
        declaration = (config_meta or {}).get("dqp", (meta or {}).get("dqp"))
        if not isinstance(declaration, Mapping):
            continue  # absent, or malformed: dbt build names it (dqp_datasets)
        dataset_name = declaration.get("dataset_name", name)
        if not isinstance(dataset_name, str) or not dataset_name.strip():
            continue
        found.append((dataset_name.strip(), unique_id, declaration.get("policy")))
    return found


def default_profiles_dir(project_dir: Path) -> Path | None:
    """dbt's own lookup: DBT_PROFILES_DIR, then the project dir if it has profiles.yml, else ~/.dbt."""
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"])
    if (project_dir / "profiles.yml").is_file():
        return project_dir
    return None
