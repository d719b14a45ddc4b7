"""`<cli> quality`: run the data quality suites on the warehouse, alone or after `dbt build` in the chain.

It checks the WORKING copy by default (the chain's audit does the same before publishing; `tmdb-warehouse
publish` audits and publishes), or any file given with --duckdb-path; the results are appended to that file.

Exit status: 0 when no critical expectation failed (warnings are printed, not fatal), 1 when at least one
did (one line per failure), 2 when the warehouse can't be read or written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_SITE_DIR = "site"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `quality` subcommand's options (--duckdb-path, --site-dir, --no-docs)."""
    parser.add_argument(
        "--duckdb-path",
        help="the warehouse file to check (default: the working copy, $TMDB_WORKING_DUCKDB_PATH or "
        "work/<name> beside $TMDB_DUCKDB_PATH, i.e. warehouse/work/tmdb.duckdb)",
    )
    parser.add_argument(
        "--site-dir",
        default=DEFAULT_SITE_DIR,
        help=f"the static site folder; GX data docs go to <site-dir>/quality/ (default: {DEFAULT_SITE_DIR})",
    )
    parser.add_argument("--no-docs", action="store_true", help="don't build the GX data docs")
    parser.add_argument(
        "--dbt-run-results",
        metavar="FILE",
        help="the run_results.json of the dbt build that made the warehouse: its data and unit tests join the "
        "results and the score as suite dbt (e.g. target/run_results.json; default: GX's suites only)",
    )


def run(args: argparse.Namespace) -> int:
    from pipelines.quality.runner import QualityError, run_quality
    from pipelines.settings import Paths

    duckdb_path = Path(args.duckdb_path) if args.duckdb_path else Paths.from_env().working_path
    site_dir = None if args.no_docs else Path(args.site_dir)
    dbt_results = Path(args.dbt_run_results) if getattr(args, "dbt_run_results", None) else None
    try:
        result = run_quality(duckdb_path, site_dir, dbt_run_results=dbt_results)
    except QualityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.summary())
    if not result.success:
        print(f"quality: {len(result.critical_failures)} critical failures", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.quality", description=__doc__.split("\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
