"""The warehouse as the reports see it: a read-only DuckDB connection, its catalog, and query results.

Each query's full result is kept in a temporary table (DuckDB allows temporary tables on a read-only
connection: they live in the in-memory ``temp`` catalog), so a query chained with ``${name}`` reads the
stored result instead of running its source again; only the first ``max_rows`` rows come back to Python.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb

TEMP_PREFIX = "__report_"


@dataclass(frozen=True)
class Result:
    columns: list[str]
    types: list[str]  # DuckDB type names, e.g. BIGINT, DATE, VARCHAR
    rows: list[tuple[Any, ...]]
    truncated: bool  # more rows than max_rows were returned by the query

    def records(self) -> list[dict[str, Any]]:
        """Rows as JSON-ready dicts (dates as ISO text, decimals as floats, NaN as null)."""
        return [
            {column: json_value(value) for column, value in zip(self.columns, row, strict=True)} for row in self.rows
        ]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def type_of(self, name: str) -> str:
        return self.types[self.columns.index(name)]


class Warehouse:
    """A read-only connection with the catalog of user tables read once at open."""

    def __init__(self, duckdb_path: Path) -> None:
        if not duckdb_path.exists():
            raise FileNotFoundError(f"warehouse not found: {duckdb_path}")
        self.path = duckdb_path
        self.connection = duckdb.connect(str(duckdb_path), read_only=True)
        self.database = self.connection.execute("select current_database()").fetchone()[0]  # type: ignore[index]
        self.tables: dict[tuple[str, str], dict[str, str]] = {}
        columns = self.connection.execute(
            "select schema_name, table_name, column_name, data_type from duckdb_columns() "
            "where database_name = current_database() order by schema_name, table_name, column_index"
        ).fetchall()
        for schema, table, column, data_type in columns:
            self.tables.setdefault((schema.lower(), table.lower()), {})[column] = data_type

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def has_table(self, schema: str, table: str) -> bool:
        return (schema.lower(), table.lower()) in self.tables

    def table_names(self) -> list[str]:
        return [f"{schema}.{table}" for schema, table in self.tables]

    def binds(self, sql: str) -> bool:
        """Whether DuckDB's binder accepts ``sql`` (names and types resolved; nothing is run)."""
        try:
            self.connection.execute(f"describe {sql}")
        except duckdb.Error:
            return False
        return True

    def materialize(self, temp_name: str, sql: str, max_rows: int) -> Result:
        """Run ``sql`` into the temporary table ``temp_name`` and return its first ``max_rows`` rows
        (none for ``max_rows=0``: a query only other queries read)."""
        self.connection.execute(f'create or replace temp table "{temp_name}" as {sql}')
        cursor = self.connection.execute(f'select * from "{temp_name}" limit {max_rows + 1 if max_rows else 0}')
        description = cursor.description or []
        rows = cursor.fetchall()
        return Result(
            columns=[column[0] for column in description],
            types=[str(column[1]) for column in description],
            rows=rows[:max_rows],
            truncated=len(rows) > max_rows,
        )

    def temp_columns(self, temp_name: str) -> dict[str, str]:
        rows = self.connection.execute(
            "select column_name, data_type from duckdb_columns() where database_name = 'temp' and table_name = ? "
            "order by column_index",
            [temp_name],
        ).fetchall()
        return dict(rows)

    def drop_temp_tables(self) -> None:
        names = self.connection.execute(
            "select table_name from duckdb_tables() where database_name = 'temp' and starts_with(table_name, ?)",
            [TEMP_PREFIX],
        ).fetchall()
        for (name,) in names:
            self.connection.execute(f'drop table if exists temp.main."{name}"')


def json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    return str(value)
