"""Every identifier dqp writes into SQL goes through one helper:
dqp_quote_identifier in the package (relations through dqp_quote_relation),
quote_identifier in the checker. dbt's adapter.quote does not double an
embedded quote, so it must not come back."""

from __future__ import annotations

import re
from pathlib import Path

from dqp_runner.project import TableName, quote_identifier

MACROS = Path(__file__).resolve().parents[2] / "macros"
QUOTING_MACRO = MACROS / "sql" / "dqp_quote_identifier.sql"


def test_no_macro_quotes_identifiers_with_dbt() -> None:
    offenders = [
        f"{path.relative_to(MACROS)}:{number}: {line.strip()}"
        for path in sorted(MACROS.rglob("*.sql"))
        if path != QUOTING_MACRO
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\.quote\(|\.quoted\(", line)
    ]
    assert offenders == []


def test_no_macro_renders_a_relation_without_quoting_it() -> None:
    # A Relation concatenated into SQL renders with dbt's quoting; dqp renders
    # every relation with dqp_quote_relation instead.
    offenders = [
        f"{path.relative_to(MACROS)}:{number}: {line.strip()}"
        for path in sorted(MACROS.rglob("*.sql"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"(from|into|table)\s*'\s*~\s*(?!dqp\.|stage\b)[a-z_.]*relation", line)
    ]
    assert offenders == []


def test_checker_doubles_embedded_quotes() -> None:
    assert quote_identifier('a"b') == '"a""b"'
    assert quote_identifier("x\"; drop table victim; --") == '"x""; drop table victim; --"'
    assert TableName('we"ird', "t").sql() == '"we""ird"."t"'
