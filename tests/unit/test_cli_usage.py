"""Bad command lines exit 2 with one message before any project or warehouse
is touched (docs/bad_inputs.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dqp_runner.cli import ExitCode, main, one_line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--format", "xml"], "Invalid value for '--format'"),
        (["check", "--fail-on", "never"], "Invalid value for '--fail-on'"),
        (["check", "--statement-timeout", "0"], "Invalid value for '--statement-timeout'"),
        (["check", "--statement-timeout", "soon"], "Invalid value for '--statement-timeout'"),
        (["check", "--no-such-option"], "No such option '--no-such-option'"),
        (["check", "--dataset"], "Option '--dataset' requires an argument"),
        (["check", "--log-format", "xml"], "Invalid value for '--log-format'"),
        (["check", "--metrics-file"], "Option '--metrics-file' requires an argument"),
        (["report", "--select"], "Option '--select' requires an argument"),
        (["report", "--output", "."], "Invalid value for '--output'"),
        (["chekc"], "No such command 'chekc'"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == ExitCode.CONFIG_ERROR, result.output
    assert message in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_directory_without_a_dbt_project_is_a_config_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--project-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.CONFIG_ERROR, result.output
    assert f"dqp: configuration error: no dbt_project.yml in {tmp_path}; pass --project-dir" in result.output


def test_a_message_with_brackets_is_printed_whole(tmp_path: Path) -> None:
    """Rich markup used to swallow `[word]` in a message (here a directory's name)."""
    project_dir = tmp_path / "[orders]"
    project_dir.mkdir()
    result = CliRunner().invoke(main, ["check", "--project-dir", str(project_dir)])
    assert result.exit_code == ExitCode.CONFIG_ERROR, result.output
    assert f"no dbt_project.yml in {project_dir}; pass --project-dir" in result.output, result.output


def test_driver_messages_are_put_on_one_line() -> None:
    postgres = 'query failed: relation "s.t" does not exist\nLINE 7:   from "s"."t"\n         ^\n'
    assert one_line(postgres) == 'query failed: relation "s.t" does not exist'
    refused = "cannot connect: Connection refused\n\tIs the server running on that host?\n"
    assert one_line(refused) == "cannot connect: Connection refused; Is the server running on that host?"


def test_report_without_a_project_is_one_config_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--project-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.CONFIG_ERROR, result.output
    assert result.output.strip() == f"dqp: configuration error: no dbt_project.yml in {tmp_path}; pass --project-dir"
