"""The `dqp` command line: parse options, call the check, render, exit."""

from __future__ import annotations

import enum
import json
import logging
import signal
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dqp_runner import __version__
from dqp_runner.display import p_value_text

# The checker's modules (scipy, dbt) load inside the command, where Ctrl-C
# already exits INTERRUPTED; at module level it would be a bare traceback.
if TYPE_CHECKING:
    from dqp_runner.check import DatasetCheck, DatasetError, DatasetFailure
    from dqp_runner.project import ProjectTarget


class ExitCode(enum.IntEnum):
    """`dqp check` exit codes; documented in README "Exit codes" and --help.

    Only BLOCKED is a verdict: every failure has a code of its own, so CI never
    reads a crash or an interruption as BLOCK_PIPELINE.
    """

    OK = 0
    BLOCKED = 1
    CONFIG_ERROR = 2
    COMPUTATION_ERROR = 3
    WAREHOUSE_ERROR = 4
    INTERRUPTED = 5
    INTERNAL_ERROR = 6


EXIT_CODES_HELP = """
\b
Exit codes:
  0  no blocking verdict (WARN too, unless --fail-on warn)
  1  at least one dataset is BLOCK_PIPELINE (or WARN with --fail-on warn)
  2  usage or configuration error (options, project, profile, policy, nothing
     to check, a --run-id pruned by retention); a dataset with a malformed
     policy is named, the others are still checked and recorded
  3  computation or invariant failure (incomplete aggregates, corrupt rows in a
     dqp table, a decision without explanation): nothing recorded
  4  warehouse error (cannot connect, dqp table missing, audit write failed:
     nothing recorded)
  5  interrupted (SIGINT or SIGTERM): datasets already recorded stay, the one
     being written is rolled back
  6  internal error (a bug in dqp; the message names the dataset)
\b
Times (checked_at, profiled_at) are UTC.
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
    "--statement-timeout", default=None, type=click.IntRange(min=1),
    help="Seconds per query on PostgreSQL. Default: the var dqp_statement_timeout_seconds (600 unless set).",
)
@click.option(
    "--metrics-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Also write Prometheus metrics (text format, atomically) to this file; see docs/telemetry.md.",
)
@click.option(
    "--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="json: structured logs on stderr, one object a line, with run_id and check_id.",
)
@click.option(
    "--notify", is_flag=True,
    help="After the audit write, send a message for each alert this check opened or escalated "
    "(webhook and/or email, configured by DQP_NOTIFY_* env vars or dqp_notify_* vars). Never changes the exit code.",
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
    statement_timeout: int | None,
    metrics_file: Path | None,
    log_format: str,
    notify: bool,
) -> None:
    """Score each dataset's latest profile run, decide, and record the verdict."""
    from dqp_runner.telemetry import configure_logging

    console = Console(stderr=output_format == "json", width=None if sys.stdout.isatty() else 160)
    errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
    logger = configure_logging(log_format, {"dqp_invocation_id": uuid.uuid4().hex})
    started = time.monotonic()
    logger.info("check started", extra={"event": "check_started", "datasets": list(datasets),
                                        "requested_run_id": run_id})
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt_on_sigterm)
    try:
        code = _check(
            console, errors, project_dir, profiles_dir, target, dbt_vars, datasets, run_id,
            output_format, fail_on, no_write, recheck, statement_timeout, metrics_file, started, notify,
        )
        logger.info("check finished", extra={"event": "check_finished", "exit_code": int(code),
                                             "duration_seconds": round(time.monotonic() - started, 3)})
    except KeyboardInterrupt as interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the message and exit are not interrupted in turn
        name = str(interrupt) if isinstance(interrupt, Interrupted) else "SIGINT"
        _fail(errors, ExitCode.INTERRUPTED,
              f"interrupted by {name}: datasets already recorded stay, nothing else was written")
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
    sys.exit(code)


