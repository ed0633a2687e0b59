"""The package's compile-time policy schema (a generated dbt macro) must match
the checker's Policy dataclass key for key and kind for kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from dqp_runner.policy import Policy, PolicyError, resolve_policy
from dqp_runner.policy_schema import MACRO_PATH, policy_schema, render_macro

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_macro_is_generated_from_the_dataclass() -> None:
    # On failure: run `python -m dqp_runner.policy_schema` and commit the macro.
    assert (REPO_ROOT / MACRO_PATH).read_text() == render_macro()


def test_schema_names_every_policy_key() -> None:
    assert list(policy_schema()) == list(Policy().flatten())


def _nest(dotted: str, value: object) -> dict[str, object]:
    section, _, leaf = dotted.rpartition(".")
    return {section: {leaf: value}} if section else {leaf: value}


@pytest.mark.parametrize("key", list(policy_schema()))
def test_kinds_agree_with_the_checker(key: str) -> None:
    kind = policy_schema()[key]
    wrong: object = "not a value" if kind != "boolean" and not isinstance(kind, tuple) else 7
    with pytest.raises(PolicyError, match=key.replace(".", r"\.")):
        resolve_policy(dataset_overrides=_nest(key, wrong))
    default = Policy().flatten()[key]
    if isinstance(kind, tuple):
        assert default in kind
    else:
        assert isinstance(default, {"number": float, "integer": int, "boolean": bool}[kind])
