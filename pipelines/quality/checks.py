"""The vocabulary of the suites, free of Great Expectations imports (so suites load fast and read as data).

A `Check` is one expectation to evaluate: its GX type (snake case, as in GX's gallery), its arguments, its
severity and category, and a one-line description for people. A `Derived` column is computed by DuckDB when
the table is read (a window, a cast, a join) so that a rule spanning rows becomes a plain column rule.
A `ColumnType` is a family of DuckDB types a column may have and still be "of that type".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["critical", "warning"]
Category = Literal["presence", "schema", "completeness", "business", "outlier", "data_issue", "dbt"]

CRITICAL: Severity = "critical"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class Check:
    """One expectation of a suite, independent of Great Expectations' classes."""

    expectation_type: str
    kwargs: Mapping[str, Any]
    severity: Severity
    category: Category
    description: str

    @property
    def column(self) -> str | None:
        """The column (or comma-separated columns) the check is about; None for table-level checks."""
        if "column" in self.kwargs:
            return str(self.kwargs["column"])
        if "column_list" in self.kwargs:
            return ",".join(self.kwargs["column_list"])
        return None


@dataclass(frozen=True)
class CheckOutcome:
    """A check and what GX said about it (`result` is GX's result dict, `exception` its message if it raised)."""

    check: Check
    success: bool
    result: Mapping[str, Any]
    exception: str | None


@dataclass(frozen=True)
class Derived:
    """A column added to the frame read from DuckDB: `sql` is evaluated over the table's own columns
    (`needs`) and may read other tables (`needs_tables`); it is left out when any of them is missing."""

    name: str
    sql: str
    needs: tuple[str, ...] = ()
    needs_tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnType:
    """A family of DuckDB type names (as `information_schema.columns.data_type` spells them)."""

    name: str
    duckdb_types: tuple[str, ...]


INTEGER = ColumnType(
    "integer",
    ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"),
)
NUMBER = ColumnType("number", (*INTEGER.duckdb_types, "FLOAT", "DOUBLE", "DECIMAL"))
TEXT = ColumnType("text", ("VARCHAR",))
DATE = ColumnType("date", ("DATE",))
BOOLEAN = ColumnType("boolean", ("BOOLEAN",))
INTEGER_LIST = ColumnType("integer list", tuple(f"{name}[]" for name in INTEGER.duckdb_types))
TEXT_LIST = ColumnType("text list", ("VARCHAR[]",))


def normalize_type(duckdb_type: str) -> str:
    """A DuckDB type name without its parameters where those don't change the family (DECIMAL(18,3))."""
    upper = duckdb_type.upper()
    return "DECIMAL" if upper.startswith("DECIMAL") else upper


def quote_identifier(identifier: str) -> str:
    """A quoted SQL identifier (a column name)."""
    return '"' + identifier.replace('"', '""') + '"'


def quote_table(table: str, catalog: str | None = None) -> str:
    """A quoted `schema.table` name, prefixed with its catalog when given: a warehouse file named like one of
    its schemas (quality.duckdb) makes `quality.x` ambiguous to DuckDB."""
    schema, _, name = table.partition(".")
    prefix = f"{quote_identifier(catalog)}." if catalog else ""
    return f"{prefix}{quote_identifier(schema)}.{quote_identifier(name)}"