@main.command()
@project_dir_option
@profiles_dir_option
@target_option
@vars_option
@click.option(
    "--select", "--dataset", "datasets", multiple=True, help="Report only this dataset (repeatable). Default: all."
)
@click.option(
    "--run-id", default=None,
    help="Show the checks of this profile run (a dbt invocation_id). Default: each dataset's current verdict.",
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Where to write the HTML file. Default: target/dqp_report.html in the project dir.",
)
@click.option(
    "--statement-timeout", default=None, type=click.IntRange(min=1),
    help="Seconds per query on PostgreSQL. Default: the var dqp_statement_timeout_seconds (600 unless set).",
)
def report(
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
    dbt_vars: str | None,
    datasets: Sequence[str],
    run_id: str | None,
    output: Path | None,
    statement_timeout: int | None,
) -> None:
    """Write one self-contained HTML report (no network access when opened) from the dqp tables.

    Exit codes as for `dqp check`: 0 written, 2 configuration error or nothing
    checked yet, 4 warehouse error, 5 interrupted, 6 internal error.
    """
    from dqp_runner.project import ConfigError, default_profiles_dir, load_project_target
    from dqp_runner.report import ReportError, load_report, render_report, write_report
    from dqp_runner.warehouse import CorruptRowError, WarehouseError, connect

    errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
    path = output or project_dir / "target" / "dqp_report.html"
    try:
        project = load_project_target(project_dir, profiles_dir or default_profiles_dir(project_dir), target, dbt_vars)
        warehouse = connect(project, statement_timeout or project.statement_timeout_seconds)
        try:
            data = load_report(warehouse, list(datasets), run_id)
        finally:
            warehouse.close()
        write_report(path, render_report(data))
    except KeyboardInterrupt:
        _fail(errors, ExitCode.INTERRUPTED, "interrupted: no report written")
    except (ConfigError, ReportError) as error:
        _fail(errors, ExitCode.CONFIG_ERROR, f"configuration error: {error}")
    except OSError as error:
        _fail(errors, ExitCode.CONFIG_ERROR, f"cannot write the report {path}: {error}")
    except (WarehouseError, CorruptRowError) as error:
        _fail(errors, ExitCode.WAREHOUSE_ERROR, f"warehouse error: {error}")
    except Exception as error:  # a bug: say so
        _fail(errors, ExitCode.INTERNAL_ERROR, f"internal error (please report): {type(error).__name__}: {error}")
    size = path.stat().st_size
    click.echo(f"dqp report: {len(data.datasets)} datasets, {size / 1e6:.1f} MB written to {path}")


