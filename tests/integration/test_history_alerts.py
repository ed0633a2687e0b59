"""Thirty daily builds of a time-split dataset: a volume drop on day 25 and a
null creep from day 20. Which runs alert, that an alert opens once and
resolves, and what ack and mute do, on a small project of its own (one model,
one `dbt run` and one `dqp check` a day)."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.dbt_project import INTEGRATION_PROJECT, REPO_ROOT, DbtProject

DAYS = 30
DROP_DAY = 25
CREEP_FROM = 20
FIRST_CHECKED_DAY = 16

# Build day b holds the data days 1 .. b + 28, so the reference window (28
# days) is full from the first build; the current window is data day b + 28.
MODEL = """
{% set day = var('history_day') | int %}
with data_days as (
    select d from generate_series(1, {{ day }} + 28) as data_days(d)
), days as (
    select d - 28 as d from data_days
), rows_of_day as (
    select d, i from days, generate_series(1, case when d = {{ drop_day }} then 100 else 200 end) as r(i)
)
select
    d * 1000 + i as id,
    cast(date '2026-02-01' + cast(d as integer) as date) as day_of,
    case when d >= {{ creep_from }} and (i * 37) % 100 < 4 * (d - {{ creep_from }} + 1) then null
         else cast(i % 50 as double precision) end as amount
from rows_of_day
"""

DECLARATION = """version: 2
models:
  - name: daily_orders
    config:
      meta:
        dqp:
          reference: {time_column: day_of, current_window_days: 1, reference_window_days: 28}
          exclude_columns: [id]
"""


def _project(tmp_path: Path, target: str, env: dict[str, str]) -> DbtProject:
    path = tmp_path / "history_project"
    (path / "models").mkdir(parents=True)
    shutil.copy(INTEGRATION_PROJECT / "profiles.yml", path / "profiles.yml")
    (path / "dbt_project.yml").write_text(
        "name: dqp_history\nversion: '0.1.0'\nconfig-version: 2\nprofile: dqp_integration_tests\n"
        "models:\n  dqp_history:\n    +materialized: table\n"
    )
    (path / "packages.yml").write_text(f"packages:\n  - local: {REPO_ROOT}\n")
    (path / "models" / "daily_orders.sql").write_text(
        MODEL.replace("{{ drop_day }}", str(DROP_DAY)).replace("{{ creep_from }}", str(CREEP_FROM))
    )
    (path / "models" / "daily_orders.yml").write_text(DECLARATION)
    full_env = dict(env, DQP_SCHEMA=f"dqp_hist_{uuid.uuid4().hex[:8]}", DBT_PROFILES_DIR=str(path),
                    DQP_DUCKDB_PATH=str(path / "dqp.duckdb"))
    project = DbtProject(path, target, full_env)
    project.dbt("deps")
    return project


def _check(project: DbtProject, *extra: str) -> tuple[dict[str, Any], str]:
    result = project.dqp("check", "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    [dataset] = document["datasets"]
    return dataset, result.stdout + result.stderr


class _Webhook(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        return


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        self.messages.append(envelope.content.decode())
        return "250 OK"


WEBHOOK_SECRET = "hooksecret" + uuid.uuid4().hex
SMTP_PASSWORD = "mailsecret" + uuid.uuid4().hex


@pytest.fixture()
def receivers() -> Iterator[tuple[dict[str, str], list[tuple[str, dict[str, Any]]], _Mailbox]]:
    """A webhook and an SMTP server (with login) on 127.0.0.1, and the env that points dqp at them."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    _Webhook.received = []
    http_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Webhook)
    threading.Thread(target=http_server.serve_forever, daemon=True).start()
    mailbox = _Mailbox()

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = getattr(data, "login", b"") == b"dqp" and getattr(data, "password", b"") == SMTP_PASSWORD.encode()
        return AuthResult(success=ok)

    with socket.socket() as probe:  # aiosmtpd's controller needs a real port, not 0
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port, authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    env = {
        "DQP_NOTIFY_WEBHOOK_URL": f"http://127.0.0.1:{http_server.server_address[1]}/hooks/{WEBHOOK_SECRET}",
        "DQP_NOTIFY_SMTP_HOST": "127.0.0.1",
        "DQP_NOTIFY_SMTP_PORT": str(smtp_port),
        "DQP_NOTIFY_SMTP_USER": "dqp",
        "DQP_NOTIFY_SMTP_PASSWORD": SMTP_PASSWORD,
        "DQP_NOTIFY_EMAIL_TO": "data-team@example.invalid",
    }
    try:
        yield env, _Webhook.received, mailbox
    finally:
        controller.stop()
        http_server.shutdown()


def _alert_of(project: DbtProject, column: str | None, signal_type: str) -> str:
    where = "column_name is null" if column is None else f"column_name = '{column}'"
    rows = project.query(
        f"select alert_id from {{schema}}.dqp_alerts where status <> 'resolved' and {where} "
        f"and signal_type = '{signal_type}'"
    )
    assert len(rows) == 1, rows
    return str(rows[0][0])


