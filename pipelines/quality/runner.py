"""`run_quality`: every suite on the warehouse, results and scores written to schema `quality`, data docs built.

Flow: read the catalog and each table read-only (DuckDB), validate its schema suite and its data suite with GX
(one checkpoint each), build the data docs, add dbt's test results of the last build (run_results.json, suite
`dbt`), then append the results and scores through a short write connection. A table that doesn't exist yields
one "table missing" result instead of its suites.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.quality import docs
from pipelines.quality.dbt_results import dbt_result_rows
from pipelines.quality.results import ExpectationRow, RunInfo, missing_table_row, outcome_row
from pipelines.quality.score import TableScore, table_scores
from pipelines.quality.spec import TableSpec
from pipelines.quality.store import write_results
from pipelines.quality.suites import ALL_SPECS
from pipelines.quality.warehouse import WarehouseReader

if TYPE_CHECKING:
    from pipelines.quality.gx_validator import GXValidator


class QualityError(RuntimeError):
    """The quality run could not run (no warehouse file, the file locked by a writer, ...)."""


class QualityCheckFailed(QualityError):
    """Critical expectations failed (raised by `QualityResult.raise_on_critical`); the message is the summary."""


@dataclass(frozen=True)
class QualityResult:
    """A quality run: every expectation's result, the scores, where the data docs are."""

    run_id: str
    run_at: datetime
    rows: tuple[ExpectationRow, ...]
    tables: tuple[TableScore, ...]
    overall: TableScore
    docs_index: Path | None
    elapsed_s: float

    @property
    def critical_failures(self) -> tuple[ExpectationRow, ...]:
        return tuple(row for row in self.rows if not row.success and row.severity == "critical")

    @property
    def warnings(self) -> tuple[ExpectationRow, ...]:
        """The failed warning-level expectations."""
        return tuple(row for row in self.rows if not row.success and row.severity == "warning")

    @property
    def warnings_count(self) -> int:
        return len(self.warnings)

    @property
    def success(self) -> bool:
        """True when no critical expectation failed (warnings don't fail a run)."""
        return not self.critical_failures

    @property
    def overall_score(self) -> float:
        return self.overall.score

    def raise_on_critical(self) -> QualityResult:
        """Raise QualityCheckFailed (its message: the summary) when a critical expectation failed; else self."""
        if not self.success:
            raise QualityCheckFailed(self.summary())
        return self

    def score(self, table_name: str) -> float:
        return next(table.score for table in self.tables if table.table_name == table_name)

    def headline(self) -> str:
        """One line: the overall score, what was evaluated, what failed, where the docs are."""
        overall = self.overall
        docs_text = f"; data docs: {self.docs_index}" if self.docs_index else ""
        return (
            f"quality: score {overall.score:.1f}/100 over {overall.evaluated} expectations on {len(self.tables)} "
            f"tables: {overall.critical_failed} critical failures, {overall.warnings_failed} warnings "
            f"(run {self.run_id}, {self.elapsed_s:.1f}s){docs_text}"
        )

    def summary(self) -> str:
        """The headline, one line per table, then one line per failed expectation (critical first)."""
        lines = [self.headline()]
        lines += [
            f"  {table.score:5.1f}  {table.table_name} ({table.evaluated} expectations, "
            f"{table.critical_failed} critical failed, {table.warnings_failed} warnings)"
            for table in self.tables
        ]
        lines += [row.failure_line() for row in (*self.critical_failures, *self.warnings)]
        return "\n".join(lines)


def run_quality(
    duckdb_path: Path,
    site_dir: Path | None = None,
    *,
    specs: Sequence[TableSpec] = ALL_SPECS,
    write: bool = True,
    dbt_run_results: Path | Sequence[Path] | None = None,
) -> QualityResult:
    """Validate the warehouse at `duckdb_path` with the suites of `specs` (default: all of them).

    Writes the results and scores to the warehouse's `quality` schema unless `write` is False; builds the GX
    data docs into `<site_dir>/quality/` (index.html) when `site_dir` is given. `dbt_run_results`: the
    run_results.json of the `dbt build` that made the warehouse (or several, for builds of several selections);
    its data and unit tests join the results as suite `dbt` (pipelines/quality/dbt_results.py), so the score
    covers dbt's checks too. Never raises for failed expectations (see `QualityResult.success`); raises
    QualityError when the warehouse (or dbt's results) can't be read or written.
    """
    from pipelines.quality.gx_validator import GXValidator  # GX takes seconds to import: only when running

    started = time.monotonic()
    duckdb_path = Path(duckdb_path)
    if not duckdb_path.is_file():
        raise QualityError(f"no warehouse at {duckdb_path}: run the ingestion (and dbt build) first")
    run_at = datetime.now(UTC)
    run = RunInfo(run_id=f"{run_at:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}", run_at=run_at)
    site = Path(site_dir).resolve() if site_dir is not None else None  # GX wants an absolute docs folder
    staging = docs.staging_dir(site) if site is not None else None
    try:
        validator = GXValidator(staging, run.run_id, run.run_at)
        dbt_files = [dbt_run_results] if isinstance(dbt_run_results, str | Path) else list(dbt_run_results or ())
        with WarehouseReader(duckdb_path) as reader:
            rows = [row for spec in specs for row in _validate_table(reader, validator, spec, run)]
            rows += _dbt_rows(run, dbt_files, reader)
        validator.build_docs()
        failed = {row.suite for row in rows if not row.success}
        docs_index = docs.publish(staging, site, failed) if staging is not None and site is not None else None
    except duckdb.Error as exc:
        raise QualityError(f"cannot read the warehouse {duckdb_path}: {exc}") from exc
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    tables, overall = table_scores(rows)
    if write:
        try:
            write_results(duckdb_path, run, rows, [*tables, overall])
        except duckdb.Error as exc:
            raise QualityError(f"cannot write the results into {duckdb_path}: {exc}") from exc
    return QualityResult(
        run_id=run.run_id,
        run_at=run.run_at,
        rows=tuple(rows),
        tables=tuple(tables),
        overall=overall,
        docs_index=docs_index,
        elapsed_s=time.monotonic() - started,
    )


def _dbt_rows(run: RunInfo, dbt_files: Sequence[str | Path], reader: WarehouseReader) -> list[ExpectationRow]:
    rows = []
    for dbt_file in dbt_files:
        try:
            rows += dbt_result_rows(run, Path(dbt_file), reader)
        except (OSError, ValueError) as exc:
            raise QualityError(f"cannot read dbt's results {dbt_file}: {exc}") from exc
    return rows


def _validate_table(
    reader: WarehouseReader, validator: GXValidator, spec: TableSpec, run: RunInfo
) -> list[ExpectationRow]:
    if not reader.has_table(spec.table):
        return [missing_table_row(run, spec.suite, spec.table, spec.missing_check())]
    rows = [
        outcome_row(run, spec.schema_suite, spec.table, outcome, ())
        for outcome in validator.validate(spec.schema_suite, reader.schema_frame(spec.table), spec.schema_checks(), ())
    ]
    frame = reader.frame(spec.table, reader.usable(spec.table, spec.derived()))
    outcomes = validator.validate(spec.suite, frame, spec.checks(frame), spec.key)
    return rows + [outcome_row(run, spec.suite, spec.table, outcome, spec.key) for outcome in outcomes]
