"""Writing a run's results into the warehouse (schema `quality`), through one short read-write connection.

- `quality.expectation_results`: one row per expectation per run (appended);
- `quality.quality_scores`: one row per table per run plus an 'overall' row (appended).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, fields
from pathlib import Path

import duckdb

from pipelines.quality.checks import quote_identifier, quote_table
from pipelines.quality.results import ExpectationRow, RunInfo
from pipelines.quality.score import TableScore

SCHEMA = "quality"
RESULTS_TABLE = f"{SCHEMA}.expectation_results"
SCORES_TABLE = f"{SCHEMA}.quality_scores"

_DDL = """
create schema if not exists {schema};
create table if not exists {results} (
    run_id varchar not null,
    run_at timestamptz not null,
    suite varchar not null,
    table_name varchar not null,
    expectation_type varchar not null,
    column_name varchar,
    severity varchar not null,
    category varchar not null,
    description varchar not null,
    success boolean not null,
    observed_value varchar,
    unexpected_count bigint,
    unexpected_percent double,
    offending_ids varchar,
    details varchar
);
create table if not exists {scores} (
    run_id varchar not null,
    run_at timestamptz not null,
    table_name varchar not null,
    score double not null,
    critical_failed integer not null,
    warnings_failed integer not null,
    evaluated integer not null
);
"""


def write_results(
    duckdb_path: Path, run: RunInfo, rows: Sequence[ExpectationRow], scores: Sequence[TableScore]
) -> None:
    """Append the run's rows and scores in one transaction."""
    connection = duckdb.connect(str(duckdb_path))
    try:
        database = str(connection.execute("select current_database()").fetchall()[0][0])
        results, scores_table = quote_table(RESULTS_TABLE, database), quote_table(SCORES_TABLE, database)
        schema = f"{quote_identifier(database)}.{quote_identifier(SCHEMA)}"
        connection.execute(_DDL.format(schema=schema, results=results, scores=scores_table))
        connection.begin()
        _insert(connection, results, [field.name for field in fields(ExpectationRow)], map(astuple, rows))
        score_columns = ["run_id", "run_at", *(field.name for field in fields(TableScore))]
        score_rows = ((run.run_id, run.run_at, *astuple(score)) for score in scores)
        _insert(connection, scores_table, score_columns, score_rows)
        connection.commit()
    finally:
        connection.close()


def _insert(
    connection: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: Iterable[tuple[object, ...]]
) -> None:
    values = list(rows)
    if values:
        placeholders = ", ".join("?" for _ in columns)
        connection.executemany(f"insert into {table} ({', '.join(columns)}) values ({placeholders})", values)
