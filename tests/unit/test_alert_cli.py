"""`dqp alert`: usage errors exit 2 before any project or warehouse is touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dqp_runner.cli import ExitCode, main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alert", "ack", "abc"], "Missing option '--reason'"),
        (["alert", "mute"], "Missing argument 'ALERT_ID'"),
        (["alert", "snooze", "abc"], "No such command 'snooze'"),
        (["alert", "ack", "abc", "--reason", "x", "--until", "2030-01-01"], "only `dqp alert mute` takes --until"),
        (["alert", "mute", "abc", "--reason", "x", "--until", "next week"], "expected a date"),
    ],
)
def test_bad_alert_command_lines_are_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [*args[:2], *args[2:], "--project-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.CONFIG_ERROR, result.output
    assert message in result.output, result.output


def test_every_alert_command_says_what_it_does() -> None:
    for action, words in (("ack", "Acknowledge"), ("mute", "Mute"), ("unmute", "End a mute"),
                          ("resolve", "Resolve"), ("list", "not resolved")):
        result = CliRunner().invoke(main, ["alert", action, "--help"])
        assert result.exit_code == 0 and words in result.output, result.output
