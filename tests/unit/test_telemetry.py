"""`dqp check` telemetry: the Prometheus series of real checks, and the JSON log lines."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from dqp_runner.check import DatasetCheck, check_policy
from dqp_runner.scoring import score_and_decide
from dqp_runner.signals import evaluate_dataset
from dqp_runner.telemetry import configure_logging, metrics_registry, write_metrics_file
from dqp_runner.warehouse import ProfileRun
from tests.unit.aggregate_builders import build_dataset, cat, num

PROFILED_AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def dataset_check(name: str, shift: float) -> DatasetCheck:
    rng = np.random.default_rng(5)
    aggregates = build_dataset(
        num("amount", list(rng.normal(0, 1, 2000)), list(rng.normal(shift, 1, 2000))),
        cat("channel", ["web", "app"] * 1000, ["web", "app"] * 1000),
        critical=["amount"],
    )
    policy = check_policy(name, {}, {})
    evaluation = evaluate_dataset(aggregates, policy.policy)
    run = ProfileRun(name, f"{name}-run", PROFILED_AT, "relation", frozenset({"amount"}), {}, None, None)
    return DatasetCheck(run, score_and_decide(evaluation.signals, policy.policy), policy, tuple(evaluation.metrics))


def families(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    return {
        family.name: [(sample.labels, sample.value) for sample in family.samples]
        for family in text_string_to_metric_families(text)
    }


def test_series_carry_each_datasets_verdict_and_drift() -> None:
    checks = [dataset_check("steady", 0.0), dataset_check("shifted", 1.0)]
    parsed = families(generate_latest(metrics_registry(checks, 1.25, 1.7e9, None)).decode())
    assert parsed["dqp_check_duration_seconds"] == [({}, 1.25)]
    assert "dqp_dataset_open_alerts" not in parsed
    for item in checks:
        labels = {"dataset": item.run.dataset_name}
        assert (labels, item.verdict.health_score) in parsed["dqp_dataset_health_score"]
        assert (dict(labels, decision=item.verdict.decision.name), int(item.verdict.decision)) in parsed[
            "dqp_dataset_decision_rank"
        ]
        assert (labels, PROFILED_AT.timestamp()) in parsed["dqp_dataset_profiled_timestamp_seconds"]
        psi = next(m for m in item.metrics if m.metric_name == "psi" and m.column_name == "amount")
        assert (dict(labels, column="amount"), psi.metric_value) in parsed["dqp_column_psi"]
        ks = next(m for m in item.metrics if m.metric_name == "ks_d" and m.column_name == "amount")
        assert (dict(labels, column="amount"), ks.metric_value) in parsed["dqp_column_ks_statistic"]
    shifted = [(labels, value) for labels, value in parsed["dqp_dataset_signals"] if labels["dataset"] == "shifted"]
    assert sum(value for _, value in shifted) == len(checks[1].verdict.explanations) > 0
    assert all(labels["dataset"] != "steady" for labels, _ in parsed["dqp_dataset_signals"])
    assert any(labels["column"] == "channel" for labels, _ in parsed["dqp_column_js_distance"])


def test_open_alerts_appear_when_tracked_and_the_file_is_replaced_whole(tmp_path: Path) -> None:
    checks = [dataset_check("steady", 0.0), dataset_check("shifted", 1.0)]
    path = tmp_path / "textfile" / "dqp.prom"
    write_metrics_file(path, metrics_registry(checks, 0.5, 1.7e9, {"shifted": 2}))
    parsed = families(path.read_text())
    assert sorted(parsed["dqp_dataset_open_alerts"], key=str) == sorted(
        [({"dataset": "steady"}, 0.0), ({"dataset": "shifted"}, 2.0)], key=str
    )
    write_metrics_file(path, metrics_registry(checks[:1], 0.5, 1.7e9, None))
    assert "shifted" not in path.read_text()
    assert [entry.name for entry in path.parent.iterdir()] == ["dqp.prom"]  # no temporary file left


def test_json_logs_are_one_object_a_line_with_the_context(capsys: pytest.CaptureFixture[str]) -> None:
    logger = configure_logging("json", {"dqp_invocation_id": "abc"})
    try:
        logger.info("dataset checked", extra={"event": "dataset_checked", "run_id": "r1", "check_id": "c1"})
        logger.error("it broke")
    finally:
        configure_logging("text")
    lines = capsys.readouterr().err.splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0]["message"] == "dataset checked"
    assert (records[0]["run_id"], records[0]["check_id"], records[0]["dqp_invocation_id"]) == ("r1", "c1", "abc")
    assert records[0]["level"] == "INFO" and records[0]["time"].endswith("Z")
    assert records[1]["level"] == "ERROR" and records[1]["dqp_invocation_id"] == "abc"
    logging.getLogger("dqp").error("quiet in text mode")
    assert capsys.readouterr().err == ""


def test_a_failed_check_logs_one_json_error_with_its_exit_code(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dqp_runner.cli import ExitCode, main

    try:
        result = CliRunner().invoke(main, ["check", "--log-format", "json", "--project-dir", str(tmp_path)])
    finally:
        configure_logging("text")
    assert result.exit_code == ExitCode.CONFIG_ERROR
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [record["event"] for record in records] == ["check_started", "check_failed"]
    assert records[1]["exit_code"] == 2 and f"no dbt_project.yml in {tmp_path}" in records[1]["message"]
    assert records[0]["dqp_invocation_id"] == records[1]["dqp_invocation_id"]
