"""One `dqp check`: aggregates -> signals and metrics -> verdict -> audit rows, per dataset.

The computation for every dataset finishes before anything is written, so a
dataset that cannot be computed stops the check with nothing recorded. The
policy is resolved here, at check time, from the project (the package var
dqp_policy with --vars, then the dataset's meta.dqp.policy), never from what
the profiling hook saw at `dbt run` time.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from dqp_runner import __version__
from dqp_runner.alerts import AlertPlan, mute_signal, plan_check
from dqp_runner.anomalies import evaluate_history
from dqp_runner.history import EMPTY_HISTORY, MetricHistory
from dqp_runner.metrics import ColumnMetric, MetricState, firing_closeness, near_misses
from dqp_runner.policy import Policy, PolicyError, _deep_merge, resolve_policy
from dqp_runner.scoring import Decision, Verdict, score_and_decide
from dqp_runner.signals import Signal, evaluate_dataset
from dqp_runner.warehouse import ProfileRun, Warehouse

# written: recorded now; already_recorded: this run was checked under the same
# policy before (idempotent); checked_with_other_policy: this run has a check
# under another policy and --recheck was not given (nothing written);
# not_written: --no-write.
Outcome = Literal["written", "already_recorded", "checked_with_other_policy", "not_written"]

NEAR_MISS_LIMIT = 3


class NothingToCheckError(Exception):
    """No complete profile run matches what was asked for."""


class DatasetError(Exception):
    """Computing one dataset's check failed; `cause` is the original error."""

    def __init__(self, dataset_name: str, cause: Exception) -> None:
        super().__init__(f"dataset {dataset_name}: {type(cause).__name__}: {cause}")
        self.dataset_name = dataset_name
        self.cause = cause


@dataclass(frozen=True)
class DatasetFailure:
    """A dataset left out of a check because its own configuration is unusable."""

    dataset_name: str
    message: str


@dataclass(frozen=True)
class CheckPolicy:
    """The policy one check applies, as resolved at check time."""

    overrides: Mapping[str, object]
    policy: Policy

    @property
    def overrides_json(self) -> str:
        return _canonical_json(self.overrides)

    @property
    def resolved_json(self) -> str:
        return _canonical_json(self.policy.flatten())

    @property
    def fingerprint(self) -> str:
        """Same resolved policy, same fingerprint: part of a check's identity."""
        return hashlib.sha256(self.resolved_json.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class DatasetCheck:
    run: ProfileRun
    verdict: Verdict
    policy: CheckPolicy
    metrics: tuple[ColumnMetric, ...] = ()
    check_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    outcome: Outcome = "not_written"
    is_recheck: bool = False
    history: MetricHistory = EMPTY_HISTORY
    # What this check does to the dataset's alerts (empty when alerts are not moved: --run-id).
    alert_plan: AlertPlan = field(default_factory=AlertPlan)

    @property
    def score_delta(self) -> float | None:
        """Health score minus the previous run's (its latest check); None without one."""
        previous = self.history.previous_health_score
        return None if previous is None else round(self.verdict.health_score - previous, 6)

    def signal_trend(self, column_name: str | None, signal_type: str) -> str:
        """'new' when the previous run's check had no such signal (above info), else 'ongoing'."""
        return "ongoing" if (column_name, signal_type) in self.history.previous_signals else "new"

    def resolved_signals(self) -> list[tuple[str | None, str]]:
        """The previous check's signals (above info) that this check no longer has."""
        now = {(e.signal.column_name, e.signal.signal_type.value) for e in self.verdict.explanations
               if e.signal.severity.label != "info"}
        return sorted(self.history.previous_signals - now, key=lambda key: (key[0] or "", key[1]))

    def signal_rows(self) -> list[dict[str, Any]]:
        rows = []
        for row in self.verdict.rows():
            trend = None if row["severity"] == "info" else self.signal_trend(
                row["column_name"] if isinstance(row["column_name"], str) else None, str(row["signal_type"])
            )
            rows.append({**row, "trend": trend})
        return rows

    def near_misses(self, limit: int = NEAR_MISS_LIMIT) -> list[ColumnMetric]:
        """The computed metrics that came closest to their level without firing, closest first."""
        return near_misses(self.metrics, limit, self.policy.policy.alpha)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset_name": self.run.dataset_name,
            "run_id": self.run.run_id,
            # Only a recorded check has an identity to join on.
            "check_id": self.check_id if self.outcome in ("written", "already_recorded") else None,
            "profiled_at": self.run.profiled_at.isoformat() if self.run.profiled_at else None,
            "reference_kind": self.run.reference_kind,
            "health_score": self.verdict.health_score,
            "decision": self.verdict.decision.name,
            "decision_reason": self.verdict.decision_reason,
            "worst_severity": None if self.verdict.worst_severity is None else self.verdict.worst_severity.label,
            "outcome": self.outcome,
            "policy_fingerprint": self.policy.fingerprint,
            "policy_overrides": dict(self.policy.overrides),
            "previous_health_score": self.history.previous_health_score,
            "health_score_delta": self.score_delta,
            "signals": self.signal_rows(),
            "resolved_signals": [
                {"column_name": column, "signal_type": signal_type} for column, signal_type in self.resolved_signals()
            ],
            "alerts": [
                {
                    "alert_id": event.alert_id, "column_name": event.column_name, "signal_type": event.signal_type,
                    "event_type": event.event_type, "status": event.status, "severity": event.severity,
                }
                for event in (self.alert_plan.events if self.outcome == "written" else ())
            ],
            "near_misses": [metric_dict(metric, self.policy.policy.alpha) for metric in self.near_misses()],
            "metric_count": len(self.metrics),
        }


