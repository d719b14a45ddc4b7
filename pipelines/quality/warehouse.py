"""Reading the warehouse for validation, read-only: the catalog (tables, columns, types), each table as a
pandas frame with the suites' derived columns, and each table's schema as a one-row frame."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import duckdb
import pandas as pd

from pipelines.quality.checks import Derived, normalize_type, quote_identifier, quote_table

Catalog = Mapping[str, Mapping[str, str]]


class WarehouseReader:
    """A read-only DuckDB connection to the warehouse file; use as a context manager."""

    def __init__(self, duckdb_path: Path) -> None:
        self._connection = duckdb.connect(str(duckdb_path), read_only=True)
        self._database = str(self._connection.execute("select current_database()").fetchall()[0][0])
        self.catalog: Catalog = self._read_catalog()

    def __enter__(self) -> WarehouseReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._connection.close()

    def _read_catalog(self) -> dict[str, dict[str, str]]:
        rows = self._connection.execute(
            """
            select table_schema || '.' || table_name, column_name, data_type
            from information_schema.columns
            where table_catalog = current_database()
            order by table_schema, table_name, ordinal_position
            """
        ).fetchall()
        catalog: dict[str, dict[str, str]] = {}
        for table, column, data_type in rows:
            catalog.setdefault(table, {})[column] = normalize_type(data_type)
        return catalog

    @property
    def database(self) -> str:
        """The warehouse's catalog name (its file's stem), to qualify tables with."""
        return self._database

    def has_table(self, table: str) -> bool:
        return table in self.catalog

    def rows(self, sql: str, parameters: Sequence[object] = ()) -> list[dict[str, object]]:
        """The rows of a query, each as {column: value}."""
        cursor = self._connection.execute(sql, list(parameters))
        columns = [entry[0] for entry in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def usable(self, table: str, derived: Sequence[Derived]) -> list[Derived]:
        """The derived columns whose columns and tables exist (the others are left out of the frame, so their
        checks fail on a missing column instead of the whole read failing)."""
        columns = self.catalog.get(table, {})
        return [
            column
            for column in derived
            if all(name in columns for name in column.needs) and all(map(self.has_table, column.needs_tables))
        ]

    def frame(self, table: str, derived: Sequence[Derived]) -> pd.DataFrame:
        """Every row of the table, its columns and the derived ones (the table is aliased `t`). A derived
        column DuckDB can't compute on this table (a column of an unexpected type) is left out."""
        try:
            return self._select(table, derived)
        except duckdb.Error:
            return self._select(table, [column for column in derived if self._computes(table, column)])

    def _select(self, table: str, derived: Sequence[Derived], limit: str = "") -> pd.DataFrame:
        extra = "".join(f", {column.sql} as {quote_identifier(column.name)}" for column in derived)
        return self._connection.execute(f"select t.*{extra} from {quote_table(table, self._database)} as t{limit}").df()

    def _computes(self, table: str, column: Derived) -> bool:
        try:
            self._select(table, [column], " limit 0")
        except duckdb.Error:
            return False
        return True

    def schema_frame(self, table: str) -> pd.DataFrame:
        """One row: a column per table column, holding its DuckDB type name."""
        columns = self.catalog[table]
        return pd.DataFrame([dict(columns)], columns=list(columns), dtype=object)
