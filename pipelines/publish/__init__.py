"""Write-audit-publish: writers build the WORKING copy, the quality checkpoint audits it, and only an audited
state is published to the path readers know (`Paths.duckdb_path`), by an atomic rename of a full copy.

- `audit(paths)`: the quality checkpoint on the working copy (results into its `quality` schema; GX's data docs
  into `audit_docs_dir(paths)`, beside the working copy, so a failed audit's docs never reach the site).
- `publish(paths, result)`: with no critical failure (warnings allowed), log the publication and copy the
  working file over the published one (`pipelines.publish.atomic_file`); else log the blocked attempt and raise
  `AuditFailed`, whose message is one line: what failed, where, how to fix. The published file is untouched.
- `install_audit_docs(paths, site_dir)`: the data docs of the audit just published into `<site_dir>/quality`.

Callers hold the writer lock of the working copy (`pipelines.lock`).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.publish.atomic_file import CopyTimes, atomic_copy, remove_stale_copy, temp_path
from pipelines.publish.log import PublishLogRow, append
from pipelines.quality.runner import QualityCheckFailed
from pipelines.settings import Paths

if TYPE_CHECKING:
    from pipelines.quality.runner import QualityResult

__all__ = [
    "AuditFailed",
    "PublishResult",
    "audit",
    "audit_docs_dir",
    "install_audit_docs",
    "publish",
    "remove_stale_copy",
    "temp_path",
]


class AuditFailed(QualityCheckFailed):
    """The audit found critical failures: nothing was published. `str()` is one line; `details` the summary."""

    def __init__(self, line: str, details: str) -> None:
        super().__init__(line)
        self.details = details


@dataclass(frozen=True)
class PublishResult:
    published: Path
    working: Path
    times: CopyTimes
    audit: str

    def summary(self) -> str:
        t = self.times
        return (
            f"published {self.published} ({t.size_bytes / 1e6:,.1f} MB, audit {self.audit}) in {t.total_s:.1f}s: "
            f"checkpoint {t.checkpoint_s:.1f}s, copy + fsync {t.copy_s:.1f}s, rename {t.rename_s:.2f}s"
        )


def audit_docs_dir(paths: Paths) -> Path:
    """Where the audit builds its GX data docs (`<here>/quality/index.html`): beside the working copy."""
    return paths.working_path.parent / "audit"


def audit(paths: Paths, dbt_run_results: Sequence[Path] | None = None) -> QualityResult:
    """Run the quality checkpoint on the working copy (it appends its results there), counting the dbt tests of
    `dbt_run_results` (default: the latest `dbt build` from the repo root, target/run_results.json)."""
    from pipelines.quality import run_quality
    from pipelines.quality.dbt_results import DEFAULT_RUN_RESULTS

    tests = [DEFAULT_RUN_RESULTS] if dbt_run_results is None else list(dbt_run_results)
    return run_quality(paths.working_path, site_dir=audit_docs_dir(paths), dbt_run_results=tests)


def _last_published(published: Path) -> str:
    if not published.is_file():
        return "nothing has been published yet"
    when = datetime.fromtimestamp(published.stat().st_mtime, UTC).isoformat(timespec="seconds")
    return f"{published} keeps the state published at {when}"


def _log(paths: Paths, outcome: str, result: QualityResult | None, message: str) -> None:
    audit_state = "skipped" if result is None else "passed" if result.success else "failed"
    append(
        paths.working_path,
        PublishLogRow(
            attempted_at=datetime.now(UTC),
            outcome=outcome,
            audit=audit_state,
            quality_run_id=result.run_id if result else None,
            critical_failures=len(result.critical_failures) if result else None,
            warnings=result.warnings_count if result else None,
            published_path=str(paths.duckdb_path),
            message=message,
        ),
    )


def publish(paths: Paths, result: QualityResult | None) -> PublishResult:
    """Publish the working copy if `result` (the audit) has no critical failure; `None` publishes unaudited.
    Raises AuditFailed (after logging the blocked attempt) otherwise."""
    if result is not None and not result.success:
        docs = result.docs_index or audit_docs_dir(paths)
        line = (
            f"audit failed: {len(result.critical_failures)} critical data-quality check(s) failed on the working "
            f"copy {paths.working_path}, so it was not published ({_last_published(paths.duckdb_path)}; the site "
            f"was not rebuilt); see {docs} and quality.publish_log, fix the data or the suite, then run "
            "`tmdb-warehouse publish`"
        )
        _log(paths, "blocked", result, line)
        raise AuditFailed(line, result.summary())
    _log(paths, "published", result, f"published {paths.working_path} to {paths.duckdb_path}")
    times = atomic_copy(paths.working_path, paths.duckdb_path)
    return PublishResult(paths.duckdb_path, paths.working_path, times, "skipped" if result is None else "passed")


def install_audit_docs(paths: Paths, site_dir: Path) -> Path | None:
    """Copy the audit's data docs into `<site_dir>/quality` (swapped in whole); their index, or None."""
    from pipelines.quality.docs import DOCS_FOLDER, swap_in

    source = audit_docs_dir(paths) / DOCS_FOLDER
    if not (source / "index.html").is_file():
        return None
    staging = site_dir / f".{DOCS_FOLDER}.installing"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    return swap_in(staging, site_dir) / "index.html"
