from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from dqp_runner.policy import DECISION_ORDER, SEVERITY_ORDER, Policy, PolicyError, resolve_policy
from dqp_runner.scoring import Decision
from dqp_runner.vocabulary import ACTION_FOR, RecommendedAction, Severity, SignalType

DOC = Path(__file__).resolve().parents[2] / "docs" / "policy.md"


def doc_table(heading: str) -> list[list[str]]:
    """Rows (cells stripped of backticks) of the first table under a '## heading'."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= {"|", "-", " "}:
            continue
        cells = [c.strip().replace("`", "") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        rows.append(cells)
    return rows[1:]  # drop the header


def parse_default(text: str) -> object:
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
    except ValueError:
        return text


def test_docs_table_matches_policy_defaults() -> None:
    documented = {row[0]: parse_default(row[1]) for row in doc_table("Policy keys")}
    defaults = Policy().flatten()
    assert list(documented) == list(defaults), "docs/policy.md lists keys in a different set or order"
    for key, value in defaults.items():
        doc_value = documented[key]
        assert type(doc_value) is type(value) or {type(doc_value), type(value)} == {int, float}, key
        assert doc_value == value, f"{key}: docs say {doc_value!r}, code says {value!r}"


def test_docs_list_every_action_signal_type_severity_and_decision() -> None:
    actions = {row[0]: row[1] for row in doc_table("Recommended actions")}
    assert list(actions) == [a.value for a in RecommendedAction]
    for signal_type, action in ACTION_FOR.items():
        assert signal_type.value in actions[action.value]
    assert [row[0] for row in doc_table("Signal types")] == [t.value for t in SignalType]
    assert [row[0] for row in doc_table("Severities")] == [s.label for s in Severity]
    assert [row[0] for row in doc_table("Decisions")] == [d.name for d in Decision]


def test_policy_literals_follow_the_enum_order() -> None:
    assert tuple(s.label for s in Severity) == SEVERITY_ORDER
    assert tuple(d.name for d in Decision) == DECISION_ORDER


def test_grounded_defaults() -> None:
    p = Policy()
    assert p.alpha == 0.01  # family-wise across a dataset's tests since issue 9 (was 0.05 per test)
    assert p.multiple_testing == "holm" and p.critical_columns.escalation_alpha == 0.001
    assert (p.ks.d_medium, p.ks.d_high) == (0.1, 0.2)
    assert (p.psi.medium, p.psi.high, p.psi.epsilon) == (0.1, 0.25, 1e-4)
    assert (p.chi_square.js_medium, p.chi_square.js_high) == (0.1, 0.2)
    assert (p.schema.removed, p.schema.retyped, p.schema.added) == ("high", "high", "low")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.alpha = 0.1  # type: ignore[misc]


def test_dataset_overrides_win_over_package_overrides_key_by_key() -> None:
    p = resolve_policy(
        {"alpha": 0.01, "psi": {"medium": 0.15, "high": 0.3}, "weights": {"high": 25}},
        {"psi": {"high": 0.4}, "critical_columns": {"escalate_high": False}},
    )
    assert p.alpha == 0.01
    assert (p.psi.medium, p.psi.high) == (0.15, 0.4)  # nested merge keeps the package's medium
    assert p.psi.epsilon == 1e-4
    assert p.weights.high == 25.0 and isinstance(p.weights.high, float)
    assert p.critical_columns.escalate_high is False
    assert resolve_policy({}, {}) == Policy()
    assert resolve_policy(None, None) == Policy()


def test_dataset_may_repair_a_pair_the_package_left_inconsistent() -> None:
    p = resolve_policy({"ks": {"d_medium": 0.3}}, {"ks": {"d_high": 0.5}})
    assert (p.ks.d_medium, p.ks.d_high) == (0.3, 0.5)
    with pytest.raises(PolicyError, match=r"ks\.d_medium.*ks\.d_high"):
        resolve_policy({"ks": {"d_medium": 0.3}}, {})


@pytest.mark.parametrize(
    ("package", "dataset", "message"),
    [
        ({"alpah": 0.1}, {}, r"unknown policy key 'alpah'; expected one of: alpha, "),
        ({}, {"ks": {"d_med": 0.1}}, r"unknown policy key 'ks\.d_med'; expected one of: d_medium, d_high"),
        ({"alpha": "0.05"}, {}, r"'alpha' expects a finite number, got '0\.05'"),
        ({"alpha": True}, {}, r"'alpha' expects a finite number, got True"),
        ({"alpha": float("nan")}, {}, r"'alpha' expects a finite number"),
        ({}, {"min_values": 2.5}, r"'min_values' expects an integer, got 2\.5"),
        ({"schema": {"added": "severe"}}, {}, r"'schema\.added' expects one of info, low, medium, high, critical"),
        ({"decision": {"floor_high": "warn"}}, {}, r"'decision\.floor_high' expects one of NO_ACTION, MONITOR"),
        (
            {"critical_columns": {"escalate_high": "yes"}},
            {},
            r"'critical_columns\.escalate_high' expects true or false",
        ),
        ({"psi": 0.2}, {}, r"'psi' expects a mapping with keys medium, high, epsilon, noise_floor_confidence"),
        ({"alpha": 1.5}, {}, r"'alpha' expects a value in \(0, 1\)"),
        ({"weights": {"low": 30}}, {}, r"'weights\.\*' expect 0 <= low <= medium"),
        ({"decision": {"block_below": 90}}, {}, r"block_below <= warn_below <= monitor_below"),
        ({"decision": {"floor_low": "WARN"}}, {}, r"floor_low <= floor_medium"),
        ({"critical_columns": {"deduction_multiplier": 0.5}}, {}, r"deduction_multiplier' expects a value >= 1"),
        ({"null_rate": {"high": 1.5}}, {}, r"'null_rate\.medium' and 'null_rate\.high'"),
    ],
)
def test_bad_overrides_name_the_key_and_what_was_expected(
    package: dict[str, object], dataset: dict[str, object], message: str
) -> None:
    with pytest.raises(PolicyError, match=message):
        resolve_policy(package, dataset)


def test_policy_error_is_a_value_error_and_layers_must_be_mappings() -> None:
    assert issubclass(PolicyError, ValueError)
    with pytest.raises(PolicyError, match="dataset policy overrides must be a mapping"):
        resolve_policy({}, [("alpha", 0.1)])  # type: ignore[arg-type]


def test_weight_and_floor_lookups() -> None:
    p = Policy()
    assert [p.weight(s.label) for s in Severity] == [0.0, 2.0, 8.0, 20.0, 40.0]
    assert [p.decision_floor(s.label) for s in Severity] == [
        "NO_ACTION",
        "MONITOR",
        "MONITOR",
        "WARN",
        "BLOCK_PIPELINE",
    ]