def metric_dict(metric: ColumnMetric, alpha: float | None = None) -> dict[str, Any]:
    return {
        "column_name": metric.column_name,
        "metric_name": metric.metric_name,
        "method": metric.method,
        "state": metric.state.value,
        "metric_value": metric.metric_value,
        "threshold": metric.threshold,
        "closeness": metric.closeness,
        "firing_closeness": firing_closeness(metric, alpha),
        "p_value": metric.p_value,
        "p_value_adjusted": metric.p_value_adjusted,
        "reference_n": metric.reference_n,
        "current_n": metric.current_n,
    }


def check_policy(
    dataset_name: str,
    package_policy: Mapping[str, object],
    dataset_policies: Mapping[str, Mapping[str, object]],
    policy_errors: Mapping[str, str] | None = None,
) -> CheckPolicy:
    """Defaults < package var dqp_policy (--vars included) < the dataset's meta.dqp.policy."""
    if policy_errors and dataset_name in policy_errors:
        raise PolicyError(f"dataset {dataset_name}: {policy_errors[dataset_name]}")
    dataset_overrides = dataset_policies.get(dataset_name, {})
    try:
        policy = resolve_policy(package_policy, dataset_overrides)
    except PolicyError as error:
        raise PolicyError(f"dataset {dataset_name}: {error}") from error
    merged = _deep_merge(package_policy, dataset_overrides)
    return CheckPolicy(merged, policy)


def compute_checks(
    warehouse: Warehouse,
    dataset_names: Sequence[str],
    run_id: str | None,
    package_policy: Mapping[str, object] | None = None,
    dataset_policies: Mapping[str, Mapping[str, object]] | None = None,
    policy_errors: Mapping[str, str] | None = None,
    failures: list[DatasetFailure] | None = None,
) -> list[DatasetCheck]:
    """Every dataset's check, computed before anything is written.

    The policy is resolved here, from the project: the package var dqp_policy
    (with --vars), then each dataset's meta.dqp.policy. With `failures`, a
    dataset whose policy is malformed is left out and named there, and the
    others are still computed; without it the PolicyError stops the check.
    Any other failure is raised as a DatasetError naming the dataset.
    """
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
        try:
            resolved = check_policy(run.dataset_name, package_policy or {}, dataset_policies or {}, policy_errors)
        except PolicyError as error:
            if failures is None:
                raise
            failures.append(DatasetFailure(run.dataset_name, str(error)))
            continue
        try:
            checks.append(_compute_one(warehouse, run, resolved, move_alerts=run_id is None))
        except Exception as error:  # name the dataset whatever failed
            raise DatasetError(run.dataset_name, error) from error
    return checks


def _compute_one(warehouse: Warehouse, run: ProfileRun, resolved: CheckPolicy, move_alerts: bool) -> DatasetCheck:
    """One dataset: signals, history anomalies, the alert plan, mutes, then the verdict."""
    policy = resolved.policy
    aggregates = warehouse.load_aggregates(run)
    evaluation = evaluate_dataset(aggregates, policy)
    signals: list[Signal] = list(evaluation.signals)
    metrics: list[ColumnMetric] = list(evaluation.metrics)
    history = EMPTY_HISTORY
    if policy.metric_anomaly.enabled:
        history = warehouse.load_history(run, policy.metric_anomaly.window_runs)
        # The health score series is judged on the score before history anomalies deduct.
        base = score_and_decide(signals, policy)
        anomalies = evaluate_history(aggregates, metrics, base.health_score, run.profiled_at, history, policy)
        signals += anomalies.signals
        metrics += anomalies.metrics
    check_id = uuid.uuid4().hex
    plan = AlertPlan()
    unresolved = warehouse.unresolved_alerts(run.dataset_name)
    if move_alerts:
        now = datetime.now(UTC)
        plan = plan_check(run.dataset_name, unresolved, signals, policy.alerts.min_severity, now, check_id, run.run_id)
        muted = dict(plan.muted)
    else:  # a check of an older run (--run-id) applies the mutes in force but moves no alert
        now = datetime.now(UTC)
        muted = {a.key: a for a in unresolved if a.status == "muted" and (a.muted_until is None or a.muted_until > now)}
    if muted:
        signals = [
            mute_signal(s, muted[(s.column_name, s.signal_type.value)])
            if (s.column_name, s.signal_type.value) in muted and s.severity.label != "info" else s
            for s in signals
        ]
        metrics = [
            replace(m, state=MetricState.MUTED)
            if m.state == MetricState.FIRED and (m.column_name, m.signal_type) in muted else m
            for m in metrics
        ]
    verdict = score_and_decide(signals, policy)
    return DatasetCheck(
        run, verdict, resolved, tuple(metrics), check_id=check_id, history=history, alert_plan=plan
    )


