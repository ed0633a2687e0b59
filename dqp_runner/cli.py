"""The `dqp` command line: parse options, call the check, render, exit."""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.table import Table

from dqp_runner import __version__
from dqp_runner.check import DatasetCheck, NothingToCheckError, compute_checks, record_checks, worst_decision
from dqp_runner.policy import PolicyError
from dqp_runner.project import ConfigError, default_profiles_dir, load_project_target
from dqp_runner.scoring import Decision, InvariantError
from dqp_runner.signals import IncompleteAggregatesError
from dqp_runner.warehouse import WarehouseError, connect


class ExitCode(enum.IntEnum):
    """`dqp check` exit codes; documented in README "Exit codes" and --help."""

    OK = 0
    BLOCKED = 1
    CONFIG_ERROR = 2
    COMPUTATION_ERROR = 3
    WAREHOUSE_ERROR = 4


EXIT_CODES_HELP = """
\b
Exit codes:
  0  no blocking verdict (WARN too, unless --fail-on warn)
  1  at least one dataset is BLOCK_PIPELINE (or WARN with --fail-on warn)
  2  usage or configuration error (options, project, profile, policy, nothing to check)
  3  computation or invariant failure (incomplete aggregates, a decision without explanation)
  4  warehouse error (cannot connect, dqp table missing, audit write failed: nothing recorded)
"""

project_dir_option = click.option(
    "--project-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
    help="The dbt project that has the dqp package installed.",
)
profiles_dir_option = click.option(
    "--profiles-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where profiles.yml is (default: as dbt: $DBT_PROFILES_DIR, the project dir, then ~/.dbt).",
)
target_option = click.option("--target", "-t", default=None, help="The dbt target to use (default: the profile's).")
vars_option = click.option("--vars", "dbt_vars", default=None, help="dbt vars as YAML, as for dbt.")


@click.group()
@click.version_option(__version__, prog_name="dqp")
def main() -> None:
    """dqp: data-quality checks from the aggregates your dbt run computed."""


@main.command(epilog=EXIT_CODES_HELP)
@project_dir_option
@profiles_dir_option
@target_option
@vars_option
@click.option("--dataset", "datasets", multiple=True, help="Check only this dataset (repeatable). Default: all.")
@click.option(
    "--run-id", default=None, help="Check this profile run (a dbt invocation_id). Default: each dataset's latest."
)
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--fail-on", type=click.Choice(["block", "warn"]), default="block", show_default=True,
    help="Lowest decision that makes the command exit 1.",
)
@click.option("--no-write", is_flag=True, help="Compute and report, but record nothing in the audit tables.")
@click.option(
    "--recheck", is_flag=True,
    help="Record a new check of a run already checked under another policy (the old check is kept).",
)
@click.option(
    "--statement-timeout", default=300, show_default=True, type=click.IntRange(min=1), help="Seconds per query."
)
def check(
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
    dbt_vars: str | None,
    datasets: Sequence[str],
    run_id: str | None,
    output_format: str,
    fail_on: str,
    no_write: bool,
    recheck: bool,
    statement_timeout: int,
) -> None:
    """Score each dataset's latest profile run, decide, and record the verdict."""
    console = Console(stderr=output_format == "json", width=None if sys.stdout.isatty() else 160)
    try:
        project = load_project_target(project_dir, profiles_dir or default_profiles_dir(project_dir), target, dbt_vars)
        warehouse = connect(project, statement_timeout)
        try:
            checks = compute_checks(
                warehouse, list(datasets), run_id,
                project.package_policy, project.dataset_policies, project.policy_errors,
            )
            if not no_write:
                checks = record_checks(warehouse, checks, recheck=recheck)
        finally:
            warehouse.close()
    except (ConfigError, PolicyError, NothingToCheckError) as error:
        _fail(console, ExitCode.CONFIG_ERROR, f"configuration error: {error}")
    except (IncompleteAggregatesError, InvariantError) as error:
        _fail(console, ExitCode.COMPUTATION_ERROR, f"computation failed, nothing recorded: {error}")
    except WarehouseError as error:
        _fail(console, ExitCode.WAREHOUSE_ERROR, f"warehouse error: {error}")

    if output_format == "json":
        click.echo(json.dumps({"datasets": [c.to_dict() for c in checks]}, indent=2, sort_keys=False, default=str))
    else:
        render_table(console, checks)
    threshold = Decision.WARN if fail_on == "warn" else Decision.BLOCK_PIPELINE
    sys.exit(ExitCode.BLOCKED if worst_decision(checks) >= threshold else ExitCode.OK)


