"""`tmdb-warehouse report`: render reports/ against the warehouse into a static site (also
`python -m pipelines.reports`). The last line printed is the site's index path."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.cli_types import add_duckdb_path
from pipelines.reports.dbt_docs import DbtDocsError
from pipelines.reports.errors import SiteBuildError
from pipelines.reports.site_builder import DEFAULT_MAX_ROWS, build_site
from pipelines.settings import Paths
from pipelines.transform import DbtError, dbt_docs_generate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_duckdb_path(parser, "opened read-only")
    parser.add_argument("--pages", type=Path, default=Path("reports"), help="folder of report pages (reports/)")
    parser.add_argument("--out", type=Path, default=Path("site"), help="folder to write the site to (site/)")
    parser.add_argument(
        "--with-dbt-docs",
        action="store_true",
        help="run `dbt docs generate` and put dbt's docs site in <out>/dbt-docs/, linked from the index",
    )
    parser.add_argument(
        "--dbt-project-dir", type=Path, default=Path("."), help="the dbt project, for --with-dbt-docs (.)"
    )
    parser.add_argument(
        "--dbt-target-path", type=Path, default=Path("target"), help="dbt's target folder, for --with-dbt-docs"
    )
    parser.add_argument(
        "--strict", action="store_true", help="a table missing from the warehouse fails the build (default: notice)"
    )
    parser.add_argument(
        "--max-rows", type=int, default=DEFAULT_MAX_ROWS, help=f"rows of a query put in a page ({DEFAULT_MAX_ROWS:,})"
    )


def run(args: argparse.Namespace) -> int:
    duckdb_path = Path(args.duckdb_path) if args.duckdb_path else Paths.from_env().duckdb_path
    if not duckdb_path.is_file():
        print(f"report: warehouse not found: {duckdb_path} (run `tmdb-warehouse demo` first)", file=sys.stderr)
        return 2
    dbt_docs_dir = None
    try:
        if args.with_dbt_docs:
            dbt_docs_dir = dbt_docs_generate(
                duckdb_path, project_dir=args.dbt_project_dir, target_path=args.dbt_target_path
            )
        result = build_site(duckdb_path, args.pages, args.out, dbt_docs_dir, strict=args.strict, max_rows=args.max_rows)
    except (SiteBuildError, DbtDocsError, DbtError, FileNotFoundError, FileExistsError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"report: {result.summary()}")
    print(result.index_path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.reports", description=__doc__.split("\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