def record_checks(warehouse: Warehouse, checks: Sequence[DatasetCheck], recheck: bool = False) -> list[DatasetCheck]:
    """Write each dataset's check in its own transaction.

    A run already checked under the same policy is not written again
    (idempotent). A run checked under another policy is written again only
    with ``recheck``, as a new check; the old one is never touched.
    """
    warehouse.ensure_identity_index()
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    recorded = []
    for check in checks:
        recorded_before = warehouse.recorded_checks(check.run.dataset_name, check.run.run_id)
        fingerprint = check.policy.fingerprint
        if fingerprint in recorded_before:
            # Idempotent: report the check that holds this verdict.
            outcome: Outcome = "already_recorded"
            check = replace(check, check_id=recorded_before[fingerprint] or check.check_id)
        elif recorded_before and not recheck:
            outcome = "checked_with_other_policy"
        else:
            check = replace(check, is_recheck=bool(recorded_before))
            outcome = warehouse.record_check(
                check_row(check, checked_at), signal_rows(check, checked_at), metric_rows(check, checked_at),
                check.alert_plan,
            )
            if outcome == "already_recorded":  # a concurrent checker won the race
                winner = warehouse.recorded_checks(check.run.dataset_name, check.run.run_id).get(fingerprint)
                check = replace(check, check_id=winner or check.check_id, is_recheck=False)
        if outcome != "written":  # the alerts moved only with a written check
            check = replace(check, alert_plan=AlertPlan())
        recorded.append(replace(check, outcome=outcome))
    return recorded


def check_row(check: DatasetCheck, checked_at: datetime) -> dict[str, Any]:
    verdict = check.verdict
    return {
        "dataset_name": check.run.dataset_name,
        "run_id": check.run.run_id,
        "checked_at": checked_at,
        "health_score": verdict.health_score,
        "decision": verdict.decision.name,
        "decision_rank": int(verdict.decision),
        "worst_severity": None if verdict.worst_severity is None else verdict.worst_severity.label,
        "signal_count": len(verdict.explanations),
        "reference_kind": check.run.reference_kind,
        "policy": check.policy.overrides_json,
        "checker_version": __version__,
        "check_id": check.check_id,
        "policy_fingerprint": check.policy.fingerprint,
        "resolved_policy": check.policy.resolved_json,
        "decision_reason": verdict.decision_reason,
        "is_recheck": check.is_recheck,
        "metric_count": len(check.metrics),
    }


def signal_rows(check: DatasetCheck, checked_at: datetime) -> list[dict[str, Any]]:
    rows = []
    for index, row in enumerate(check.verdict.rows(), start=1):
        rows.append(
            {
                "dataset_name": check.run.dataset_name,
                "run_id": check.run.run_id,
                "signal_index": index,
                "column_name": row["column_name"],
                "signal_type": row["signal_type"],
                "method": row["method"],
                "metric_value": row["metric_value"],
                "threshold": row["threshold"],
                "p_value": row["p_value"],
                "error_bound": row["error_bound"],
                "severity": row["severity"],
                "score_impact": row["score_impact"],
                "recommended_action": row["recommended_action"],
                "is_critical_column": row["is_critical_column"],
                "details": _canonical_json(row["details"]),
                "checked_at": checked_at,
                "check_id": check.check_id,
            }
        )
    return rows


def metric_rows(check: DatasetCheck, checked_at: datetime) -> list[dict[str, Any]]:
    critical = check.run.critical_columns
    return [
        {
            "dataset_name": check.run.dataset_name,
            "run_id": check.run.run_id,
            "check_id": check.check_id,
            "policy_fingerprint": check.policy.fingerprint,
            "metric_index": index,
            "column_name": metric.column_name,
            "metric_name": metric.metric_name,
            "signal_type": metric.signal_type,
            "method": metric.method,
            "state": metric.state.value,
            "metric_value": metric.metric_value,
            "threshold": metric.threshold,
            "current_value": metric.current_value,
            "reference_value": metric.reference_value,
            "p_value": metric.p_value,
            "p_value_adjusted": metric.p_value_adjusted,
            "error_bound": metric.error_bound,
            "reference_n": metric.reference_n,
            "current_n": metric.current_n,
            "severity": metric.severity,
            "is_critical_column": metric.column_name is not None and metric.column_name in critical,
            "details": metric.details_json(),
            "checked_at": checked_at,
        }
        for index, metric in enumerate(check.metrics, start=1)
    ]


def worst_decision(checks: Sequence[DatasetCheck]) -> Decision:
    return max((check.verdict.decision for check in checks), default=Decision.NO_ACTION)


def _canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False, default=str)

