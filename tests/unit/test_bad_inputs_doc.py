"""docs/bad_inputs.md cannot rot: every test it names exists, and it keeps at
least the 86 kinds of issue 10."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DOC = REPO_ROOT / "docs" / "bad_inputs.md"
MINIMUM_ROWS = 86
FAMILIES = {"declarations", "data", "CLI", "kills", "races", "credentials"}
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def table_rows() -> list[list[str]]:
    """The cells of every body row of the table (the lines after the header and its rule)."""
    lines = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    assert lines[0].replace(" ", "") == "|#|family|badinputorfault|whattheusergets|test|", lines[0]
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        assert len(cells) == 5, f"expected 5 cells: {line}"
        rows.append(cells)
    return rows


@cache
def defined_tests(path: str) -> frozenset[str]:
    """Names of the module-level test functions of a test file."""
    tree = ast.parse((REPO_ROOT / path).read_text(encoding="utf-8"))
    return frozenset(
        node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    )


def test_the_table_keeps_at_least_the_kinds_of_issue_10() -> None:
    rows = table_rows()
    assert len(rows) >= MINIMUM_ROWS, f"{len(rows)} rows in {DOC.name}, expected at least {MINIMUM_ROWS}"
    assert [int(row[0]) for row in rows] == list(range(1, len(rows) + 1)), "rows are numbered 1, 2, 3, ..."
    families = {row[1].split(":")[0] for row in rows}
    assert families >= FAMILIES, f"families without a row: {FAMILIES - families}"
    assert all(row[2] and row[3] for row in rows), "every row says the input and what the user gets"


def test_every_referenced_test_exists() -> None:
    missing = []
    for row in table_rows():
        references = TEST_REFERENCE.findall(row[4])
        assert references, f"row {row[0]} names no test as tests/<file>.py::test_<name>: {row[4]}"
        assert len(references) == row[4].count("`") // 2, f"row {row[0]}: a reference is not file::test_name"
        for path, function in references:
            if not (REPO_ROOT / path).is_file() or function not in defined_tests(path):
                missing.append(f"row {row[0]}: {path}::{function}")
    assert missing == [], "docs/bad_inputs.md names tests that do not exist"
