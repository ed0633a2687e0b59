"""`dqp report` and `dqp check`'s telemetry (issue 14), on DuckDB and PostgreSQL.

One small project per engine: three orders datasets built and checked twice
(two profile runs, so the report has a history). The report is opened in a
real headless Chromium, offline; the metrics file is parsed by
prometheus_client and checked by promtool; the JSON logs join the audit rows.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.browser import load_page
from tests.support.dbt_project import DbtProject

DATASETS = ("orders_nodrift", "orders_mean_shift", "orders_category_shift")
SELECTION = ("--select", "package:dqp", "orders_reference", *DATASETS)
DOCUMENTED_SERIES = {
    "dqp_check_duration_seconds", "dqp_check_last_run_timestamp_seconds", "dqp_dataset_health_score",
    "dqp_dataset_decision_rank", "dqp_dataset_profiled_timestamp_seconds", "dqp_dataset_signals",
    "dqp_column_psi", "dqp_column_ks_statistic", "dqp_column_js_distance",
}


@dataclass
class History:
    project: DbtProject
    run_ids: list[str]  # the two profile runs, oldest first
    metrics_file: Path
    check_stdout: str
    check_stderr: str


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, target: str, target_env: dict[str, str]) -> History:
    env = dict(target_env, DQP_SCHEMA=f"dqp_it_{uuid.uuid4().hex[:8]}")
    project = DbtProject.copy(tmp_path_factory.mktemp(f"report_{target}"), target, env)
    project.dbt("deps")
    project.dbt("build", *SELECTION)
    assert project.dqp("check").returncode == 1, project.last
    project.dbt("build", *SELECTION)
    metrics_file = project.path / "metrics" / "dqp.prom"
    checked = project.dqp("check", "--format", "json", "--log-format", "json", "--metrics-file", str(metrics_file))
    assert checked.returncode == 1, checked.stderr
    runs = project.query("select run_id from {schema}.dqp_profile_runs group by run_id order by min(profiled_at)")
    return History(project, [row[0] for row in runs], metrics_file, checked.stdout, checked.stderr)


def _families(path: Path) -> dict[str, Any]:
    return {family.name: family for family in text_string_to_metric_families(path.read_text())}


def _sample(families: dict[str, Any], name: str, **labels: str) -> float:
    found = [s.value for s in families[name].samples if all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(found) == 1, (name, labels, families[name].samples)
    return float(found[0])


def test_metrics_file_holds_the_documented_series(history: History) -> None:
    families = _families(history.metrics_file)
    assert set(families) >= DOCUMENTED_SERIES, set(families)
    # dqp_alerts is a package model: every dataset has a count of its open alerts
    open_counts = dict(history.project.query(
        "select dataset_name, count(*) from {schema}.dqp_alerts where status = 'open' group by dataset_name"
    ))
    for name in DATASETS:
        assert _sample(families, "dqp_dataset_open_alerts", dataset=name) == open_counts.get(name, 0)
    document = json.loads(history.check_stdout)  # stdout stays the JSON output; logs went to stderr
    for dataset in document["datasets"]:
        name = dataset["dataset_name"]
        assert _sample(families, "dqp_dataset_health_score", dataset=name) == dataset["health_score"]
        rank = {"NO_ACTION": 0, "MONITOR": 1, "WARN": 2, "BLOCK_PIPELINE": 3}[dataset["decision"]]
        assert _sample(families, "dqp_dataset_decision_rank", dataset=name, decision=dataset["decision"]) == rank
        expected: dict[tuple[str, str], int] = {}
        for row in dataset["signals"]:
            key = (row["signal_type"], row["severity"] or "none")
            expected[key] = expected.get(key, 0) + 1
        found = {
            (s.labels["signal_type"], s.labels["severity"]): int(s.value)
            for s in families["dqp_dataset_signals"].samples if s.labels["dataset"] == name
        }
        assert found == expected
    stored = history.project.query(
        "select metric_value from {schema}.dqp_column_metrics as metrics join {schema}.dqp_check_runs as checks "
        "on checks.check_id = metrics.check_id where metrics.dataset_name = 'orders_mean_shift' "
        f"and metrics.run_id = '{history.run_ids[-1]}' and column_name = 'amount' and metric_name = 'psi'"
    )
    assert _sample(families, "dqp_column_psi", dataset="orders_mean_shift", column="amount") == pytest.approx(
        stored[0][0], rel=1e-12
    )
    assert _sample(families, "dqp_check_duration_seconds") > 0


def test_metric_names_pass_promtool(history: History) -> None:
    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: run scripts/install_test_tools.sh as root (Debian package prometheus)"
    result = subprocess.run(
        [promtool, "check", "metrics"], input=history.metrics_file.read_text(), capture_output=True, text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "" and result.stderr.strip() == "", result.stdout + result.stderr


def test_json_logs_join_the_audit_rows(history: History) -> None:
    records = [json.loads(line) for line in history.check_stderr.splitlines() if line.strip()]
    assert records, "no log lines"
    assert {record["event"] for record in records} >= {"check_started", "dataset_checked", "check_finished"}
    assert len({record["dqp_invocation_id"] for record in records}) == 1
    checked = [record for record in records if record["event"] == "dataset_checked"]
    assert sorted(record["dataset_name"] for record in checked) == sorted(DATASETS)
    for record in checked:
        rows = history.project.query(
            "select dataset_name, run_id, decision from {schema}.dqp_check_runs "
            f"where check_id = '{record['check_id']}'"
        )
        assert rows == [(record["dataset_name"], record["run_id"], record["decision"])]
        assert record["run_id"] == history.run_ids[-1]  # the dbt invocation_id of the profile run
    assert records[-1]["event"] == "check_finished" and records[-1]["exit_code"] == 1


def _report(history: History, name: str, *options: str) -> tuple[Path, str]:
    output = history.project.path / "target" / name
    result = history.project.dqp("report", "--output", str(output), *options)
    assert result.returncode == 0, result.stderr
    assert str(output) in result.stdout
    return output, output.read_text()


def test_report_is_offline_and_draws_its_charts_in_a_browser(history: History) -> None:
    page, html = _report(history, "dqp_report.html")
    assert "alerts: not tracked in this install" not in html  # dqp_alerts is a package model
    for dataset in DATASETS:
        assert f">{dataset}</a>" in html
    assert html.count("<script>") == 2  # plotly.js once, then the page's own loader
    loaded = load_page(page, screenshot=page.with_suffix(".png"))
    assert loaded.console_messages == []
    assert loaded.network_urls == set()
    plots = loaded.dom.count('class="plot')
    drawn = loaded.dom.count('data-drawn="1"')
    # Every sparkline and heatmap, and the flagged columns' charts, are drawn; the rest wait to be opened.
    assert drawn >= len(DATASETS) * 2 + 2, (drawn, plots)
    assert loaded.dom.count('class="main-svg"') >= drawn
    assert page.with_suffix(".png").stat().st_size > 20_000


def test_report_of_a_chosen_run_and_dataset(history: History) -> None:
    first = history.run_ids[0]
    _, html = _report(history, "first.html", "--select", "orders_mean_shift", "--run-id", first)
    assert f"run {first}" in html
    assert ">orders_nodrift</a>" not in html
    # The history reaches both checks whichever run is shown.
    assert html.count(f"{history.run_ids[-1][:8]}") >= 1


def test_report_with_nothing_checked_is_a_config_error(history: History) -> None:
    result = history.project.dqp("report", "--select", "no_such_dataset")
    assert result.returncode == 2
    assert "no recorded check for dataset no_such_dataset" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.fixture()
def alerts_table(history: History) -> Iterator[None]:
    """dqp_alerts (a package model) holding only one open, one resolved and one acknowledged alert;
    the check's own alerts are set aside and put back after."""
    columns = "alert_id, dataset_name, column_name, signal_type, status, severity, opened_at, last_seen_at"
    statements = [
        "create table {schema}.dqp_alerts_aside as select * from {schema}.dqp_alerts",
        "delete from {schema}.dqp_alerts",
        f"insert into {{schema}}.dqp_alerts ({columns}) values "
        "('t1', 'orders_mean_shift', 'amount', 'psi', 'open', 'high', timestamp '2026-01-02 03:04:05', "
        "timestamp '2026-01-02 03:04:05'), "
        "('t2', 'orders_mean_shift', 'amount', 'ks', 'resolved', 'high', timestamp '2026-01-01 00:00:00', "
        "timestamp '2026-01-01 00:00:00'), "
        "('t3', 'orders_category_shift', null, 'volume', 'acknowledged', 'medium', "
        "timestamp '2026-01-03 00:00:00', timestamp '2026-01-03 00:00:00')",
    ]
    _execute(history.project, statements)
    try:
        yield
    finally:
        _execute(history.project, [
            "delete from {schema}.dqp_alerts",
            "insert into {schema}.dqp_alerts select * from {schema}.dqp_alerts_aside",
            "drop table {schema}.dqp_alerts_aside",
        ])


