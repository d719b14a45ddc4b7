"""Rows from whatever a caller holds: a pandas DataFrame, a DuckDB relation (`dbt.ref(...)` in a dbt-duckdb
Python model), or an iterable of mappings or tuples."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def records(source: Any) -> Iterable[Any]:
    """Mappings for a DataFrame or a relation; any other iterable is returned as it is."""
    if hasattr(source, "to_dict"):  # pandas DataFrame
        return source.to_dict("records")
    if hasattr(source, "fetchall") and hasattr(source, "columns"):  # DuckDB relation
        columns = list(source.columns)
        return [dict(zip(columns, row, strict=True)) for row in source.fetchall()]
    return source
