"""The report's pure half: figures from stored rows, and a page that escapes what it shows."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import numpy as np
import plotly.graph_objects as go
import pytest

from bench.html_report_scale import synthetic_report
from dqp_runner.report import (
    DatasetReport,
    ReportData,
    check_labels,
    choose_check,
    distribution_overlay,
    drift_heatmap,
    rates_over_time,
    render_report,
    signal_reason,
)
from dqp_runner.report_rows import AlertRecord, BinRecord, CategoryRecord, CheckRecord, MetricRecord, SignalRecord

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HOSTILE_DATASET = '<img src=x onerror="alert(1)">'
HOSTILE_COLUMN = "</script><script>alert(2)</script>"


def check(index: int, run_id: str | None = None, dataset: str = "orders") -> CheckRecord:
    return CheckRecord(
        dataset, run_id or f"run-{index}", f"check-{index}", START + timedelta(hours=index), START,
        100.0 - index, "WARN", "score in the WARN band", 1,
    )


def test_overlay_shares_are_each_sides_bin_counts_over_its_total() -> None:
    rng = np.random.default_rng(3)
    reference, current = rng.integers(0, 500, 6), rng.integers(0, 500, 6)
    bins = [
        BinRecord(side, "amount", "psi", index, None if index == 0 else float(index), None if index == 4 else
                  float(index + 1), index == 5, int(counts[index]))
        for side, counts in (("reference", reference), ("current", current)) for index in range(6)
    ]
    figure = distribution_overlay("amount", list(reversed(bins)), [])
    assert figure is not None
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert traces["reference"]["x"] == ["≤ 1", "(1, 2]", "(2, 3]", "(3, 4]", "> 4", "null"]
    np.testing.assert_allclose(traces["reference"]["y"], reference / reference.sum(), rtol=1e-5)
    np.testing.assert_allclose(traces["current"]["y"], current / current.sum(), rtol=1e-5)


def test_overlay_prefers_psi_bins_and_falls_back_to_categories() -> None:
    psi = BinRecord("current", "amount", "psi", 0, None, None, False, 3)
    binned = BinRecord("current", "amount", "ks_binned", 0, None, 1.0, False, 3)
    figure = distribution_overlay("amount", [binned, psi], [])
    assert figure is not None and figure["data"][1]["x"] == ["all"]
    categories = [
        CategoryRecord("reference", "channel", "web", "value", 60),
        CategoryRecord("reference", "channel", "app", "value", 40),
        CategoryRecord("current", "channel", "web", "value", 10),
        CategoryRecord("current", "channel", "__other__", "other", 30),
        CategoryRecord("current", "channel", "__null__", "null", 60),
    ]
    figure = distribution_overlay("channel", [], categories)
    assert figure is not None
    reference, current = figure["data"]
    assert reference["x"] == ["web", "(null)", "app", "(other values)"]  # by rows over both sides
    assert reference["y"] == [0.6, 0.0, 0.4, 0.0]
    assert current["y"] == [0.1, 0.6, 0.0, 0.3]
    assert distribution_overlay("nothing", [], categories) is None


def test_heatmap_is_drift_over_threshold_preferring_psi() -> None:
    checks = [check(0), check(1)]
    metrics = [
        MetricRecord("check-0", "amount", "ks_d", "fired", 0.3, 0.1, None, None, None),
        MetricRecord("check-0", "amount", "psi", "fired", 0.5, 0.2, None, None, None),
        MetricRecord("check-1", "amount", "ks_d", "below_threshold", 0.05, 0.1, None, None, None),
        MetricRecord("check-1", "channel", "jensen_shannon_distance", "fired", 0.3, 0.1, None, None, None),
        MetricRecord("check-1", None, "volume_change", "fired", 9.0, 0.5, None, None, None),
    ]
    figure = drift_heatmap(checks, metrics)
    assert figure is not None
    trace = figure["data"][0]
    assert trace["y"] == ["amount (PSI, KS D)", "channel (JS distance)"]
    assert trace["z"] == [[2.5, 0.5], [None, 3.0]]
    assert trace["text"] == [["0.5", "0.05"], ["", "0.3"]]
    assert drift_heatmap(checks, metrics[-1:]) is None


def test_rates_over_time_read_each_checks_current_rate() -> None:
    checks = [check(0), check(1)]
    metrics = [
        MetricRecord("check-0", "amount", "null_rate_increase", "below_threshold", 0.0, 0.05, 0.01, 0.01, None),
        MetricRecord("check-1", "amount", "null_rate_increase", "fired", 0.3, 0.05, 0.31, 0.01, None),
        MetricRecord("check-1", "amount", "iqr_outlier_excess", "fired", 0.1, 0.02, 0.12, 0.02, None),
        MetricRecord("gone", "amount", "iqr_outlier_excess", "fired", 0.1, 0.02, 0.5, 0.02, None),
    ]
    figure = rates_over_time("amount", checks, metrics)
    assert figure is not None
    nulls, outliers = figure["data"]
    assert nulls["y"] == [0.01, 0.31] and outliers["y"] == [0.12]
    assert nulls["x"] == [1, 2] and outliers["x"] == [2]
    assert check_labels(checks) == ["#1 2026-03-01 12:00 run-0", "#2 2026-03-01 13:00 run-1"]
    assert rates_over_time("amount", checks, []) is None


def test_labels_stay_distinct_and_the_chosen_check_is_the_latest_of_its_run() -> None:
    same_minute = [check(0, "run-a"), CheckRecord(**{**check(0, "run-a").__dict__, "check_id": "again"})]
    assert len(set(check_labels(same_minute))) == 2
    older_run = CheckRecord(**{**check(2, "run-a").__dict__, "profiled_at": START - timedelta(days=1)})
    history = [check(0, "run-b"), check(1, "run-b"), older_run]
    assert choose_check(history, None) == history[1]  # a re-check of an older run does not hide newer data
    assert choose_check(history, "run-a") == older_run
    assert choose_check(history, "run-c") is None


def test_signal_reason_says_what_crossed_and_how_sure() -> None:
    fired = SignalRecord("amount", "psi", "psi", 0.41, 0.2, 1e-9, "high", 20.0, "x",
                         '{"alpha":0.01,"p_value_adjusted":2e-9}')
    assert signal_reason(fired) == "0.41 ≥ threshold 0.2; adjusted p 2e-09 < α 0.01"
    short = SignalRecord("amount", "insufficient_data", "column_profile", None, None, None, "info", 0.0, "x",
                         '{"reason":"reference has 3 rows, fewer than 30"}')
    assert signal_reason(short) == "reference has 3 rows, fewer than 30"


def test_an_underflowed_p_value_reads_as_a_bound_in_the_reason_and_the_tables() -> None:
    underflow = SignalRecord("amount", "null_rate", "fisher_exact", 0.5, 0.05, 0.0, "high", 20.0, "x",
                             '{"alpha":0.01,"p_value_adjusted":0.0}')
    assert signal_reason(underflow) == "0.5 ≥ threshold 0.05; adjusted p < 1e-300 < α 0.01"
    checks = (check(0),)
    metrics = (MetricRecord("check-0", "amount", "null_rate_increase", "fired", 0.5, 0.05, 0.5, 0.0, 0.0),)
    dataset = DatasetReport("orders", checks, checks[0], (underflow,), metrics, (), ())
    page = render_report(ReportData((dataset,), None, START), plotly_js="")
    assert page.count('<td class="num">&lt; 1e-300</td>') == 2  # the signal's p-value and the metric's p adj


def _page(alerts: tuple[AlertRecord, ...] | None) -> str:
    checks = (check(0, dataset=HOSTILE_DATASET), check(1, dataset=HOSTILE_DATASET))
    metrics = tuple(
        MetricRecord(c.check_id, HOSTILE_COLUMN, "psi", "fired", 0.4, 0.2, None, None, 1e-5) for c in checks
    )
    bins = tuple(BinRecord(side, HOSTILE_COLUMN, "psi", 0, None, None, False, 5) for side in ("reference", "current"))
    signals = (SignalRecord(HOSTILE_COLUMN, "psi", "psi", 0.4, 0.2, 1e-5, "high", 20.0, "REVIEW", "{}"),)
    dataset = DatasetReport(HOSTILE_DATASET, checks, checks[-1], signals, metrics, bins, ())
    return render_report(ReportData((dataset,), alerts, START), plotly_js="/* plotly */")


def test_page_escapes_names_and_embeds_figures_that_plotly_accepts() -> None:
    page = _page(None)
    assert HOSTILE_DATASET not in page and HOSTILE_COLUMN not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    specs = re.findall(r'<script type="application/json" id="(plot-\d+)">(.*?)</script>', page, re.S)
    assert [plot_id for plot_id, _ in specs] == [f"plot-{index}" for index in range(len(specs))]
    assert len(specs) == 3  # sparkline, heatmap, overlay (no rate was measured)
    for plot_id, text in specs:
        assert f'data-plot="{plot_id}"' in page
        spec = json.loads(text)
        go.Figure(data=spec["data"], layout=spec["layout"])  # raises on anything plotly.js would not know
    assert HOSTILE_COLUMN in json.dumps([json.loads(text) for _, text in specs])
    assert "alerts: not tracked in this install" in page
    assert not re.search(r'(src|href)="https?:', page)


def test_page_lists_alerts_that_are_not_resolved() -> None:
    alerts = (
        AlertRecord(HOSTILE_DATASET, "amount", "psi", "open", "high", START),
        AlertRecord(HOSTILE_DATASET, None, "volume", "resolved", "low", START),
    )
    page = _page(alerts)
    assert "not tracked" not in page
    assert page.count("<td>psi</td><td>open</td>") == 1 and "<td>volume</td>" not in page
    assert re.search(r'<td class="num">1</td>\s*<td class="num">1</td>', page)  # one open alert, one signal
    assert "alerts: none open" in _page(())


@pytest.mark.parametrize(("columns", "checks"), [(200, 100)])
def test_a_wide_long_history_stays_small(columns: int, checks: int) -> None:
    page = render_report(synthetic_report(columns, checks), plotly_js="")
    assert len(page.encode()) < 3_000_000  # the data; plotly.js adds about 4.8 MB
