"""One `dqp check`: aggregates -> signals -> verdict -> audit rows, per dataset.

The computation for every dataset finishes before anything is written, so a
dataset that cannot be computed stops the check with nothing recorded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from dqp_runner import __version__
from dqp_runner.policy import resolve_policy
from dqp_runner.scoring import Decision, Verdict, score_and_decide
from dqp_runner.signals import evaluate_dataset
from dqp_runner.warehouse import ProfileRun, Warehouse

Outcome = Literal["written", "already_recorded", "not_written"]


class NothingToCheckError(Exception):
    """No complete profile run matches what was asked for."""


@dataclass(frozen=True)
class DatasetCheck:
    run: ProfileRun
    verdict: Verdict
    policy_json: str
    outcome: Outcome = "not_written"

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset_name": self.run.dataset_name,
            "run_id": self.run.run_id,
            "profiled_at": self.run.profiled_at.isoformat() if self.run.profiled_at else None,
            "reference_kind": self.run.reference_kind,
            "health_score": self.verdict.health_score,
            "decision": self.verdict.decision.name,
            "worst_severity": None if self.verdict.worst_severity is None else self.verdict.worst_severity.label,
            "outcome": self.outcome,
            "signals": self.verdict.rows(),
        }


def compute_checks(warehouse: Warehouse, dataset_names: Sequence[str], run_id: str | None) -> list[DatasetCheck]:
    runs = warehouse.profile_runs(dataset_names or None, run_id)
    found = {run.dataset_name for run in runs}
    missing = [name for name in dataset_names if name not in found]
    if missing or not runs:
        wanted = ", ".join(missing) if missing else "any dataset"
        suffix = f" with run_id {run_id}" if run_id else ""
        raise NothingToCheckError(
            f"no complete profile run for {wanted}{suffix}; "
            "declare datasets under meta.dqp and run `dbt run` or `dbt build` first"
        )
    checks = []
    for run in runs:
        aggregates = warehouse.load_aggregates(run)
        policy = resolve_policy({}, run.policy_overrides)
        verdict = score_and_decide(evaluate_dataset(aggregates, policy).signals, policy)
        policy_json = json.dumps(run.policy_overrides, sort_keys=True, separators=(",", ":"))
        checks.append(DatasetCheck(run, verdict, policy_json))
    return checks


def record_checks(warehouse: Warehouse, checks: Sequence[DatasetCheck]) -> list[DatasetCheck]:
    """Write each dataset's check in its own transaction; skip runs already recorded."""
    warehouse.ensure_identity_index()
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    recorded = []
    for check in checks:
        run, verdict = check.run, check.verdict
        if warehouse.is_recorded(run.dataset_name, run.run_id):
            outcome: Outcome = "already_recorded"
        else:
            outcome = warehouse.record_check(check_row(check, checked_at), signal_rows(check, checked_at))
        recorded.append(DatasetCheck(run, verdict, check.policy_json, outcome))
    return recorded


def check_row(check: DatasetCheck, checked_at: datetime) -> list[Any]:
    verdict = check.verdict
    return [
        check.run.dataset_name,
        check.run.run_id,
        checked_at,
        verdict.health_score,
        verdict.decision.name,
        int(verdict.decision),
        None if verdict.worst_severity is None else verdict.worst_severity.label,
        len(verdict.explanations),
        check.run.reference_kind,
        check.policy_json,
        __version__,
    ]


def signal_rows(check: DatasetCheck, checked_at: datetime) -> list[list[Any]]:
    rows = []
    for index, row in enumerate(check.verdict.rows(), start=1):
        rows.append(
            [
                check.run.dataset_name,
                check.run.run_id,
                index,
                row["column_name"],
                row["signal_type"],
                row["method"],
                row["metric_value"],
                row["threshold"],
                row["p_value"],
                row["error_bound"],
                row["severity"],
                row["score_impact"],
                row["recommended_action"],
                row["is_critical_column"],
                json.dumps(row["details"], sort_keys=True, separators=(",", ":")),
                checked_at,
            ]
        )
    return rows


def worst_decision(checks: Sequence[DatasetCheck]) -> Decision:
    return max((check.verdict.decision for check in checks), default=Decision.NO_ACTION)