def test_thirty_daily_builds_alert_open_once_and_resolve(
    tmp_path: Path, target: str, target_env: dict[str, str],
    receivers: tuple[dict[str, str], list[tuple[str, dict[str, Any]]], _Mailbox],
) -> None:
    notify_env, posts, mailbox = receivers
    project = _project(tmp_path, target, target_env)
    project.env.update(notify_env)
    by_day: dict[int, dict[str, Any]] = {}
    outputs: list[str] = []
    for day in range(1, DAYS + 1):
        select = () if day == 1 else ("--select", "daily_orders")  # day 1 also builds dqp's tables
        project.dbt("run", "--vars", f"{{history_day: {day}}}", *select)
        if day < FIRST_CHECKED_DAY:
            continue  # the profiles alone build the row count, null rate, mean and distinct history
        if day == FIRST_CHECKED_DAY:  # nothing checked yet: the list says so rather than print an empty table
            listed = project.dqp("alert", "list")
            assert listed.returncode == 0 and "dqp alerts: none open" in listed.stdout, listed.stdout + listed.stderr
        if day == 23:
            acked = project.dqp("alert", "ack", _alert_of(project, "amount", "metric_anomaly"),
                                "--reason", "looking into the nulls", "--author", "bo")
            assert acked.returncode == 0, acked.stderr
        if day == 27:
            muted = project.dqp("alert", "mute", _alert_of(project, "amount", "null_rate"),
                                "--reason", "known backfill", "--author", "ana", "--until", "2999-01-01")
            assert muted.returncode == 0, muted.stderr
        if day == 26:  # --no-write moves no alert and sends nothing
            sent_before = (len(posts), len(mailbox.messages))
            dry, output = _check(project, "--no-write", "--notify")
            outputs.append(output)
            assert dry["alerts"] == [] and (len(posts), len(mailbox.messages)) == sent_before
        by_day[day], output = _check(project, "--notify")
        outputs.append(output)

    def firing(day: int) -> set[tuple[str | None, str, str]]:
        return {
            (row["column_name"], row["signal_type"], row["details"].get("series", ""))
            for row in by_day[day]["signals"] if row["severity"] not in ("info", "low")
        }

    quiet_days = range(FIRST_CHECKED_DAY, CREEP_FROM)
    assert all(firing(day) == set() for day in quiet_days), {day: firing(day) for day in quiet_days}
    assert ("amount", "metric_anomaly", "null_rate") in firing(CREEP_FROM)  # 4 % nulls: below null_rate.medium
    assert ("amount", "null_rate", "") not in firing(CREEP_FROM)
    assert {(None, "volume", ""), (None, "metric_anomaly", "row_count")} <= firing(DROP_DAY)
    assert not {key for key in firing(DROP_DAY + 1) if key[0] is None}
    # muted from day 27: still recorded with its value, as info, deducting nothing
    [muted_row] = [r for r in by_day[28]["signals"] if (r["column_name"], r["signal_type"]) == ("amount", "null_rate")]
    assert (muted_row["severity"], muted_row["score_impact"], muted_row["details"]["muted_by"]) == ("info", 0.0, "ana")
    assert muted_row["details"]["muted_reason"] == "known backfill" and muted_row["metric_value"] > 0.2
    # score deltas and trends
    assert by_day[DROP_DAY]["health_score_delta"] < 0 and by_day[DROP_DAY + 1]["health_score_delta"] > 0
    assert {r["trend"] for r in by_day[DROP_DAY]["signals"] if r["signal_type"] == "volume"} == {"new"}
    assert {"column_name": None, "signal_type": "volume"} in by_day[DROP_DAY + 1]["resolved_signals"]

    events = project.query(
        "select column_name, signal_type, event_type, author from {schema}.dqp_alert_events "
        "order by event_at, event_type"
    )
    history = {}
    for column, signal_type, event_type, author in events:
        history.setdefault((column, signal_type), []).append((event_type, author))
    assert history[(None, "volume")] == [("opened", "dqp check"), ("resolved", "dqp check")]
    assert history[(None, "metric_anomaly")] == [("opened", "dqp check"), ("resolved", "dqp check")]
    assert history[("amount", "metric_anomaly")] == [
        ("opened", "dqp check"), ("escalated", "dqp check"), ("acknowledged", "bo")
    ]
    assert history[("amount", "null_rate")][0] == ("opened", "dqp check")
    assert history[("amount", "null_rate")][-1] == ("muted", "ana")
    states = dict(project.query(
        "select signal_type, status from {schema}.dqp_alerts where column_name = 'amount' and status <> 'resolved'"
    ))
    assert states == {"metric_anomaly": "acknowledged", "null_rate": "muted"}

    # one message per opened or escalated alert on each channel, none for ongoing ones
    notified = [e for e in events if e[2] in ("opened", "escalated")]
    assert len(posts) == len(notified) == len(mailbox.messages)
    assert all(path.endswith(WEBHOOK_SECRET) for path, _ in posts)
    assert sum("opened: medium volume on daily_orders" in body["text"] for _, body in posts) == 1
    # no secret in any output or log
    logs = "".join(path.read_text(errors="replace") for path in (project.path / "logs").glob("*"))
    for text in [*outputs, logs, *mailbox.messages, *(body["text"] for _, body in posts)]:
        assert WEBHOOK_SECRET not in text and SMTP_PASSWORD not in text
