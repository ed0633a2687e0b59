"""`python -m bench.html_report_scale`: size and speed of `dqp report` at scale.

A synthetic history (default 200 columns x 100 checks of one dataset, every
column with stored PSI bins, rates and drift metrics) goes through the same
pure renderer as `dqp report`. Prints the file size, the Python render time
and, when a headless Chromium is installed, the time until its scripts ran.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dqp_runner.report import DatasetReport, ReportData, render_report
from dqp_runner.report_rows import BinRecord, CheckRecord, MetricRecord, SignalRecord

BINS = 10


def synthetic_report(columns: int, checks: int, seed: int = 7) -> ReportData:
    """One dataset with `columns` numeric columns checked `checks` times; every fifth column drifts."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    names = [f"column_{index:03d}" for index in range(columns)]
    history = tuple(
        CheckRecord(
            dataset_name="wide_table", run_id=f"{index:08x}-run", check_id=f"check-{index}",
            checked_at=start + timedelta(hours=index), profiled_at=start + timedelta(hours=index),
            health_score=rng.uniform(40, 100), decision="WARN", decision_reason="score in the WARN band",
            signal_count=columns // 5,
        )
        for index in range(checks)
    )
    metrics = []
    for check in history:
        for position, name in enumerate(names):
            drift = 0.3 if position % 5 == 0 else 0.02
            psi = abs(rng.gauss(drift, 0.01))
            state = "fired" if psi > 0.2 else "below_threshold"
            metrics += [
                MetricRecord(check.check_id, name, "psi", state, psi, 0.2, None, None, 1e-6),
                MetricRecord(check.check_id, name, "ks_d", state, psi / 3, 0.1, None, None, 1e-6),
                MetricRecord(check.check_id, name, "null_rate_increase", "below_threshold", 0.0, 0.05,
                             rng.uniform(0, 0.02), 0.01, 0.5),
                MetricRecord(check.check_id, name, "iqr_outlier_excess", "below_threshold", 0.0, 0.02,
                             rng.uniform(0, 0.01), 0.005, 0.5),
            ]
    bins = [
        BinRecord(side, name, "psi", index, None if index == 0 else float(index), float(index + 1), False,
                  rng.randint(50, 150))
        for name in names for side in ("reference", "current") for index in range(BINS)
    ]
    signals = tuple(
        SignalRecord(name, "psi", "psi", 0.3, 0.2, 1e-6, "high", 5.0, "REVIEW_DISTRIBUTION_DRIFT", "{}")
        for position, name in enumerate(names) if position % 5 == 0
    )
    dataset = DatasetReport("wide_table", history, history[-1], signals, tuple(metrics), tuple(bins), ())
    return ReportData((dataset,), None, start)


def browser_seconds(page: Path) -> float | None:
    """Wall time of a headless Chromium loading the page and running its scripts, or None without one."""
    browser = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if browser is None:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={scratch}",
             "--dump-dom", page.resolve().as_uri()],
            capture_output=True, check=True, timeout=300,
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--columns", type=int, default=200)
    parser.add_argument("--checks", type=int, default=100)
    parser.add_argument("--output", type=Path, default=Path(tempfile.gettempdir()) / "dqp_report_scale.html")
    options = parser.parse_args()
    data = synthetic_report(options.columns, options.checks)
    started = time.perf_counter()
    html = render_report(data)
    rendered = time.perf_counter() - started
    options.output.write_text(html, encoding="utf-8")
    loaded = browser_seconds(options.output)
    print(
        f"{options.columns} columns x {options.checks} checks: {len(html.encode()) / 1e6:.2f} MB, "
        f"rendered in {rendered:.2f} s, "
        + (f"loaded by headless Chromium in {loaded:.2f} s" if loaded is not None else "no Chromium to load it")
        + f" ({options.output})"
    )


if __name__ == "__main__":
    main()
