"""The check-time policy of `dqp check`: resolution order, fingerprint, errors."""

from __future__ import annotations

import pytest

from dqp_runner.check import check_policy
from dqp_runner.policy import PolicyError


def test_dataset_policy_wins_over_the_package_policy() -> None:
    resolved = check_policy(
        "orders",
        {"psi": {"medium": 0.15, "high": 0.3}, "ks": {"d_medium": 0.12}},
        {"orders": {"psi": {"medium": 0.2}}},
    )
    assert resolved.policy.psi.medium == 0.2
    assert resolved.policy.psi.high == 0.3
    assert resolved.policy.ks.d_medium == 0.12
    assert resolved.overrides == {"psi": {"medium": 0.2, "high": 0.3}, "ks": {"d_medium": 0.12}}


def test_the_fingerprint_follows_the_resolved_policy_not_its_spelling() -> None:
    default = check_policy("orders", {}, {})
    spelled_out = check_policy("orders", {"psi": {"medium": default.policy.psi.medium}}, {})
    changed = check_policy("orders", {}, {"orders": {"psi": {"medium": 0.2}}})
    assert spelled_out.fingerprint == default.fingerprint
    assert changed.fingerprint != default.fingerprint
    assert len(default.fingerprint) == 16
    assert '"psi.medium":0.2' in changed.resolved_json


def test_a_bad_dataset_policy_names_the_dataset() -> None:
    with pytest.raises(PolicyError, match="dataset orders: unknown policy key 'psi.mediun'"):
        check_policy("orders", {}, {"orders": {"psi": {"mediun": 0.2}}})
    with pytest.raises(PolicyError, match="meta.dqp.policy: expected a mapping"):
        check_policy("orders", {}, {}, {"orders": "model.x.orders: meta.dqp.policy: expected a mapping, got 3"})
