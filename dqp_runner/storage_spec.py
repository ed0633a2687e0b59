"""The one column spec of every table dqp writes: name and portable type, in order.

This is the single place a storage or audit column is named. Everything else
is derived from it:

- the dbt macro ``macros/storage/_dqp_storage_spec.sql`` (generated:
  ``python -m dqp_runner.storage_spec`` rewrites it, and a unit test fails
  when it is stale), from which the models' typed empty rows
  (``_dqp_empty_table``) and the hook's insert column lists
  (``_dqp_insert_rows``, ``_dqp_insert_select``) are rendered;
- the checker's reads (``warehouse.py`` selects the columns its dataclasses
  name and checks them against this spec) and its audit writes (rows are
  mappings whose keys must be exactly a table's columns).

To add a column: append it to its table below (appending keeps old installs
upgradable: the models are ``on_schema_change: append_new_columns``), run
``python -m dqp_runner.storage_spec``, document it in the model's yml, and
write it where the rows are built. ``tests/unit/test_storage_spec.py`` checks
the macro and the yml; ``tests/integration/test_upgrade.py`` checks the
warehouse's real columns after a build.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from dqp_runner.generated import macro_text, write_macro

MACRO_PATH = Path("macros") / "storage" / "_dqp_storage_spec.sql"

# Portable type names; _dqp_storage_type renders them per adapter.
StorageType = Literal["string", "int", "bigint", "double", "boolean", "timestamp"]
Column = tuple[str, StorageType]

# The head every profiling row starts with: one column of one side of one run.
_PROFILE_ROW_HEAD: tuple[Column, ...] = (
    ("dataset_name", "string"),
    ("run_id", "string"),
    ("side", "string"),
    ("column_name", "string"),
    ("column_position", "int"),
)

STORAGE_TABLES: dict[str, tuple[Column, ...]] = {
    # Profiling storage, written by the dbt hook (macros/profiling).
    "dqp_profile_runs": (
        ("dataset_name", "string"),
        ("run_id", "string"),
        ("profiled_at", "timestamp"),
        ("node_unique_id", "string"),
        ("current_relation", "string"),
        ("reference_kind", "string"),
        ("reference_relation", "string"),
        ("time_column", "string"),
        ("current_window_start", "string"),
        ("current_window_end", "string"),
        ("reference_window_start", "string"),
        ("reference_window_end", "string"),
        ("current_window_days", "double"),
        ("reference_window_days", "double"),
        ("critical_columns", "string"),
        ("settings", "string"),
        ("policy", "string"),
        ("profiled_column_count", "int"),
        ("dqp_version", "string"),
        ("pruned_at", "timestamp"),
        # The distribution pass's sample of each side (null: read whole), see row_budget.
        ("reference_sampled_rows", "bigint"),
        ("current_sampled_rows", "bigint"),
        ("reference_sample_fraction", "double"),
        ("current_sample_fraction", "double"),
        ("reference_sample_method", "string"),
        ("current_sample_method", "string"),
    ),
    "dqp_column_profiles": (
        *_PROFILE_ROW_HEAD,
        ("data_type", "string"),
        ("column_kind", "string"),
        ("ks_method", "string"),
        ("row_count", "bigint"),
        ("null_count", "bigint"),
        ("null_rate", "double"),
        ("nan_count", "bigint"),
        ("pos_inf_count", "bigint"),
        ("neg_inf_count", "bigint"),
        ("distinct_count", "bigint"),
        ("min_value", "double"),
        ("max_value", "double"),
        ("mean_value", "double"),
        ("stddev_value", "double"),
        ("q1_value", "double"),
        ("median_value", "double"),
        ("q3_value", "double"),
        ("iqr_lower_bound", "double"),
        ("iqr_upper_bound", "double"),
        ("iqr_outlier_count", "bigint"),
        ("zscore_lower_bound", "double"),
        ("zscore_upper_bound", "double"),
        ("zscore_outlier_count", "bigint"),
        ("profiled_at", "timestamp"),
        ("value_offset", "string"),
        ("singleton_count", "bigint"),
        ("novel_row_count", "bigint"),
        ("quartile_error_bound", "double"),
    ),
    "dqp_histograms": (
        *_PROFILE_ROW_HEAD,
        ("histogram_kind", "string"),
        ("bin_index", "int"),
        ("lower_edge", "double"),
        ("upper_edge", "double"),
        ("bin_value", "double"),
        ("is_null_bin", "boolean"),
        ("value_count", "bigint"),
        ("profiled_at", "timestamp"),
    ),
    "dqp_category_counts": (
        *_PROFILE_ROW_HEAD,
        ("category_value", "string"),
        ("category_kind", "string"),
        ("value_count", "bigint"),
        ("profiled_at", "timestamp"),
    ),
    "dqp_schema_snapshots": (
        *_PROFILE_ROW_HEAD,
        ("data_type", "string"),
        ("profiled_at", "timestamp"),
    ),
    # Audit tables, written by `dqp check` (dqp_runner/check.py).
    "dqp_check_runs": (
        ("dataset_name", "string"),
        ("run_id", "string"),
        ("checked_at", "timestamp"),
        ("health_score", "double"),
        ("decision", "string"),
        ("decision_rank", "int"),
        ("worst_severity", "string"),
        ("signal_count", "int"),
        ("reference_kind", "string"),
        ("policy", "string"),
        ("checker_version", "string"),
        ("check_id", "string"),
        ("policy_fingerprint", "string"),
        ("resolved_policy", "string"),
        ("decision_reason", "string"),
        ("is_recheck", "boolean"),
        ("metric_count", "int"),
    ),
    "dqp_signals": (
        ("dataset_name", "string"),
        ("run_id", "string"),
        ("signal_index", "int"),
        ("column_name", "string"),
        ("signal_type", "string"),
        ("method", "string"),
        ("metric_value", "double"),
        ("threshold", "double"),
        ("p_value", "double"),
        ("error_bound", "double"),
        ("severity", "string"),
        ("score_impact", "double"),
        ("recommended_action", "string"),
        ("is_critical_column", "boolean"),
        ("details", "string"),
        ("checked_at", "timestamp"),
        ("check_id", "string"),
    ),
    "dqp_column_metrics": (
        ("dataset_name", "string"),
        ("run_id", "string"),
        ("check_id", "string"),
        ("policy_fingerprint", "string"),
        ("metric_index", "int"),
        ("column_name", "string"),
        ("metric_name", "string"),
        ("signal_type", "string"),
        ("method", "string"),
        ("state", "string"),
        ("metric_value", "double"),
        ("threshold", "double"),
        ("current_value", "double"),
        ("reference_value", "double"),
        ("p_value", "double"),
        ("p_value_adjusted", "double"),
        ("error_bound", "double"),
        ("reference_n", "bigint"),
        ("current_n", "bigint"),
        ("severity", "string"),
        ("is_critical_column", "boolean"),
        ("details", "string"),
        ("checked_at", "timestamp"),
    ),
    # Alert lifecycle, written by dqp check and dqp alert (dqp_runner/alerts.py).
    "dqp_alerts": (
        ("alert_id", "string"),
        ("dataset_name", "string"),
        ("column_name", "string"),
        ("signal_type", "string"),
        ("status", "string"),
        ("severity", "string"),
        ("opened_at", "timestamp"),
        ("opened_check_id", "string"),
        ("last_seen_at", "timestamp"),
        ("last_check_id", "string"),
        ("last_metric_value", "double"),
        ("resolved_at", "timestamp"),
        ("muted_until", "timestamp"),
        ("status_author", "string"),
        ("status_reason", "string"),
        ("status_changed_at", "timestamp"),
    ),
    "dqp_alert_events": (
        ("alert_id", "string"),
        ("dataset_name", "string"),
        ("column_name", "string"),
        ("signal_type", "string"),
        ("event_type", "string"),
        ("status", "string"),
        ("severity", "string"),
        ("event_at", "timestamp"),
        ("author", "string"),
        ("reason", "string"),
        ("check_id", "string"),
        ("run_id", "string"),
        ("muted_until", "timestamp"),
        ("metric_value", "double"),
        ("event_id", "string"),
    ),
}


def column_names(table: str) -> tuple[str, ...]:
    """The table's columns in storage order."""
    return tuple(name for name, _ in STORAGE_TABLES[table])


