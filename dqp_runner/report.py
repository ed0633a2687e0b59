"""`dqp report`: one self-contained HTML file from the dqp tables.

`load_report` reads (through the Warehouse, audit rows and stored aggregates
only, never a monitored relation); `render_report` is a pure function of what
it read. Charts are Plotly figure specs drawn by plotly.js, which is inlined
once per page: the file opens with no network access. Per-column charts are
drawn when their section is opened (the flagged columns are open at load), so
a page with hundreds of columns stays quick to open.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from markupsafe import Markup

from dqp_runner import __version__
from dqp_runner.display import p_value_text
from dqp_runner.report_rows import (
    AlertRecord,
    BinRecord,
    CategoryRecord,
    CheckRecord,
    MetricRecord,
    SignalRecord,
)
from dqp_runner.warehouse import Warehouse

# Drift metrics in the order the heatmap prefers them for a column (metric_name in dqp_column_metrics).
DRIFT_METRICS = ("psi", "ks_d", "jensen_shannon_distance")
DRIFT_LABELS = {"psi": "PSI", "ks_d": "KS D", "jensen_shannon_distance": "JS distance"}
# Side-level rates drawn over time: each metric's current_value is that side's rate.
RATE_METRICS = {"null_rate_increase": "null rate", "iqr_outlier_excess": "IQR outlier rate"}
HISTORY_METRICS = (*DRIFT_METRICS, *RATE_METRICS)
# Columns whose charts are drawn at load (the flagged ones, worst first); the rest on opening.
OPEN_COLUMN_LIMIT = 10
CATEGORY_LIMIT = 30
DECISION_COLOURS = {"NO_ACTION": "#2e7d32", "MONITOR": "#00838f", "WARN": "#b26a00", "BLOCK_PIPELINE": "#c62828"}
REFERENCE_COLOUR, CURRENT_COLOUR = "#7f8c9a", "#d9480f"
# No mode bar: it covers the small charts' titles; zoom by dragging, double-click to reset.
PLOT_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


_Record = TypeVar("_Record", MetricRecord, BinRecord, CategoryRecord)


class ReportError(Exception):
    """Nothing to report for what was asked (no recorded check matches)."""


@dataclass(frozen=True)
class DatasetReport:
    """What the report shows of one dataset: its check history and the chosen check's detail."""

    dataset_name: str
    checks: tuple[CheckRecord, ...]  # every recorded check, oldest first
    chosen: CheckRecord
    signals: tuple[SignalRecord, ...]  # the chosen check's explanation rows
    metrics: tuple[MetricRecord, ...]  # HISTORY_METRICS of every check
    bins: tuple[BinRecord, ...]  # the chosen run's binned histograms
    categories: tuple[CategoryRecord, ...]  # the chosen run's category counts


@dataclass(frozen=True)
class ReportData:
    datasets: tuple[DatasetReport, ...]
    alerts: tuple[AlertRecord, ...] | None  # None: no dqp_alerts relation in this install
    generated_at: datetime
    run_id: str | None = None


# -- IO -------------------------------------------------------------------------


def load_report(warehouse: Warehouse, dataset_names: Sequence[str], run_id: str | None) -> ReportData:
    """Read the report's rows: each dataset's latest check, or its latest check of run_id."""
    history: dict[str, list[CheckRecord]] = {}
    for record in warehouse.report_checks(dataset_names or None):
        history.setdefault(record.dataset_name, []).append(record)
    missing = [name for name in dataset_names if name not in history]
    if missing:
        raise ReportError(f"no recorded check for dataset {', '.join(missing)}; run `dqp check` first")
    datasets = []
    for name, checks in sorted(history.items()):
        chosen = choose_check(checks, run_id)
        if chosen is None:
            continue
        datasets.append(
            DatasetReport(
                dataset_name=name,
                checks=tuple(checks),
                chosen=chosen,
                signals=tuple(warehouse.report_signals(chosen)),
                metrics=tuple(warehouse.report_metrics(name, HISTORY_METRICS)),
                bins=tuple(warehouse.report_bins(name, chosen.run_id)),
                categories=tuple(warehouse.report_categories(name, chosen.run_id)),
            )
        )
    if not datasets:
        suffix = f" of run_id {run_id}" if run_id else ""
        raise ReportError(f"no recorded check{suffix}; run `dbt build` and `dqp check` first")
    alerts = warehouse.report_alerts(dataset_names or None)
    return ReportData(
        tuple(datasets), None if alerts is None else tuple(alerts), datetime.now(UTC), run_id
    )


