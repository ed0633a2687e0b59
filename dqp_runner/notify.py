"""`dqp check --notify`: tell people about alerts that opened or escalated.

Two channels, each used when configured: a Slack-compatible incoming webhook
(POST of a JSON ``{"text": ...}``) and email over SMTP. Settings come from the
environment (``DQP_NOTIFY_WEBHOOK_URL``, ...) or the project's vars
(``dqp_notify_webhook_url``, ...); an environment variable wins over its var.
There is no credentials file of dqp's own. Sends happen after the audit write
committed; a failed send is retried with backoff and reported, and never
changes the verdict or the exit code. Messages and reports never contain a
URL, a password or a user name: a webhook URL is itself a secret.
"""

from __future__ import annotations

import json
import os
import smtplib
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from dqp_runner.alerts import AlertEvent

SETTINGS = ("webhook_url", "smtp_host", "smtp_port", "smtp_user", "smtp_password", "smtp_starttls", "email_from",
            "email_to")
RETRY_DELAYS_SECONDS = (0.5, 2.0)  # three attempts in all
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class NotifyConfig:
    webhook_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    email_from: str | None = None
    email_to: tuple[str, ...] = ()

    @property
    def channels(self) -> list[str]:
        out = []
        if self.webhook_url:
            out.append("webhook")
        if self.smtp_host and self.email_to:
            out.append("email")
        return out


class NotifyConfigError(ValueError):
    """A dqp_notify_* setting has the wrong form (the message never shows its value)."""


def load_config(project_vars: Mapping[str, object], environ: Mapping[str, str] | None = None) -> NotifyConfig:
    """DQP_NOTIFY_<NAME> from the environment, else the var dqp_notify_<name>."""
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    for name in SETTINGS:
        value = env.get(f"DQP_NOTIFY_{name.upper()}")
        raw[name] = value if value not in (None, "") else project_vars.get(f"dqp_notify_{name}")
    port = raw["smtp_port"]
    try:
        smtp_port = 25 if port in (None, "") else int(str(port))
    except ValueError:
        raise NotifyConfigError("dqp_notify_smtp_port: expected a port number") from None
    recipients = raw["email_to"]
    if isinstance(recipients, str):
        email_to = tuple(part.strip() for part in recipients.split(",") if part.strip())
    elif isinstance(recipients, list | tuple):
        email_to = tuple(str(part) for part in recipients)
    elif recipients is None:
        email_to = ()
    else:
        raise NotifyConfigError("dqp_notify_email_to: expected an address, a comma-separated list or a list")
    starttls = raw["smtp_starttls"]
    return NotifyConfig(
        webhook_url=_text(raw["webhook_url"]),
        smtp_host=_text(raw["smtp_host"]),
        smtp_port=smtp_port,
        smtp_user=_text(raw["smtp_user"]),
        smtp_password=_text(raw["smtp_password"]),
        smtp_starttls=str(starttls).lower() in ("1", "true", "yes") if starttls is not None else False,
        email_from=_text(raw["email_from"]) or "dqp@localhost",
        email_to=email_to,
    )


def _text(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def message_text(dataset_events: Sequence[AlertEvent]) -> str:
    """One line per alert: what opened or escalated, where, how bad."""
    lines = ["dqp: alerts opened or escalated"]
    for event in dataset_events:
        where = event.dataset_name if event.column_name is None else f"{event.dataset_name}.{event.column_name}"
        value = "" if event.metric_value is None else f" (value {event.metric_value:.4g})"
        lines.append(f"- {event.event_type}: {event.severity} {event.signal_type} on {where}{value}; "
                     f"alert {event.alert_id}")
    return "\n".join(lines)


def send_webhook(url: str, text: str) -> None:
    body = json.dumps({"text": text}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        if response.status >= 300:
            raise OSError(f"HTTP {response.status}")


def send_email(config: NotifyConfig, text: str) -> None:
    message = EmailMessage()
    message["Subject"] = text.splitlines()[0]
    message["From"] = config.email_from or "dqp@localhost"
    message["To"] = ", ".join(config.email_to)
    message.set_content(text)
    with smtplib.SMTP(config.smtp_host or "localhost", config.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if config.smtp_starttls:
            smtp.starttls()
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password or "")
        smtp.send_message(message)


def _safe_error(error: BaseException, config: NotifyConfig) -> str:
    """The error's type and message with every configured secret blanked out."""
    text = f"{type(error).__name__}: {error}"
    for secret in (config.webhook_url, config.smtp_password, config.smtp_user):
        if secret:
            text = text.replace(secret, "***")
    return text


def notify(
    events: Sequence[AlertEvent],
    config: NotifyConfig,
    report: Callable[[str], None],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, bool]:
    """Send one message per opened or escalated alert on each configured channel.

    Returns channel -> whether every message went out. Failures are retried
    (RETRY_DELAYS_SECONDS) and then reported through ``report``; nothing raises.
    """
    outcome: dict[str, bool] = {}
    if not events:
        return outcome
    senders: dict[str, Callable[[str], None]] = {}
    if config.webhook_url:
        url = config.webhook_url
        senders["webhook"] = lambda text: send_webhook(url, text)
    if config.smtp_host and config.email_to:
        senders["email"] = lambda text: send_email(config, text)
    for channel, send in senders.items():
        delivered = True
        for event in events:
            text = message_text([event])
            for attempt in range(len(RETRY_DELAYS_SECONDS) + 1):
                try:
                    send(text)
                    break
                except Exception as error:  # any transport error: retry, then report
                    if attempt == len(RETRY_DELAYS_SECONDS):
                        delivered = False
                        report(f"notification by {channel} for alert {event.alert_id} failed after "
                               f"{attempt + 1} attempts: {_safe_error(error, config)}")
                    else:
                        sleep(RETRY_DELAYS_SECONDS[attempt])
        outcome[channel] = delivered
    return outcome