def _execute(project: DbtProject, statements: list[str]) -> None:
    if project.target == "duckdb":
        import duckdb

        with duckdb.connect(project.env["DQP_DUCKDB_PATH"]) as connection:
            for sql in statements:
                connection.execute(sql.replace("{schema}", f'"{project.schema}"'))
        return
    for sql in statements:
        project.query(sql)


@pytest.mark.usefixtures("alerts_table")
def test_open_alerts_in_report_and_metrics(history: History, tmp_path: Path) -> None:
    _, html = _report(history, "alerts.html")
    assert "not tracked" not in html
    assert "2026-01-02 03:04 UTC" in html and "acknowledged" in html
    assert "2026-01-01 00:00 UTC" not in html  # resolved alerts are not listed
    metrics_file = tmp_path / "dqp.prom"
    assert history.project.dqp("check", "--metrics-file", str(metrics_file)).returncode == 1
    families = _families(metrics_file)
    assert _sample(families, "dqp_dataset_open_alerts", dataset="orders_mean_shift") == 1
    assert _sample(families, "dqp_dataset_open_alerts", dataset="orders_category_shift") == 0
    assert _sample(families, "dqp_dataset_open_alerts", dataset="orders_nodrift") == 0


def test_telemetry_doc_lists_the_series_and_its_alert_rules_load() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "telemetry.md").read_text()
    listed = set(re.findall(r"^\| `(dqp_\w+)` \|", doc, re.M))
    assert listed == DOCUMENTED_SERIES | {"dqp_dataset_open_alerts"}
    rules = doc.split("### Example alert rules", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: run scripts/install_test_tools.sh as root (Debian package prometheus)"
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as handle:
        handle.write(rules)
        handle.flush()
        checked = subprocess.run([promtool, "check", "rules", handle.name], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_browser_harness_sees_console_errors_and_requests(tmp_path: Path) -> None:
    """The offline assertions above mean something: a page that logs and fetches is caught."""
    page = tmp_path / "noisy.html"
    page.write_text(
        '<html><body><img src="http://example.invalid/a.png">'
        '<script>console.error("boom"); document.body.setAttribute("data-ran", "yes");</script></body></html>'
    )
    loaded = load_page(page)
    assert any("boom" in message for message in loaded.console_messages), loaded.console_messages
    assert loaded.network_urls == {"http://example.invalid/a.png"}
    assert 'data-ran="yes"' in loaded.dom
