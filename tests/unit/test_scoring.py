from __future__ import annotations

import json

import pytest
from aggregate_builders import build_dataset, cat, num
from hypothesis import given, settings
from hypothesis import strategies as st

from dqp_runner.policy import Policy, resolve_policy
from dqp_runner.scoring import Decision, Explanation, InvariantError, Verdict, score_and_decide
from dqp_runner.signals import Signal, evaluate_dataset
from dqp_runner.vocabulary import ACTION_FOR, Severity, SignalType

POLICY = Policy()


def make(
    signal_type: SignalType = SignalType.KS,
    severity: Severity = Severity.MEDIUM,
    column: str | None = "x",
    critical: bool = False,
    metric: float = 0.5,
) -> Signal:
    return Signal(
        column_name=column,
        signal_type=signal_type,
        method="test",
        metric_value=metric,
        threshold=0.1,
        p_value=None,
        error_bound=None,
        severity=severity,
        recommended_action=ACTION_FOR[signal_type],
        is_critical_column=critical,
        details={"k": 1},
    )


def test_no_signals_is_healthy() -> None:
    verdict = score_and_decide([], POLICY)
    assert (verdict.health_score, verdict.decision, verdict.worst_severity) == (100.0, Decision.NO_ACTION, None)
    assert verdict.rows() == []


def test_info_rows_never_deduct_or_escalate() -> None:
    verdict = score_and_decide([make(SignalType.INSUFFICIENT_DATA, Severity.INFO)], POLICY)
    assert verdict.health_score == 100.0 and verdict.decision == Decision.NO_ACTION
    assert verdict.rows()[0]["score_impact"] == 0.0


@pytest.mark.parametrize(
    ("severities", "score", "decision"),
    [
        ([Severity.LOW], 98.0, Decision.MONITOR),  # score band NO_ACTION, floor MONITOR
        ([Severity.MEDIUM], 92.0, Decision.MONITOR),
        ([Severity.HIGH], 80.0, Decision.WARN),  # floor WARN
        ([Severity.CRITICAL], 60.0, Decision.BLOCK_PIPELINE),  # floor BLOCK
        ([Severity.MEDIUM, Severity.MEDIUM, Severity.MEDIUM], 76.0, Decision.WARN),  # band
        ([Severity.HIGH, Severity.HIGH, Severity.HIGH], 40.0, Decision.BLOCK_PIPELINE),  # band
    ],
)
def test_score_and_decision_for_signals_of_distinct_types(
    severities: list[Severity], score: float, decision: Decision
) -> None:
    types = [SignalType.KS, SignalType.PSI, SignalType.NULL_RATE]
    verdict = score_and_decide([make(t, s) for t, s in zip(types, severities, strict=False)], POLICY)
    assert verdict.health_score == score
    assert verdict.decision == decision


def test_cap_per_signal_type_splits_proportionally() -> None:
    signals = [
        make(SignalType.KS, Severity.HIGH, column="a"),
        make(SignalType.KS, Severity.HIGH, column="b"),
        make(SignalType.KS, Severity.MEDIUM, column="c"),
        make(SignalType.PSI, Severity.MEDIUM, column="a"),
    ]
    verdict = score_and_decide(signals, POLICY)
    # KS raw total 48 is capped at 40; PSI 8 is not capped.
    assert verdict.health_score == 52.0
    impacts = {(r["signal_type"], r["column_name"]): r["score_impact"] for r in verdict.rows()}
    assert impacts == {
        ("ks", "a"): round(20 * 40 / 48, 6),
        ("ks", "b"): round(20 * 40 / 48, 6),
        ("ks", "c"): round(8 * 40 / 48, 6),
        ("psi", "a"): 8.0,
    }
    assert sum(impacts.values()) == pytest.approx(100 - verdict.health_score, abs=1e-5)


def test_critical_multiplier_and_clamp() -> None:
    verdict = score_and_decide([make(SignalType.PSI, Severity.MEDIUM, critical=True)], POLICY)
    assert verdict.health_score == 84.0 and verdict.rows()[0]["score_impact"] == 16.0
    many = [make(t, Severity.CRITICAL) for t in SignalType if t != SignalType.INSUFFICIENT_DATA]
    verdict = score_and_decide(many, POLICY)
    assert verdict.health_score == 0.0 and verdict.decision == Decision.BLOCK_PIPELINE