class Interrupted(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: transactions roll back, exit INTERRUPTED."""


def _interrupt_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Interrupted("SIGTERM")


def _check(
    console: Console,
    errors: Console,
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
    statement_timeout: int | None,
    metrics_file: Path | None = None,
    started: float = 0.0,
    notify: bool = False,
) -> ExitCode:
    from dqp_runner.check import DatasetError, NothingToCheckError, compute_checks, record_checks, worst_decision
    from dqp_runner.policy import PolicyError
    from dqp_runner.project import ConfigError, default_profiles_dir, load_project_target
    from dqp_runner.scoring import Decision, InvariantError
    from dqp_runner.signals import IncompleteAggregatesError
    from dqp_runner.warehouse import CorruptRowError, WarehouseError, connect

    project: ProjectTarget | None = None
    failures: list[DatasetFailure] = []
    open_alerts: dict[str, int] | None = None
    try:
        project = load_project_target(project_dir, profiles_dir or default_profiles_dir(project_dir), target, dbt_vars)
        warehouse = connect(project, statement_timeout or project.statement_timeout_seconds)
        try:
            checks = compute_checks(
                warehouse, list(datasets), run_id,
                project.package_policy, project.dataset_policies, project.policy_errors, failures,
            )
            if not no_write:
                checks = record_checks(warehouse, checks, recheck=recheck)
            if metrics_file is not None:
                open_alerts = _open_alerts(warehouse, datasets)
        finally:
            warehouse.close()
    except NothingToCheckError as error:
        declared = project.declared_datasets if project else ()
        undeclared = [name for name in datasets if name not in declared]
        hint = f"not declared in the project: {', '.join(undeclared)}; " if undeclared else ""
        _fail(
            errors, ExitCode.CONFIG_ERROR,
            f"configuration error: {error}; {hint}declared datasets: {', '.join(declared) or 'none'}",
        )
    except (ConfigError, PolicyError) as error:
        _fail(errors, ExitCode.CONFIG_ERROR, f"configuration error: {error}")
    except (IncompleteAggregatesError, InvariantError, CorruptRowError) as error:
        _fail(errors, ExitCode.COMPUTATION_ERROR, f"computation failed, nothing recorded: {error}")
    except WarehouseError as error:
        _fail(errors, ExitCode.WAREHOUSE_ERROR, f"warehouse error: {error}")
    except DatasetError as error:
        _fail_on_dataset(errors, error)
    except Exception as error:  # a bug: never let it read as a verdict
        _fail(errors, ExitCode.INTERNAL_ERROR, f"internal error (please report): {type(error).__name__}: {error}")

    _log_checks(checks)
    if metrics_file is not None:
        _write_metrics(errors, metrics_file, checks, time.monotonic() - started, open_alerts)
    if output_format == "json":
        document = {
            "datasets": [c.to_dict() for c in checks],
            "errors": [{"dataset_name": f.dataset_name, "message": f.message} for f in failures],
        }
        click.echo(json.dumps(document, indent=2, sort_keys=False, default=str))
    else:
        render_table(console, checks)
    if notify and project is not None:
        _notify(errors, checks, project.notify_vars, no_write)
    if failures:
        for failure in failures:
            if _json_logs():
                logging.getLogger("dqp").error(
                    failure.message, extra={"event": "dataset_failed", "dataset_name": failure.dataset_name}
                )
                continue
            errors.print(
                f"[bold red]dqp: configuration error: {escape(one_line(failure.message))}[/]",
                highlight=False, soft_wrap=True,
            )
        return ExitCode.CONFIG_ERROR  # the other datasets are checked and recorded above
    threshold = Decision.WARN if fail_on == "warn" else Decision.BLOCK_PIPELINE
    return ExitCode.BLOCKED if worst_decision(checks) >= threshold else ExitCode.OK


def _notify(errors: Console, checks: Sequence[DatasetCheck], notify_vars: Mapping[str, object], no_write: bool) -> None:
    """Send the opened and escalated alerts of the written checks; report failures, never raise."""
    from dqp_runner.notify import NotifyConfigError, load_config, notify

    def report(message: str) -> None:
        errors.print(f"[yellow]dqp: {escape(one_line(message))}[/]", highlight=False, soft_wrap=True)

    if no_write:
        report("--notify with --no-write: no alert moved, nothing sent")
        return
    try:
        config = load_config(notify_vars)
    except NotifyConfigError as error:
        report(f"notification settings: {error}; nothing sent")
        return
    if not config.channels:
        report("--notify: no channel configured (DQP_NOTIFY_WEBHOOK_URL, or DQP_NOTIFY_SMTP_HOST and "
               "DQP_NOTIFY_EMAIL_TO, or the dqp_notify_* vars); nothing sent")
        return
    events = [event for item in checks if item.outcome == "written" for event in item.alert_plan.notified]
    try:
        outcome = notify(events, config, report)
    except Exception as error:  # a send must never change the verdict
        report(f"notification failed: {type(error).__name__}")
        return
    if events:
        sent = ", ".join(f"{channel} {'ok' if ok else 'failed'}" for channel, ok in outcome.items())
        report(f"notified {len(events)} alert(s): {sent}")


def _fail_on_dataset(errors: Console, error: DatasetError) -> NoReturn:
    from dqp_runner.scoring import InvariantError
    from dqp_runner.signals import IncompleteAggregatesError
    from dqp_runner.warehouse import CorruptRowError, RunPrunedError, WarehouseError

    cause, name = error.cause, error.dataset_name
    if isinstance(cause, RunPrunedError):
        _fail(errors, ExitCode.CONFIG_ERROR, f"nothing to check, nothing recorded: {cause}")
    if isinstance(cause, CorruptRowError):
        _fail(errors, ExitCode.COMPUTATION_ERROR, f"computation failed, nothing recorded: {cause}")
    if isinstance(cause, IncompleteAggregatesError | InvariantError):
        _fail(errors, ExitCode.COMPUTATION_ERROR, f"computation failed, nothing recorded: dataset {name}: {cause}")
    if isinstance(cause, WarehouseError):
        _fail(errors, ExitCode.WAREHOUSE_ERROR, f"warehouse error: dataset {name}: {cause}")
    _fail(errors, ExitCode.INTERNAL_ERROR, f"internal error (please report), nothing recorded: {error}")


def _open_alerts(warehouse: Any, datasets: Sequence[str]) -> dict[str, int] | None:
    """Open alerts per dataset from dqp_alerts (issue 13), or None when this install has no such table."""
    from dqp_runner.report import open_alert_counts

    alerts = warehouse.report_alerts(list(datasets) or None)
    return None if alerts is None else open_alert_counts(alerts)


def _write_metrics(
    errors: Console, path: Path, checks: Sequence[DatasetCheck], duration: float, open_alerts: dict[str, int] | None
) -> None:
    from dqp_runner.telemetry import metrics_registry, write_metrics_file

    try:
        write_metrics_file(path, metrics_registry(checks, duration, time.time(), open_alerts))
    except OSError as error:
        _fail(errors, ExitCode.CONFIG_ERROR, f"cannot write the metrics file {path}: {error}")


def _log_checks(checks: Sequence[DatasetCheck]) -> None:
    """One record per dataset: run_id is the dbt invocation_id of the profile run, check_id the audit rows'."""
    logger = logging.getLogger("dqp")
    for item in checks:
        recorded = item.outcome in ("written", "already_recorded")
        logger.info(
            "dataset checked",
            extra={
                "event": "dataset_checked", "dataset_name": item.run.dataset_name,
                "run_id": item.run.run_id, "check_id": item.check_id if recorded else None,
                "decision": item.verdict.decision.name, "health_score": item.verdict.health_score,
                "decision_reason": item.verdict.decision_reason, "signal_count": len(item.verdict.explanations),
                "outcome": item.outcome,
            },
        )


def _json_logs() -> bool:
    from dqp_runner.telemetry import json_logging_enabled

    return json_logging_enabled()


def _fail(errors: Console, code: ExitCode, message: str) -> NoReturn:
    if _json_logs():  # the message as a JSON record instead of a line of text
        logging.getLogger("dqp").error(one_line(message), extra={"event": "check_failed", "exit_code": int(code)})
        sys.exit(code)
    errors.print(f"[bold red]dqp: {escape(one_line(message))}[/]", highlight=False, soft_wrap=True)
    sys.exit(code)


def one_line(message: str) -> str:
    """A driver's message on one line: psycopg2 adds the statement's `LINE n:` and a
    caret under it, libpq a hint on a line of its own; the hint is kept after a `;`."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return "; ".join(line for line in lines if not line.startswith("LINE ") and set(line) != {"^"})


DECISION_STYLE = {
    "NO_ACTION": "green",
    "MONITOR": "cyan",
    "WARN": "yellow",
    "BLOCK_PIPELINE": "bold red",
}


def render_table(console: Console, checks: Sequence[DatasetCheck], top_signals: int = 5) -> None:
    summary = Table(title="dqp check", title_justify="left")
    for header in ("dataset", "run_id", "score", "Δscore", "decision", "why", "signals", "recorded"):
        summary.add_column(header)
    for item in checks:
        style = DECISION_STYLE[item.verdict.decision.name]
        delta = item.score_delta
        summary.add_row(
            item.run.dataset_name,
            item.run.run_id[:8],
            f"{item.verdict.health_score:.1f}",
            "-" if delta is None else f"{delta:+.1f}",
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
        resolved = item.resolved_signals()
        if resolved:
            names = ", ".join(f"{signal_type} on {column or '(dataset)'}" for column, signal_type in resolved)
            console.print(f"{item.run.dataset_name}: resolved since the previous run: {names}",
                          highlight=False, soft_wrap=True)
        if item.outcome == "written":
            for event in item.alert_plan.events:
                console.print(
                    f"{item.run.dataset_name}: alert {event.alert_id} {event.event_type} "
                    f"({event.severity} {event.signal_type} on {event.column_name or '(dataset)'})",
                    highlight=False, soft_wrap=True,
                )
    for item in checks:
        if item.verdict.explanations:
            _render_signals(console, item, top_signals)
        if item.verdict.decision.name == "NO_ACTION" and item.near_misses():
            _render_near_misses(console, item)


def _render_signals(console: Console, item: DatasetCheck, top_signals: int) -> None:
    detail = Table(title=f"{item.run.dataset_name}: top signals", title_justify="left")
    for header in ("column", "signal", "method", "value", "threshold", "p-value", "severity", "impact", "action",
                   "trend"):
        detail.add_column(header)
    rows = item.signal_rows()
    for row in rows[:top_signals]:
        detail.add_row(
            str(row["column_name"] or "(dataset)"),
            str(row["signal_type"]),
            str(row["method"]),
            _signal_value(row),
            _number(row["threshold"]),
            p_value_text(row["p_value"]),
            _severity_text(row),
            _number(row["score_impact"]),
            str(row["recommended_action"]),
            str(row["trend"] or "-"),
        )
    if len(rows) > top_signals:
        detail.add_row(f"+{len(rows) - top_signals} more", *[""] * 9)
    console.print(detail)


def _render_near_misses(console: Console, item: DatasetCheck) -> None:
    """A NO_ACTION says how close it came: the metrics nearest to their level."""
    detail = Table(title=f"{item.run.dataset_name}: closest near-misses (no signal fired)", title_justify="left")
    for header in ("column", "metric", "method", "value", "threshold", "effect of level", "p adj", "n ref / cur"):
        detail.add_column(header)
    for metric in item.near_misses():
        detail.add_row(
            metric.column_name or "(dataset)",
            metric.metric_name,
            metric.method,
            _number(metric.metric_value),
            _number(metric.threshold),
            f"{(metric.closeness or 0.0):.0%}",
            p_value_text(metric.p_value_adjusted if metric.p_value_adjusted is not None else metric.p_value),
            f"{_number(metric.reference_n)} / {_number(metric.current_n)}",
        )
    console.print(detail)


def _severity_text(row: Mapping[str, Any]) -> str:
    """A muted row says so, with the severity it would have had."""
    details = row.get("details")
    if isinstance(details, Mapping) and details.get("muted"):
        return f"muted ({details.get('muted_severity')})"
    return str(row["severity"])


def _signal_value(row: Mapping[str, Any]) -> str:
    """The metric, or for an insufficient_data row the reason it could not be judged."""
    details = row.get("details")
    if row["signal_type"] == "insufficient_data" and isinstance(details, Mapping) and details.get("reason"):
        return str(details["reason"])
    return _number(row["metric_value"])


def _number(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


# --------------------------------------------------------------------------- #
# dqp alert: what people do to alerts

ALERT_HELP = """
\b
Exit codes:
  0  done
  2  usage or configuration error (unknown alert id, a change the alert's
     status does not allow, a bad --until)
  4  warehouse error (cannot connect, dqp_alerts missing: run `dbt run` first)
"""


@main.group()
def alert() -> None:
    """List alerts, and acknowledge, mute, unmute or resolve one (see README "History and alerts")."""


def _alert_options(function: Any) -> Any:
    for option in reversed((project_dir_option, profiles_dir_option, target_option, vars_option)):
        function = option(function)
    return function


@alert.command("list", epilog=ALERT_HELP)
@_alert_options
@click.option("--all", "include_resolved", is_flag=True, help="Resolved alerts too.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def alert_list(
    project_dir: Path, profiles_dir: Path | None, target: str | None, dbt_vars: str | None,
    include_resolved: bool, output_format: str,
) -> None:
    """The alerts that are not resolved (with --all, every alert)."""
    errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
    alerts = _with_warehouse(errors, project_dir, profiles_dir, target, dbt_vars,
                             lambda warehouse: warehouse.alerts(include_resolved=include_resolved))
    if output_format == "json":
        click.echo(json.dumps([item.row() for item in alerts], indent=2, default=str))
        return
    console = Console(width=None if sys.stdout.isatty() else 160)
    if not alerts:
        console.print("dqp alerts: none" + ("" if include_resolved else " open (--all lists resolved ones too)"))
        return
    table = Table(title="dqp alerts", title_justify="left")
    for header in ("alert_id", "dataset", "column", "signal", "status", "severity", "opened_at", "last_seen_at",
                   "by", "reason", "muted_until"):
        table.add_column(header)
    for item in alerts:
        table.add_row(
            item.alert_id, item.dataset_name, item.column_name or "(dataset)", item.signal_type, item.status,
            item.severity, f"{item.opened_at:%Y-%m-%d %H:%M}", f"{item.last_seen_at:%Y-%m-%d %H:%M}",
            escape(item.status_author or ""), escape(item.status_reason or ""),
            "-" if item.muted_until is None else f"{item.muted_until:%Y-%m-%d %H:%M}",
        )
    console.print(table, soft_wrap=True)


ALERT_ACTION_HELP = {
    "ack": "Acknowledge an open alert: it stays open while it fires, nobody is notified again.",
    "mute": "Mute an alert until --until: its signals are recorded but deduct nothing and decide nothing.",
    "unmute": "End a mute now: the alert is open again.",
    "resolve": "Resolve an alert by hand; if its signal fires again, a new alert opens.",
}


def _alert_change(action: str) -> Any:
    @alert.command(action, epilog=ALERT_HELP, help=ALERT_ACTION_HELP[action])
    @_alert_options
    @click.argument("alert_id")
    @click.option("--reason", required=True, help="Why (recorded with the change).")
    @click.option("--author", default=None, help="Who (default: the OS user).")
    @click.option(
        "--until", "until", default=None,
        help="mute only: when the mute ends, a date or ISO time in UTC (default: 7 days from now).",
    )
    def change(
        project_dir: Path, profiles_dir: Path | None, target: str | None, dbt_vars: str | None,
        alert_id: str, reason: str, author: str | None, until: str | None,
    ) -> None:
        _change_alert(project_dir, profiles_dir, target, dbt_vars, action, alert_id, reason, author, until)

    return change


for _action in ("ack", "mute", "unmute", "resolve"):
    _alert_change(_action)


def _parse_until(text: str | None, now: Any) -> Any:
    from datetime import UTC, datetime, timedelta

    if text is None:
        return now + timedelta(days=7)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"expected a date (2026-03-01) or an ISO time, got {text!r}",
                                 param_hint="--until") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _change_alert(
    project_dir: Path, profiles_dir: Path | None, target: str | None, dbt_vars: str | None,
    action: str, alert_id: str, reason: str, author: str | None, until_text: str | None,
) -> None:
    import getpass
    from datetime import UTC, datetime

    from dqp_runner.alerts import AlertTransitionError, transition

    errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
    now = datetime.now(UTC)
    if until_text is not None and action != "mute":
        raise click.BadParameter("only `dqp alert mute` takes --until", param_hint="--until")
    until = _parse_until(until_text, now) if action == "mute" else None
    who = author or getpass.getuser()

    def apply(warehouse: Any) -> Any:
        found = warehouse.alerts(alert_id, include_resolved=True)
        if not found:
            _fail(errors, ExitCode.CONFIG_ERROR, f"no alert with id {alert_id}; `dqp alert list --all` shows them")
        try:
            changed, event = transition(found[0], action, who, reason, now, until)  # type: ignore[arg-type]
        except AlertTransitionError as error:
            _fail(errors, ExitCode.CONFIG_ERROR, str(error))
        warehouse.change_alert(changed, event)
        return changed

    changed = _with_warehouse(errors, project_dir, profiles_dir, target, dbt_vars, apply)
    suffix = "" if changed.muted_until is None else f" until {changed.muted_until:%Y-%m-%d %H:%M} UTC"
    click.echo(f"alert {changed.alert_id} is {changed.status}{suffix} (by {who})")


def _with_warehouse(
    errors: Console, project_dir: Path, profiles_dir: Path | None, target: str | None, dbt_vars: str | None,
    work: Any,
) -> Any:
    from dqp_runner.project import ConfigError, default_profiles_dir, load_project_target
    from dqp_runner.warehouse import WarehouseError, connect

    try:
        project = load_project_target(project_dir, profiles_dir or default_profiles_dir(project_dir), target, dbt_vars)
        warehouse = connect(project, project.statement_timeout_seconds)
        try:
            return work(warehouse)
        finally:
            warehouse.close()
    except ConfigError as error:
        _fail(errors, ExitCode.CONFIG_ERROR, f"configuration error: {error}")
    except WarehouseError as error:
        _fail(errors, ExitCode.WAREHOUSE_ERROR, f"warehouse error: {error}")
