"""Deterministic synthetic reference and current tables, generated inside the engine.

Every value is a function of the row number and a fixed seed, computed with the
engine's own 64-bit integer hash (PostgreSQL ``hashint8extended``, DuckDB
``hash``) of one key per (row, seed), so a table of 10M rows is one
``create table ... as select`` over ``generate_series``/``range``: nothing is
pushed row by row from Python. The data are reproducible per engine; they are
not bit-identical across engines (the two hash functions differ), only
identically distributed.

Column mix for C columns: about 70% numeric (every fourth numeric column an
integer, the rest floats), about 30% categorical text; some columns have nulls.
The first float column and the first text column drift on the current side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dialect = Literal["duckdb", "postgres"]
Kind = Literal["float", "integer", "text"]

REFERENCE_TABLE = "bench_reference"
CURRENT_TABLE = "bench_current"
SIDE_SEED = {REFERENCE_TABLE: 10_000, CURRENT_TABLE: 50_000}  # + 10 per column index
UNIT = 9007199254740992  # 2**53: the hash is cut to 53 bits, exactly a double's mantissa
SEED_SPACE = 100_000  # seeds stay below this, so i * SEED_SPACE + seed is unique per (row, seed)


def quote_identifier(name: str) -> str:
    """Standard SQL identifier quoting (PostgreSQL and DuckDB)."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: Kind
    index: int  # position among all columns, feeds the seeds
    null_rate: float
    drifted: bool
    categories: int = 0  # text columns: number of distinct values

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


def column_specs(column_count: int) -> list[ColumnSpec]:
    """The column layout for C columns; at least one float and one text column."""
    if not 2 <= column_count <= 4_000:
        raise ValueError("need 2 to 4000 columns (one drifted numeric and one drifted categorical; distinct seeds)")
    numeric_count = min(column_count - 1, max(1, round(column_count * 0.7)))
    specs: list[ColumnSpec] = []
    for k in range(numeric_count):
        kind: Kind = "integer" if k % 4 == 1 else "float"
        specs.append(ColumnSpec(f"{kind[:3]}_{k}", kind, k, 0.02 if k % 3 == 2 else 0.0, drifted=k == 0))
    for j in range(column_count - numeric_count):
        index = numeric_count + j
        categories = (8, 40, 200, 12, 1_000)[j % 5]
        specs.append(ColumnSpec(f"cat_{j}", "text", index, 0.05 if j % 2 == 1 else 0.0, drifted=j == 0,
                                categories=categories))
    return specs


def _uniform(dialect: Dialect, seed: int) -> str:
    """A pseudo-random double in (0, 1) from row number i and an integer seed."""
    # One integer key per (row, seed), through the engine's 64-bit integer hash.
    # Not the engines' seeded forms, hashint8extended(i, seed) and hash(i, seed):
    # their streams for different seeds come out measurably dependent at 1M rows
    # (Box-Muller normals then differ between reference and current). PostgreSQL
    # folds a bigint to 32 bits before hashing, so about 0.1% of values repeat
    # within a 10M-row column: harmless here.
    key = f"(i::bigint * {SEED_SPACE} + {seed})" if dialect == "postgres" else f"(i * {SEED_SPACE} + {seed})"
    if dialect == "postgres":
        bits = f"(hashint8extended({key}, 0) & {UNIT - 1})::double precision"
    else:
        bits = f"(hash({key}) % {UNIT})::double"
    return f"(({bits} + 0.5) / {UNIT}.0)"


def _normal(dialect: Dialect, seed: int) -> str:
    """A standard normal by Box-Muller from two uniforms."""
    return f"(sqrt(-2.0 * ln({_uniform(dialect, seed)})) * cos(2.0 * pi() * {_uniform(dialect, seed + 1)}))"


def column_expression(dialect: Dialect, spec: ColumnSpec, table: str) -> str:
    """SQL for one column of one table, over a row number column `i`."""
    current = table == CURRENT_TABLE
    seed = SIDE_SEED[table] + 10 * spec.index
    if spec.kind == "float":
        mean, sd = 10.0 * spec.index, 1.0 + spec.index % 5
        if current and spec.drifted:
            mean, sd = mean + 0.3 * sd, sd * 1.2
        value = f"({mean} + {sd} * {_normal(dialect, seed)})"
    elif spec.kind == "integer":
        rate = 20 + spec.index
        value = f"cast(floor(-ln({_uniform(dialect, seed)}) * {rate}) as integer)"
    else:
        # A skewed mix over `categories` values: u**2 favours the low codes.
        skew = 1.4 if current and spec.drifted else 2.0
        code = f"cast(floor({spec.categories} * power({_uniform(dialect, seed)}, {skew})) as integer)"
        value = f"('v' || cast({code} as varchar))"
        if current and spec.drifted:
            value = f"(case when {_uniform(dialect, seed + 2)} < 0.03 then 'new_value' else {value} end)"
    if spec.null_rate > 0:
        value = f"(case when {_uniform(dialect, seed + 5)} < {spec.null_rate} then null else {value} end)"
    return f"{value} as {quote_identifier(spec.name)}"


def create_table_sql(dialect: Dialect, schema: str, table: str, specs: list[ColumnSpec], rows: int) -> str:
    rows_source = (
        f"generate_series(1, {int(rows)}) as g(i)" if dialect == "postgres" else f"range(1, {int(rows) + 1}) as g(i)"
    )
    columns = ",\n    ".join(column_expression(dialect, spec, table) for spec in specs)
    return (
        f"create table {quote_identifier(schema)}.{quote_identifier(table)} as\n"
        f"select\n    {columns}\nfrom {rows_source}"
    )


def generation_statements(dialect: Dialect, schema: str, specs: list[ColumnSpec], rows: int) -> list[str]:
    """Drop and recreate the source schema with both tables of `rows` rows."""
    quoted = quote_identifier(schema)
    statements = [f"drop schema if exists {quoted} cascade", f"create schema {quoted}"]
    statements += [create_table_sql(dialect, schema, table, specs, rows) for table in (REFERENCE_TABLE, CURRENT_TABLE)]
    return statements


def floor_sql(schema: str, table: str, specs: list[ColumnSpec]) -> str:
    """The bare aggregate scan: count(*), sum of each numeric column, count of each text column."""
    parts = ["count(*)"]
    for spec in specs:
        function = "sum" if spec.numeric else "count"
        parts.append(f"{function}({quote_identifier(spec.name)})")
    return f"select {', '.join(parts)} from {quote_identifier(schema)}.{quote_identifier(table)}"
