"""Notification settings, retries and secrecy, without a network."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dqp_runner.alerts import AlertEvent
from dqp_runner.notify import NotifyConfig, NotifyConfigError, load_config, message_text, notify

SECRET_URL = "https://hooks.example.invalid/services/T0/B0/s3cr3t-token"
EVENT = AlertEvent("a1", "orders", "amount", "psi", "opened", "open", "high", datetime(2026, 3, 1, tzinfo=UTC),
                   "dqp check", metric_value=0.31)


def test_env_wins_over_vars_and_lists_split() -> None:
    config = load_config(
        {"dqp_notify_webhook_url": "https://from.vars.invalid/x", "dqp_notify_smtp_host": "mail",
         "dqp_notify_email_to": ["a@x.invalid", "b@x.invalid"], "dqp_notify_smtp_port": 2525},
        {"DQP_NOTIFY_WEBHOOK_URL": SECRET_URL, "DQP_NOTIFY_SMTP_STARTTLS": "true"},
    )
    assert config.webhook_url == SECRET_URL and config.smtp_port == 2525 and config.smtp_starttls
    assert config.email_to == ("a@x.invalid", "b@x.invalid") and config.channels == ["webhook", "email"]
    assert load_config({}, {"DQP_NOTIFY_EMAIL_TO": "a@x.invalid, b@x.invalid"}).email_to == ("a@x.invalid",
                                                                                          "b@x.invalid")
    assert load_config({}, {}).channels == []
    with pytest.raises(NotifyConfigError, match="dqp_notify_smtp_port") as error:
        load_config({}, {"DQP_NOTIFY_SMTP_PORT": "s3cr3t"})
    assert "s3cr3t" not in str(error.value)


def test_message_names_the_alert() -> None:
    assert message_text([EVENT]).splitlines()[1] == "- opened: high psi on orders.amount (value 0.31); alert a1"


def test_a_failed_send_is_retried_with_backoff_then_reported_without_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def failing(url: str, text: str) -> None:
        calls.append(text)
        raise OSError(f"connection refused by {url}")

    monkeypatch.setattr("dqp_runner.notify.send_webhook", failing)
    reports: list[str] = []
    sleeps: list[float] = []
    outcome = notify([EVENT], NotifyConfig(webhook_url=SECRET_URL), reports.append, sleeps.append)
    assert outcome == {"webhook": False} and len(calls) == 3 and sleeps == [0.5, 2.0]
    assert len(reports) == 1 and "failed after 3 attempts" in reports[0]
    assert "s3cr3t" not in reports[0] and "***" in reports[0]


def test_a_send_that_recovers_is_not_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[int] = []

    def flaky(url: str, text: str) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("timeout")

    monkeypatch.setattr("dqp_runner.notify.send_webhook", flaky)
    reports: list[str] = []
    assert notify([EVENT], NotifyConfig(webhook_url=SECRET_URL), reports.append, lambda _: None) == {"webhook": True}
    assert reports == [] and len(attempts) == 2
    assert notify([], NotifyConfig(webhook_url=SECRET_URL), reports.append) == {}