def test_rows_are_worst_first_with_a_fixed_key_order() -> None:
    signals = [
        make(SignalType.NULL_RATE, Severity.MEDIUM, column="b"),
        make(SignalType.INSUFFICIENT_DATA, Severity.INFO, column="a"),
        make(SignalType.SCHEMA_CHANGE, Severity.HIGH, column="z"),
        make(SignalType.VOLUME, Severity.MEDIUM, column=None),
    ]
    rows = score_and_decide(signals, POLICY).rows()
    assert [(r["signal_type"], r["severity"]) for r in rows] == [
        ("schema_change", "high"),
        ("volume", "medium"),
        ("null_rate", "medium"),
        ("insufficient_data", "info"),
    ]
    assert list(rows[0]) == [
        "signal_type",
        "column_name",
        "method",
        "metric_value",
        "threshold",
        "p_value",
        "error_bound",
        "severity",
        "score_impact",
        "recommended_action",
        "is_critical_column",
        "details",
    ]
    assert rows[0]["recommended_action"] == "RECONCILE_SCHEMA_CHANGE"


def test_invariant_no_decision_without_an_explanation_row() -> None:
    with pytest.raises(InvariantError, match="WARN has no explanation row"):
        Verdict(health_score=70.0, decision=Decision.WARN, worst_severity=None, explanations=(), decision_reason="x")
    info_only = (Explanation(make(SignalType.INSUFFICIENT_DATA, Severity.INFO), 0.0),)
    with pytest.raises(InvariantError, match="MONITOR has no explanation row"):
        Verdict(
            health_score=90.0,
            decision=Decision.MONITOR,
            worst_severity=Severity.INFO,
            explanations=info_only,
            decision_reason="x",
        )
    with pytest.raises(InvariantError, match="outside"):
        Verdict(
            health_score=101.0, decision=Decision.NO_ACTION, worst_severity=None, explanations=(), decision_reason="x"
        )
    # The valid counterpart builds fine.
    ok = (Explanation(make(SignalType.KS, Severity.LOW), 2.0),)
    assert (
        Verdict(98.0, Decision.MONITOR, Severity.LOW, ok, "score 98.0 is in the NO_ACTION band").decision
        == Decision.MONITOR
    )


def test_end_to_end_from_raw_data_is_byte_identical() -> None:
    def run() -> str:
        agg = build_dataset(
            num("amount", [float(i % 50) for i in range(2000)], [float(i % 50) + 20 for i in range(2000)]),
            cat("status", ["a", "b"] * 1000, ["a"] * 1500 + [None] * 500),
            critical=["status"],
        )
        return score_and_decide(evaluate_dataset(agg, POLICY).signals, POLICY).to_json()

    first = run()
    assert first == run()
    doc = json.loads(first)
    assert doc["decision"] == "BLOCK_PIPELINE" and doc["worst_severity"] == "critical"
    assert {r["signal_type"] for r in doc["rows"]} >= {"ks", "psi", "chi_square", "null_rate"}


# --------------------------------------------------------------------------- properties

signal_strategy = st.builds(
    make,
    signal_type=st.sampled_from(list(SignalType)),
    severity=st.sampled_from(list(Severity)),
    column=st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
    critical=st.booleans(),
    metric=st.floats(0.0, 1.0),
)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    weights = sorted(draw(st.lists(st.floats(0, 120), min_size=4, max_size=4)))
    bands = sorted(draw(st.lists(st.floats(0, 100), min_size=3, max_size=3)))
    return resolve_policy(
        {
            "weights": dict(zip(["low", "medium", "high", "critical"], weights, strict=True)),
            "scoring": {"cap_per_signal_type": draw(st.floats(0, 150))},
            "critical_columns": {"deduction_multiplier": draw(st.floats(1, 5))},
            "decision": dict(zip(["block_below", "warn_below", "monitor_below"], bands, strict=True)),
        },
        {},
    )


@settings(max_examples=300, deadline=None)
@given(signals=st.lists(signal_strategy, max_size=25), policy=policies())
def test_score_is_always_within_bounds(signals: list[Signal], policy: Policy) -> None:
    verdict = score_and_decide(signals, policy)
    assert 0.0 <= verdict.health_score <= 100.0
    assert all(r["score_impact"] >= 0 for r in verdict.rows())  # type: ignore[operator]
    assert len(verdict.rows()) == len(signals)


@settings(max_examples=300, deadline=None)
@given(signals=st.lists(signal_strategy, max_size=25), extra=signal_strategy, policy=policies())
def test_adding_a_signal_never_raises_the_score_or_lowers_the_decision(
    signals: list[Signal], extra: Signal, policy: Policy
) -> None:
    before = score_and_decide(signals, policy)
    after = score_and_decide([*signals, extra], policy)
    assert after.health_score <= before.health_score
    assert after.decision >= before.decision


