"""One row per expectation per run: what `quality.expectation_results` holds, built from GX's outcomes."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd

from pipelines.quality.checks import Check, CheckOutcome

OFFENDING_IDS_CAP = 50


@dataclass(frozen=True)
class ExpectationRow:
    run_id: str
    run_at: datetime
    suite: str
    table_name: str
    expectation_type: str
    column_name: str | None
    severity: str
    category: str
    description: str
    success: bool
    observed_value: str | None
    unexpected_count: int | None
    unexpected_percent: float | None
    offending_ids: str | None
    details: str

    def failure_line(self) -> str:
        """One line for people: severity, table, what was expected, how many rows broke it, which ones."""
        parts = [f"{self.severity.upper()} {self.table_name}: {self.description}"]
        if self.unexpected_count:
            share = f" ({self.unexpected_percent:.2f}%)" if self.unexpected_percent is not None else ""
            parts.append(f"{self.unexpected_count} unexpected{share}")
        if self.observed_value is not None:
            observed = json.loads(self.observed_value)
            if isinstance(observed, dict) and "unexpected_values" in observed:
                observed = observed["unexpected_values"]
            parts.append(f"observed {_shorten(json.dumps(observed, ensure_ascii=False))}")
        error = json.loads(self.details).get("error")
        if error:
            parts.append(f"error: {_shorten(error)}")
        if self.offending_ids:
            parts.append(f"ids {_shorten(self.offending_ids)}")
        return " - ".join(parts)


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    run_at: datetime


def outcome_row(run: RunInfo, suite: str, table: str, outcome: CheckOutcome, key: Sequence[str]) -> ExpectationRow:
    result = outcome.result
    unexpected = _plain(result.get("partial_unexpected_list") or [])
    shown = unexpected if any(value is not None for value in unexpected) else None  # a list of NULLs says nothing
    observed = result.get("observed_value", {"unexpected_values": shown} if shown else None)
    return _row(
        run,
        suite,
        table,
        outcome.check,
        success=outcome.success,
        observed=observed,
        unexpected_count=result.get("unexpected_count"),
        unexpected_percent=result.get("unexpected_percent"),
        offending=offending_ids(result.get("unexpected_index_list"), key),
        error=outcome.exception,
    )


def missing_table_row(run: RunInfo, suite: str, table: str, check: Check) -> ExpectationRow:
    """The single result recorded for a suite whose table doesn't exist: its suites were skipped."""
    return _row(run, suite, table, check, success=False, observed="table missing", error="table missing: suite skipped")


def _row(
    run: RunInfo,
    suite: str,
    table: str,
    check: Check,
    *,
    success: bool,
    observed: Any,
    unexpected_count: Any = None,
    unexpected_percent: Any = None,
    offending: list[Any] | None = None,
    error: str | None = None,
) -> ExpectationRow:
    details = {"kwargs": dict(check.kwargs)} | ({"error": error} if error else {})
    return ExpectationRow(
        run_id=run.run_id,
        run_at=run.run_at,
        suite=suite,
        table_name=table,
        expectation_type=check.expectation_type,
        column_name=check.column,
        severity=check.severity,
        category=check.category,
        description=check.description,
        success=success,
        observed_value=None if observed is None else to_json(observed),
        unexpected_count=None if unexpected_count is None else int(unexpected_count),
        unexpected_percent=_finite_or_none(unexpected_percent),
        offending_ids=to_json(offending) if offending else None,
        details=to_json(details),
    )


def offending_ids(index_list: Sequence[Mapping[str, Any]] | None, key: Sequence[str]) -> list[Any] | None:
    """The keys of the OFFENDING_IDS_CAP unexpected rows with the smallest keys: plain values for a one-column key,
    else objects. Sorted, because the rows come in the order DuckDB's parallel scan returned them: the same data
    then names the same ids in every run."""
    if not index_list:
        return None
    try:
        entries = sorted(index_list, key=lambda entry: tuple(_plain(entry.get(column)) for column in key))
    except TypeError:  # NULLs or mixed types in a key column: order by their text
        entries = sorted(index_list, key=lambda entry: tuple(str(_plain(entry.get(column))) for column in key))
    ids = []
    for entry in entries[:OFFENDING_IDS_CAP]:
        values = {column: _plain(entry[column]) for column in key if column in entry}
        ids.append(next(iter(values.values())) if len(values) == 1 else values)
    return ids


def to_json(value: Any) -> str:
    return json.dumps(_plain(value), default=str, ensure_ascii=False)


def _plain(value: Any) -> Any:
    """JSON-friendly: numpy scalars as Python numbers, midnight timestamps as dates, NaN/NaT as None."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | bool):
        return value
    if pd.isna(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() and value.tzinfo is None else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isinf(value):
        return str(value)
    return value if isinstance(value, int | float) else str(value)


def _finite_or_none(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