def write_report(path: Path, html: str) -> None:
    """Write the page next to its final name, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(html, encoding="utf-8")
    partial.replace(path)


# -- pure -----------------------------------------------------------------------


def choose_check(checks: Sequence[CheckRecord], run_id: str | None) -> CheckRecord | None:
    """The verdict about the dataset: the latest check of its latest checked profile run (a re-check of
    an old run never hides newer data, as in dqp_latest_verdicts), or the latest check of run_id."""
    wanted = [check for check in checks if run_id is None or check.run_id == run_id]
    oldest = datetime.min.replace(tzinfo=UTC)
    return max(wanted, key=lambda check: (check.profiled_at or oldest, check.checked_at), default=None)


@dataclass
class _Plots:
    """The page's figure specs, each embedded once as JSON and drawn by id."""

    specs: list[tuple[str, str]] = field(default_factory=list)

    def add(self, figure: Mapping[str, Any]) -> str:
        plot_id = f"plot-{len(self.specs)}"
        self.specs.append((plot_id, _script_json(figure)))
        return plot_id


def render_report(data: ReportData, plotly_js: str | None = None) -> str:
    """The whole page. plotly_js defaults to the bundle plotly.py ships (inlined, never fetched)."""
    if plotly_js is None:
        from plotly.offline import get_plotlyjs

        plotly_js = get_plotlyjs()
    plots = _Plots()
    overview = [_overview_row(dataset, data.alerts, plots) for dataset in data.datasets]
    sections = [_dataset_section(dataset, data.alerts, plots) for dataset in data.datasets]
    return _template().render(
        version=__version__,
        generated_at=_when(data.generated_at),
        run_id=data.run_id,
        overview=overview,
        sections=sections,
        alerts_tracked=data.alerts is not None,
        alerts=[alert for alert in data.alerts or () if alert.status != "resolved"],
        plot_specs=plots.specs,
        plot_config=json.dumps(PLOT_CONFIG),
        plotly_js=Markup(plotly_js.replace("</script", "<\\/script")),
        colours=DECISION_COLOURS,
    )


