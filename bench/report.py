"""Tables of medians and ratios: printed, and written as JSON and Markdown."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.dbt_log import STEPS
from bench.many import HistoryResult, ManyResult
from bench.measure import CellResult

MAIN_COLUMNS = (
    ("floor", "floor s"),
    ("metric_pass", "metric pass s"),
    ("hook", "hook s"),
    ("dbt_run", "dbt run s"),
    ("dbt_run_disabled", "dbt run, hook off s"),
    ("dqp_check", "dqp check s"),
    ("dqp_end_to_end", "dqp e2e s"),
    ("pull", "pull s"),
)
SPREAD_COLUMNS = ("floor", "metric_pass", "hook", "dqp_end_to_end", "dqp_excl_startup", "pull")


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _cell_key(cell: CellResult) -> list[str]:
    return [cell.engine, f"{cell.rows:,}", str(cell.columns)]


def main_table(cells: Sequence[CellResult]) -> str:
    headers = ["engine", "rows", "cols", *(label for _, label in MAIN_COLUMNS), *cells[0].ratios().keys(),
               "check RSS MB", "pull RSS MB"] if cells else []
    rows = []
    for cell in cells:
        medians = [_seconds(cell.seconds[key].median if key in cell.seconds else None) for key, _ in MAIN_COLUMNS]
        ratios = [_ratio(value) for value in cell.ratios().values()]
        memory = [
            f"{cell.max_rss_mb[key].median:.0f}" if key in cell.max_rss_mb else "-" for key in ("dqp_check", "pull")
        ]
        rows.append([*_cell_key(cell), *medians, *ratios, *memory])
    return _table(headers, rows)


def steps_table(cells: Sequence[CellResult]) -> str:
    headers = ["engine", "rows", "cols", *STEPS, "hook"]
    rows = []
    for cell in cells:
        values = [_seconds(cell.hook_steps_replayed.get(step)) for step in STEPS]
        hook = cell.seconds["hook"].median if "hook" in cell.seconds else None
        rows.append([*_cell_key(cell), *values, _seconds(hook)])
    return _table(headers, rows)


def spread_table(cells: Sequence[CellResult]) -> str:
    headers = ["engine", "rows", "cols", *(f"{key} min-max s" for key in SPREAD_COLUMNS), "check RSS MB min-max"]
    rows = []
    for cell in cells:
        spreads = [
            f"{_seconds(cell.seconds[k].min)}-{_seconds(cell.seconds[k].max)}" if k in cell.seconds else "-"
            for k in SPREAD_COLUMNS
        ]
        memory = cell.max_rss_mb.get("dqp_check")
        spreads.append(f"{memory.min:.0f}-{memory.max:.0f}" if memory else "-")
        rows.append([*_cell_key(cell), *spreads])
    return _table(headers, rows)


def environment(command: str) -> dict[str, Any]:
    import dbt.version
    import duckdb

    return {
        "command": command,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "dbt": dbt.version.__version__,
        "duckdb": duckdb.__version__,
    }


def markdown(cells: Sequence[CellResult], env: dict[str, Any]) -> str:
    about = ", ".join(f"{key} {value}" for key, value in env.items() if key != "command")
    return "\n\n".join([
        "# dqp benchmark",
        f"`{env['command']}`  \n{about}",
        "Medians over the repeats; ratios are of medians. See bench/README.md for what each figure means.",
        main_table(cells),
        "## Where the hook's time goes",
        "Seconds per step: the hook's statements from dbt's debug log, replayed once through the driver "
        "(fully fetched, in a rolled-back transaction); jinja = median hook time minus their sum. "
        "dbt's own per-statement times are in the JSON (hook_steps_logged).",
        steps_table(cells),
        "## Spread (min-max over the repeats)",
        spread_table(cells),
    ]) + "\n"


def write(cells: Sequence[CellResult], out_dir: Path, env: dict[str, Any], name: str = "latest") -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"environment": env, "cells": [{**asdict(cell), "ratios": cell.ratios()} for cell in cells]}
    json_path = out_dir / f"{name}.json"
    md_path = out_dir / f"{name}.md"
    json_path.write_text(json.dumps(payload, indent=2) + "\n")
    md_path.write_text(markdown(cells, env))
    return json_path, md_path


def write_many(
    results: Sequence[ManyResult], history: Sequence[HistoryResult], out_dir: Path, env: dict[str, Any]
) -> tuple[Path, Path]:
    """The many-datasets mode's figures: many.json (every figure) and many.md (tables)."""
    from bench.many import markdown as many_markdown

    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "environment": env,
        "datasets": [{**asdict(result), "per_dataset": result.per_dataset()} for result in results],
        "history": [asdict(item) for item in history],
    }
    json_path = out_dir / "many.json"
    md_path = out_dir / "many.md"
    json_path.write_text(json.dumps(payload, indent=2) + "\n")
    md_path.write_text(many_markdown(list(results), list(history), env))
    return json_path, md_path
