"""What a table's suites say: `TableSpec` (the data suite's rules, the expected columns and types, the key that
identifies offending rows) and the schema suite every spec gets from its column list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pipelines.quality.checks import CRITICAL, WARNING, Check, ColumnType, Derived, Severity
from pipelines.quality.rules import Rule

SCHEMA_SUFFIX = ".schema"


@dataclass(frozen=True)
class TableSpec:
    """The suites of one warehouse table (`schema.table`).

    - `columns`: expected columns and their type families: the schema suite (`<table>.schema`) checks that each
      exists with a type of its family (other columns may exist too);
    - `rules`: the data suite (`<table>`): completeness, business rules, outliers;
    - `key`: the columns reported for each offending row (capped), e.g. ("movie_id", "snapshot_date");
    - `missing_severity`: the severity of the "table missing" result recorded when the table doesn't exist
      (critical for the raw tables ingestion must have written; warning for models not built yet).
    """

    table: str
    key: tuple[str, ...]
    columns: Mapping[str, ColumnType]
    rules: tuple[Rule, ...]
    missing_severity: Severity = WARNING

    @property
    def suite(self) -> str:
        return self.table

    @property
    def schema_suite(self) -> str:
        return self.table + SCHEMA_SUFFIX

    def derived(self) -> tuple[Derived, ...]:
        seen: dict[str, Derived] = {}
        for rule in self.rules:
            for column in rule.derived():
                seen.setdefault(column.name, column)
        return tuple(seen.values())

    def checks(self, frame: pd.DataFrame) -> tuple[Check, ...]:
        return tuple(check for rule in self.rules for check in rule.checks(frame))

    def schema_checks(self) -> tuple[Check, ...]:
        """Checks on the schema frame (one row: column name -> DuckDB type)."""
        present = Check(
            "expect_table_columns_to_match_set",
            {"column_set": list(self.columns), "exact_match": False},
            CRITICAL,
            "schema",
            f"columns present: {', '.join(self.columns)}",
        )
        typed = tuple(
            Check(
                "expect_column_values_to_be_in_set",
                {"column": column, "value_set": list(kind.duckdb_types)},
                CRITICAL,
                "schema",
                f"{column} is of type {kind.name}",
            )
            for column, kind in self.columns.items()
        )
        return (present, *typed)

    def missing_check(self) -> Check:
        return Check("table_exists", {}, self.missing_severity, "presence", f"table {self.table} exists")