def open_alert_counts(alerts: Iterable[AlertRecord]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for alert in alerts:
        if alert.status == "open":
            counts[alert.dataset_name] = counts.get(alert.dataset_name, 0) + 1
    return counts


def _overview_row(dataset: DatasetReport, alerts: Sequence[AlertRecord] | None, plots: _Plots) -> dict[str, Any]:
    chosen = dataset.chosen
    return {
        "anchor": _anchor(dataset.dataset_name),
        "dataset_name": dataset.dataset_name,
        "decision": chosen.decision,
        "score": f"{chosen.health_score:.1f}",
        "trend": plots.add(score_sparkline(dataset.checks)),
        "open_alerts": None if alerts is None else open_alert_counts(alerts).get(dataset.dataset_name, 0),
        "profiled_at": _when(chosen.profiled_at),
        "checked_at": _when(chosen.checked_at),
        "signal_count": len(dataset.signals),
        "run_id": chosen.run_id,
    }


def _dataset_section(
    dataset: DatasetReport, alerts: Sequence[AlertRecord] | None, plots: _Plots
) -> dict[str, Any]:
    chosen = dataset.chosen
    current = [metric for metric in dataset.metrics if metric.check_id == chosen.check_id]
    flagged = column_order(dataset.signals, current)
    history = _by_column(dataset.metrics)
    bins = _by_column(dataset.bins)
    categories = _by_column(dataset.categories)
    columns = []
    for position, column in enumerate(flagged):
        column_metrics = [metric for metric in current if metric.column_name == column]
        overlay = distribution_overlay(column, bins.get(column, []), categories.get(column, []))
        rates = rates_over_time(column, dataset.checks, history.get(column, []))
        columns.append(
            {
                "name": column,
                "open": position < OPEN_COLUMN_LIMIT and any(
                    signal.column_name == column for signal in dataset.signals
                ),
                "fired": any(metric.state == "fired" for metric in column_metrics),
                "metrics": [_metric_view(metric) for metric in column_metrics],
                "overlay": plots.add(overlay) if overlay else None,
                "rates": plots.add(rates) if rates else None,
            }
        )
    heatmap = drift_heatmap(dataset.checks, dataset.metrics)
    return {
        "anchor": _anchor(dataset.dataset_name),
        "dataset_name": dataset.dataset_name,
        "decision": chosen.decision,
        "decision_reason": chosen.decision_reason or "",
        "score": f"{chosen.health_score:.1f}",
        "run_id": chosen.run_id,
        "check_id": chosen.check_id or "",
        "signals": [_signal_view(signal) for signal in dataset.signals],
        "alerts": None if alerts is None else [a for a in alerts if a.dataset_name == dataset.dataset_name],
        "columns": columns,
        "heatmap": plots.add(heatmap) if heatmap else None,
    }


def _by_column(records: Iterable[_Record]) -> dict[str | None, list[_Record]]:
    """Records grouped by column, in their order: each column's charts read only its own rows."""
    grouped: dict[str | None, list[_Record]] = {}
    for record in records:
        grouped.setdefault(record.column_name, []).append(record)
    return grouped


def column_order(signals: Sequence[SignalRecord], metrics: Sequence[MetricRecord]) -> list[str]:
    """Columns with explanation rows first (as the verdict ranks them), then the others as checked."""
    ordered: dict[str, None] = {}
    for signal in signals:
        if signal.column_name is not None:
            ordered.setdefault(signal.column_name)
    for metric in metrics:
        if metric.column_name is not None:
            ordered.setdefault(metric.column_name)
    return list(ordered)


def score_sparkline(checks: Sequence[CheckRecord]) -> dict[str, Any]:
    """The health score of every check, oldest first: a small line with no axes."""
    return {
        "data": [
            {
                "type": "scatter", "mode": "lines+markers",
                "x": [_iso(check.checked_at) for check in checks],
                "y": [_round(check.health_score) for check in checks],
                "line": {"color": "#34495e", "width": 1.5}, "marker": {"size": 3},
                "hovertemplate": "%{x}<br>score %{y}<extra></extra>",
            }
        ],
        "layout": {
            "height": 36, "width": 160, "margin": {"l": 2, "r": 2, "t": 2, "b": 2},
            "xaxis": {"visible": False}, "yaxis": {"visible": False, "range": [0, 105]},
            "showlegend": False, "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        },
        "config": {"staticPlot": False, "displayModeBar": False},
    }


def distribution_overlay(
    column: str, bins: Sequence[BinRecord], categories: Sequence[CategoryRecord]
) -> dict[str, Any] | None:
    """Reference vs current shares per stored bin (numeric) or category (categorical), or None."""
    column_bins = [record for record in bins if record.column_name == column]
    kinds = {record.histogram_kind for record in column_bins}
    kind = "psi" if "psi" in kinds else "ks_binned" if "ks_binned" in kinds else None
    if kind is not None:
        chosen = sorted((r for r in column_bins if r.histogram_kind == kind), key=lambda r: r.bin_index)
        labels = {record.bin_index: bin_label(record) for record in chosen}
        order = sorted(labels)
        shares = {
            side: _shares({r.bin_index: r.value_count for r in chosen if r.side == side}, order)
            for side in ("reference", "current")
        }
        x_values = [labels[index] for index in order]
        axis_title = "bin (stored edges)"
    else:
        column_categories = [record for record in categories if record.column_name == column]
        if not column_categories:
            return None
        totals: dict[str, int] = {}
        for record in column_categories:
            label = category_label(record)
            totals[label] = totals.get(label, 0) + record.value_count
        x_values = sorted(totals, key=lambda label: (-totals[label], label))[:CATEGORY_LIMIT]
        shares = {}
        for side in ("reference", "current"):
            counts = {category_label(r): r.value_count for r in column_categories if r.side == side}
            shares[side] = _shares(counts, x_values, sum(counts.values()))
        axis_title = "category"
    return {
        "data": [
            {
                "type": "bar", "name": side, "x": x_values, "y": shares[side], "marker": {"color": colour},
                "opacity": 0.85, "hovertemplate": f"{side}<br>%{{x}}: %{{y:.2%}}<extra></extra>",
            }
            for side, colour in (("reference", REFERENCE_COLOUR), ("current", CURRENT_COLOUR))
        ],
        "layout": {
            "barmode": "group", "height": 260, "margin": {"l": 50, "r": 10, "t": 30, "b": 60},
            "title": {"text": "share of rows by stored bin", "font": {"size": 13}, "x": 0.01, "xanchor": "left"},
            "yaxis": {"tickformat": ".0%", "title": {"text": "share of rows"}},
            "xaxis": {"type": "category", "title": {"text": axis_title}},
            "legend": {"orientation": "h", "y": 1.15, "x": 1, "xanchor": "right"},
        },
    }


def rates_over_time(
    column: str, checks: Sequence[CheckRecord], metrics: Sequence[MetricRecord]
) -> dict[str, Any] | None:
    """The current side's null rate and IQR outlier rate at every check, or None if never measured."""
    # Checks by number (1 the oldest, as on the heatmap): a label per point would dominate the page's size.
    when = {check.check_id: number for number, check in enumerate(checks, start=1)}
    traces = []
    for metric_name, label in RATE_METRICS.items():
        points = [
            (when[metric.check_id], metric.current_value)
            for metric in metrics
            if metric.column_name == column and metric.metric_name == metric_name
            and metric.check_id in when and metric.current_value is not None
        ]
        if points:
            traces.append(
                {
                    "type": "scatter", "mode": "lines+markers", "name": label,
                    "x": [point[0] for point in points], "y": [_round(point[1]) for point in points],
                    "hovertemplate": f"{label}<br>check #%{{x}}: %{{y:.2%}}<extra></extra>",
                }
            )
    if not traces:
        return None
    return {
        "data": traces,
        "layout": {
            "height": 220, "margin": {"l": 50, "r": 10, "t": 30, "b": 40}, "showlegend": True,
            "title": {"text": "current rates by check", "font": {"size": 13}, "x": 0.01, "xanchor": "left"},
            "yaxis": {"tickformat": ".1%", "rangemode": "tozero"},
            "xaxis": {
                "title": {"text": "check # (1 the oldest)"}, "range": [0.5, len(checks) + 0.5],
                "tick0": 1, "dtick": max(1, math.ceil(len(checks) / 10)),
            },
            "legend": {"orientation": "h", "y": 1.2, "x": 1, "xanchor": "right"},
        },
    }


def drift_heatmap(checks: Sequence[CheckRecord], metrics: Sequence[MetricRecord]) -> dict[str, Any] | None:
    """Column x check drift as a multiple of its threshold (PSI, else KS D, else JS distance).

    1.0 is the level where the metric fires (significance aside), so one colour
    scale serves columns whose drift is measured by different statistics.
    """
    labels = check_labels(checks)
    position = {check.check_id: index for index, check in enumerate(checks)}
    best: dict[str, dict[int, MetricRecord]] = {}
    for metric in metrics:
        if metric.column_name is None or metric.metric_name not in DRIFT_METRICS or metric.check_id not in position:
            continue
        cells = best.setdefault(metric.column_name, {})
        index = position[metric.check_id]
        held = cells.get(index)
        if held is None or DRIFT_METRICS.index(metric.metric_name) < DRIFT_METRICS.index(held.metric_name):
            cells[index] = metric
    if not best:
        return None
    columns = sorted(best)
    z_rows, text_rows, y_labels = [], [], []
    for column in columns:
        cells = best[column]
        names = sorted({cell.metric_name for cell in cells.values()}, key=DRIFT_METRICS.index)
        y_labels.append(f"{column} ({', '.join(DRIFT_LABELS[name] for name in names)})")
        z_rows.append([_ratio(cells.get(index)) for index in range(len(checks))])
        text_rows.append([_short(cells[index].metric_value) if index in cells else "" for index in range(len(checks))])
    return {
        "data": [
            {
                "type": "heatmap", "x": labels, "y": y_labels, "z": z_rows, "text": text_rows,
                "zmin": 0, "zmax": 2, "xgap": 1, "ygap": 1,
                "colorscale": [[0, "#f4f6f8"], [0.35, "#c6dbef"], [0.5, "#fdd49e"], [0.75, "#f46d43"], [1, "#a50026"]],
                "colorbar": {"title": {"text": "× threshold"}, "thickness": 12, "tickvals": [0, 1, 2]},
                "hovertemplate": "%{y}<br>%{x}<br>value %{text} = %{z:.2f} × threshold<extra></extra>",
            }
        ],
        "layout": {
            "height": min(max(260, 140 + 16 * len(columns)), 3400),
            "margin": {"l": 220, "r": 10, "t": 30, "b": 110},
            "title": {"text": "drift by column and check (value ÷ threshold; ≥ 1 crosses the level)",
                      "font": {"size": 13}},
            "xaxis": {"type": "category", "tickangle": -45, "automargin": True},
            "yaxis": {"type": "category", "automargin": True, "autorange": "reversed"},
        },
    }


def check_labels(checks: Sequence[CheckRecord]) -> list[str]:
    """One distinct axis label per check: its number (1 the oldest), when, and which run."""
    return [
        f"#{number} {check.checked_at:%Y-%m-%d %H:%M} {check.run_id[:8]}"
        for number, check in enumerate(checks, start=1)
    ]


def bin_label(record: BinRecord) -> str:
    if record.is_null_bin:
        return "null"
    if record.lower_edge is None and record.upper_edge is None:
        return "all"
    if record.lower_edge is None:
        return f"≤ {_short(record.upper_edge)}"
    if record.upper_edge is None:
        return f"> {_short(record.lower_edge)}"
    return f"({_short(record.lower_edge)}, {_short(record.upper_edge)}]"


def category_label(record: CategoryRecord) -> str:
    if record.category_kind == "other":
        return "(other values)"
    if record.category_kind == "null":
        return "(null)"
    return record.category_value


def _shares(counts: Mapping[Any, int], order: Sequence[Any], total: int | None = None) -> list[float]:
    denominator = total if total is not None else sum(counts.values())
    return [_round(counts.get(key, 0) / denominator) if denominator else 0.0 for key in order]


def _ratio(metric: MetricRecord | None) -> float | None:
    if metric is None or metric.metric_value is None or not metric.threshold:
        return None
    return _round(metric.metric_value / metric.threshold)


def _metric_view(metric: MetricRecord) -> dict[str, str]:
    label = DRIFT_LABELS.get(metric.metric_name) or RATE_METRICS.get(metric.metric_name, metric.metric_name)
    if metric.metric_name in RATE_METRICS:
        label = f"{label} increase"
    return {
        "name": label,
        "value": _short(metric.metric_value),
        "threshold": _short(metric.threshold),
        "p_adjusted": p_value_text(metric.p_value_adjusted),
        "state": metric.state.replace("_", " "),
        "reference": _short(metric.reference_value),
        "current": _short(metric.current_value),
    }


def _signal_view(signal: SignalRecord) -> dict[str, str]:
    return {
        "column": signal.column_name or "(dataset)",
        "signal_type": signal.signal_type,
        "method": signal.method or "",
        "value": _short(signal.metric_value),
        "threshold": _short(signal.threshold),
        "p_value": p_value_text(signal.p_value),
        "severity": signal.severity or "",
        "impact": _short(signal.score_impact),
        "action": signal.recommended_action or "",
        "reason": signal_reason(signal),
    }


def signal_reason(signal: SignalRecord) -> str:
    """Why the row exists, in words: the stored reason (insufficient_data) or the crossed level and test."""
    try:
        details = json.loads(signal.details or "{}")
    except ValueError:
        details = {}
    details = details if isinstance(details, dict) else {}
    if details.get("reason"):
        return str(details["reason"])
    parts = []
    if signal.metric_value is not None and signal.threshold is not None:
        parts.append(f"{_short(signal.metric_value)} ≥ threshold {_short(signal.threshold)}")
    adjusted = details.get("p_value_adjusted")
    if isinstance(adjusted, int | float):
        alpha = details.get("alpha")
        level = f" < α {alpha}" if isinstance(alpha, int | float) else ""
        parts.append(f"adjusted p {p_value_text(adjusted, significant_digits=2)}{level}")
    return "; ".join(parts)


def _anchor(name: str) -> str:
    return "dataset-" + "".join(char if char.isalnum() or char in "_-." else f"-{ord(char):x}-" for char in name)


def _round(value: float) -> float:
    """Six significant digits: the page carries what a chart can show, not float noise."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, 5 - int(math.floor(math.log10(abs(value)))))


def _short(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element: no `</` can end it early."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("dqp_runner", "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return environment.get_template("report.html.j2")
