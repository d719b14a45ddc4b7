"""`tmdb-warehouse publish`: audit the working copy (the quality checkpoint) and publish it, e.g. after a
hand-run `dbt build` or `dlt pipeline tmdb ...`, or after fixing what blocked a run's audit.

Exit status: 0 published; 1 the audit found critical failures (nothing published; one line says what to do);
2 the working copy is missing or held by another writer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.cli_types import add_duckdb_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_duckdb_path(parser, "the working copy is derived from it ($TMDB_WORKING_DUCKDB_PATH or work/ beside it)")
    parser.add_argument(
        "--site-dir",
        type=Path,
        default=Path("site"),
        help="the static site: the audit's data docs go to <site-dir>/quality/ once published (site/)",
    )
    parser.add_argument(
        "--no-audit",
        action="store_true",
        help="publish without running the quality checkpoint (recorded as audit 'skipped' in quality.publish_log)",
    )


def run(args: argparse.Namespace) -> int:
    from pipelines.lock import warehouse_lock
    from pipelines.publish import audit, install_audit_docs, publish, remove_stale_copy
    from pipelines.settings import Paths

    paths = Paths.from_env(args.duckdb_path)
    if not paths.working_path.is_file():
        print(f"error: no working copy at {paths.working_path}: run `tmdb-warehouse run` first", file=sys.stderr)
        return 2
    with warehouse_lock(paths.working_path, "publish", readers_path=paths.duckdb_path):
        remove_stale_copy(paths.duckdb_path)
        result = None if args.no_audit else audit(paths)
        if result is not None:
            print(result.headline())
        published = publish(paths, result)  # AuditFailed: pipelines.cli prints its line, exit 1
        if result is not None:
            install_audit_docs(paths, args.site_dir)
    print(published.summary())
    print(f"the report pages show it after `tmdb-warehouse report --duckdb-path {paths.duckdb_path}`")
    return 0