@settings(max_examples=200, deadline=None)
@given(signals=st.lists(signal_strategy, max_size=25), policy=policies(), data=st.data())
def test_same_signals_in_any_order_give_identical_bytes(
    signals: list[Signal], policy: Policy, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(signals))
    assert score_and_decide(signals, policy).to_json() == score_and_decide(shuffled, policy).to_json()


@settings(max_examples=200, deadline=None)
@given(signals=st.lists(signal_strategy, max_size=25), policy=policies())
def test_any_decision_above_no_action_is_explained(signals: list[Signal], policy: Policy) -> None:
    verdict = score_and_decide(signals, policy)
    if verdict.decision > Decision.NO_ACTION:
        assert any(r["severity"] != "info" for r in verdict.rows())


# --------------------------------------------------------------------------- decision_reason


def test_decision_reason_names_the_band_when_the_score_decides() -> None:
    verdict = score_and_decide(
        [make(t, Severity.MEDIUM) for t in (SignalType.KS, SignalType.PSI, SignalType.NULL_RATE)], POLICY
    )
    assert verdict.decision == Decision.WARN
    assert verdict.decision_reason == "score 76.0 is in the WARN band (50 <= score < 80)"
    assert score_and_decide([], POLICY).decision_reason == (
        "no signal above info; score 100.0 is in the NO_ACTION band (score >= 95)"
    )
    assert json.loads(verdict.to_json())["decision_reason"] == verdict.decision_reason


def test_decision_reason_explains_a_score_and_decision_that_disagree() -> None:
    # Issue 9: score 60, a WARN-band score, decided BLOCK_PIPELINE by the critical floor.
    verdict = score_and_decide([make(SignalType.KS, Severity.CRITICAL, column="amount", critical=True)], POLICY)
    assert (verdict.health_score, verdict.decision) == (60.0, Decision.BLOCK_PIPELINE)  # capped at 40 per type
    assert verdict.decision_reason.startswith("severity floor: critical signal ks on critical column 'amount'")
    single = score_and_decide([make(SignalType.KS, Severity.CRITICAL, column="amount")], POLICY)
    assert (single.health_score, single.decision) == (60.0, Decision.BLOCK_PIPELINE)
    assert single.decision_reason == (
        "severity floor: critical signal ks on column 'amount' forces BLOCK_PIPELINE; the score 60.0 alone gives WARN"
    )


def test_a_medium_signal_on_a_critical_column_warns() -> None:
    verdict = score_and_decide([make(SignalType.MEAN_SHIFT, Severity.MEDIUM, column="amount", critical=True)], POLICY)
    assert (verdict.health_score, verdict.decision) == (84.0, Decision.WARN)
    assert verdict.decision_reason == (
        "critical-column floor: medium signal mean_shift on critical column 'amount' forces WARN; "
        "the score 84.0 alone gives MONITOR"
    )
    plain = score_and_decide([make(SignalType.MEAN_SHIFT, Severity.MEDIUM, column="amount")], POLICY)
    assert plain.decision == Decision.MONITOR
    relaxed = resolve_policy({}, {"critical_columns": {"floor_medium": "MONITOR"}})
    assert (
        score_and_decide(
            [make(SignalType.MEAN_SHIFT, Severity.MEDIUM, column="amount", critical=True)], relaxed
        ).decision
        == Decision.MONITOR
    )
    low = score_and_decide([make(SignalType.SCHEMA_CHANGE, Severity.LOW, column="amount", critical=True)], POLICY)
    assert low.decision == Decision.MONITOR  # a low signal (e.g. a lossless widening) does not warn


def test_invariant_a_verdict_needs_a_reason() -> None:
    with pytest.raises(InvariantError, match="no decision_reason"):
        Verdict(100.0, Decision.NO_ACTION, None, (), "")


@settings(max_examples=200, deadline=None)
@given(signals=st.lists(signal_strategy, max_size=25), policy=policies())
def test_every_verdict_says_why(signals: list[Signal], policy: Policy) -> None:
    verdict = score_and_decide(signals, policy)
    assert verdict.decision.name in verdict.decision_reason or "floor" in verdict.decision_reason
    if verdict.decision > Decision.NO_ACTION and "floor" in verdict.decision_reason:
        assert verdict.decision_reason.split(" forces ")[1].startswith(verdict.decision.name)