def _jinja_columns(columns: tuple[Column, ...], indent: str) -> str:
    return "\n".join(f"{indent}['{name}', '{storage_type}']," for name, storage_type in columns)


def render_macro() -> str:
    """The text of macros/storage/_dqp_storage_spec.sql (the shared profiling
    row head rendered once, as profile_row_head)."""
    head_size = len(_PROFILE_ROW_HEAD)
    tables = []
    for table, columns in STORAGE_TABLES.items():
        shares_head = columns[:head_size] == _PROFILE_ROW_HEAD
        own_columns = columns[head_size:] if shares_head else columns
        prefix = "profile_row_head + " if shares_head else ""
        tables.append(f"        '{table}': {prefix}[\n{_jinja_columns(own_columns, ' ' * 12)}\n        ],")
    body = "\n".join(tables)
    comment = (
        "GENERATED by `python -m dqp_runner.storage_spec` from STORAGE_TABLES\n"
        "    (dqp_runner/storage_spec.py); do not edit. Every dqp table's columns in\n"
        "    storage order, as [name, portable type] (_dqp_storage_type renders the\n"
        "    type). The models' empty rows and the hook's insert column lists are\n"
        "    rendered from it."
    )
    preamble = f"    {{%- set profile_row_head = [\n{_jinja_columns(_PROFILE_ROW_HEAD, ' ' * 8)}\n    ] -%}}\n"
    return macro_text("_dqp_storage_spec", comment, body, preamble)


if __name__ == "__main__":
    sys.exit(write_macro(sys.argv[1:], MACRO_PATH, render_macro()))