def _fail(console: Console, code: ExitCode, message: str) -> NoReturn:
    console.print(f"[bold red]dqp: {message}[/]", highlight=False, soft_wrap=True)
    sys.exit(code)


DECISION_STYLE = {
    Decision.NO_ACTION: "green",
    Decision.MONITOR: "cyan",
    Decision.WARN: "yellow",
    Decision.BLOCK_PIPELINE: "bold red",
}


def render_table(console: Console, checks: Sequence[DatasetCheck], top_signals: int = 5) -> None:
    summary = Table(title="dqp check", title_justify="left")
    for header in ("dataset", "run_id", "score", "decision", "why", "signals", "recorded"):
        summary.add_column(header)
    for item in checks:
        style = DECISION_STYLE[item.verdict.decision]
        summary.add_row(
            item.run.dataset_name,
            item.run.run_id[:8],
            f"{item.verdict.health_score:.1f}",
            f"[{style}]{item.verdict.decision.name}[/]",
            item.verdict.decision_reason,
            str(len(item.verdict.explanations)),
            item.outcome.replace("_", " "),
        )
    console.print(summary, soft_wrap=True)
    for item in checks:
        if item.outcome == "checked_with_other_policy":
            console.print(
                f"{item.run.dataset_name}: run {item.run.run_id} was checked under another policy; "
                "this verdict was not recorded (pass --recheck to record it as a new check)",
                highlight=False, soft_wrap=True,
            )
    for item in checks:
        if item.verdict.explanations:
            _render_signals(console, item, top_signals)
        elif item.verdict.decision == Decision.NO_ACTION and item.near_misses():
            _render_near_misses(console, item)


def _render_signals(console: Console, item: DatasetCheck, top_signals: int) -> None:
    detail = Table(title=f"{item.run.dataset_name}: top signals", title_justify="left")
    for header in ("column", "signal", "method", "value", "threshold", "p-value", "severity", "impact", "action"):
        detail.add_column(header)
    rows = item.verdict.rows()
    for row in rows[:top_signals]:
        detail.add_row(
            str(row["column_name"] or "(dataset)"),
            str(row["signal_type"]),
            str(row["method"]),
            _number(row["metric_value"]),
            _number(row["threshold"]),
            _number(row["p_value"]),
            str(row["severity"]),
            _number(row["score_impact"]),
            str(row["recommended_action"]),
        )
    if len(rows) > top_signals:
        detail.add_row(f"+{len(rows) - top_signals} more", *[""] * 8)
    console.print(detail)


def _render_near_misses(console: Console, item: DatasetCheck) -> None:
    """A NO_ACTION says how close it came: the metrics nearest to their level."""
    detail = Table(title=f"{item.run.dataset_name}: closest near-misses (no signal fired)", title_justify="left")
    for header in ("column", "metric", "method", "value", "threshold", "of level", "p-value", "n ref / cur"):
        detail.add_column(header)
    for metric in item.near_misses():
        detail.add_row(
            metric.column_name or "(dataset)",
            metric.metric_name,
            metric.method,
            _number(metric.metric_value),
            _number(metric.threshold),
            f"{(metric.closeness or 0.0):.0%}",
            _number(metric.p_value_adjusted if metric.p_value_adjusted is not None else metric.p_value),
            f"{_number(metric.reference_n)} / {_number(metric.current_n)}",
        )
    console.print(detail)


def _number(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
