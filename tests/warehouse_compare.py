"""Compare two warehouses' data: the tests that kill, resume, back up or restore a warehouse expect the same data
as a run that never was interrupted.

Run records (the run log, quality results) and columns that record the run rather than the data (wall-clock
times, dlt's load and row ids) are left out. Floats compare within a rounding step: DuckDB sums doubles in
parallel in no fixed order, so an average rounded to 4 decimals that lands on a half can round either way between
two identical builds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import duckdb

RUN_RECORDS = ("raw.ingestion_log", "raw.ingestion_log__tables", "raw._dlt", "quality.")
RUN_COLUMNS = ("_at", "load_id", "_dlt_id", "_dlt_parent_id", "_dlt_root_id", "_dlt_load_id")
# The warehouse's layers; dlt's scratch schema (raw_staging) and DuckDB's main hold no data of ours.
LAYERS = ("raw", "seeds", "staging", "intermediate", "snapshots", "marts")

Snapshot = dict[str, list[tuple]]


def snapshot(db: Path, layers: Sequence[str] = LAYERS) -> Snapshot:
    """Every data table of `layers` in `db`: its data columns' rows, sorted."""
    out: Snapshot = {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
        for schema, table in tables:
            name = f"{schema}.{table}"
            if schema not in layers or name.startswith(RUN_RECORDS):
                continue
            columns = [
                column
                for (column,) in con.execute(
                    "select column_name from duckdb_columns() where schema_name = ? and table_name = ? order by 1",
                    [schema, table],
                ).fetchall()
                if not column.endswith(RUN_COLUMNS)
            ]
            listed = ", ".join(f'"{column}"' for column in columns)
            out[name] = con.execute(f'select {listed} from {schema}."{table}" order by all').fetchall()
    return out


def _same_value(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=2e-4)
    return a == b


def assert_same_warehouse(actual: Snapshot, expected: Snapshot) -> None:
    assert sorted(actual) == sorted(expected)
    for table, rows in expected.items():
        assert len(actual[table]) == len(rows), table
        for got, want in zip(actual[table], rows, strict=True):
            assert len(got) == len(want) and all(map(_same_value, got, want)), (table, got, want)
