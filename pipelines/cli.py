"""`tmdb-warehouse`: the project's one console script (also `python -m pipelines`).

Subcommands:
  emulator  serve the local TMDB emulator (for tests, demos, or pointing any TMDB client at it)
  ingest    ingest one day from TMDB (or whatever TMDB_API_BASE_URL points at) into the warehouse
  demo      start the emulator and ingest N simulated days into the warehouse: the embedded default
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime

from pipelines.ingest import IngestError, IngestOptions, run_ingest
from pipelines.settings import Paths, http_settings, source_defaults
from pipelines.tmdb.http import TMDBError


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (expected YYYY-MM-DD)") from None


def _year_range(value: str) -> tuple[int, int]:
    try:
        first, _, last = value.partition("-")
        years = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year range: {value!r} (expected e.g. 2000-2024)") from None
    if years[0] > years[1]:
        raise argparse.ArgumentTypeError(f"empty year range: {value!r} (first year after last)")
    return years


def _add_warehouse_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--duckdb-path", help="the warehouse file (default: $TMDB_DUCKDB_PATH or warehouse/tmdb.duckdb)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress display")


def _add_ingest_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = source_defaults()
    parser.add_argument("--top-n", type=int, default=defaults["top_n"], help="most popular movies to track (1000)")
    parser.add_argument(
        "--backfill-years", type=_year_range, help="also discover every movie of these years, e.g. 2000-2024"
    )
    parser.add_argument("--rate-limit", type=float, help="client requests per second (40)")
    parser.add_argument("--concurrency", type=int, help="details requests in flight (8)")


def build_parser() -> argparse.ArgumentParser:
    from pipelines.emulator import cli as emulator_cli

    parser = argparse.ArgumentParser(prog="tmdb-warehouse", description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log dlt's and our INFO messages")
    commands = parser.add_subparsers(dest="command", required=True)

    emulator = commands.add_parser("emulator", help="serve the local TMDB emulator")
    emulator_cli.add_arguments(emulator)

    ingest = commands.add_parser("ingest", help="ingest one day from TMDB into the warehouse")
    ingest.add_argument("--date", type=_date, help="the ingestion day (default: today, UTC)")
    ingest.add_argument("--changes-start-date", type=_date, help="first day of the changes feed on a first run")
    ingest.add_argument("--refresh-tracked", action="store_true", help="refetch details of every tracked movie")
    ingest.add_argument("--base-url", help="TMDB API base URL (default: $TMDB_API_BASE_URL or TMDB's)")
    ingest.add_argument("--trigger", default="manual", help="recorded in the run log (manual, scheduled, ...)")
    _add_ingest_arguments(ingest)
    _add_warehouse_arguments(ingest)

    demo = commands.add_parser("demo", help="ingest N simulated days from the embedded TMDB emulator")
    demo.add_argument("--days", type=int, default=14, help="simulated days to ingest (14)")
    demo.add_argument("--seed", type=int, default=42, help="the emulator's seed (42)")
    demo.add_argument("--start-date", type=_date, default=date(2017, 1, 20), help="first simulated day")
    _add_ingest_arguments(demo)
    _add_warehouse_arguments(demo)
    return parser


def _ingest(args: argparse.Namespace) -> int:
    http = http_settings(base_url=args.base_url, rate_limit=args.rate_limit, concurrency=args.concurrency)
    options = IngestOptions(
        snapshot_date=args.date or datetime.now(UTC).date(),
        top_n=args.top_n,
        backfill_years=args.backfill_years,
        changes_start_date=args.changes_start_date or source_defaults()["changes_start_date"],
        refresh_tracked=args.refresh_tracked,
        trigger=args.trigger,
    )
    report = run_ingest(options, http, Paths.from_env(args.duckdb_path), progress=not args.no_progress)
    print(report.summary())
    return 0


def _demo(args: argparse.Namespace) -> int:
    from pipelines.demo import DemoOptions, run_demo

    options = DemoOptions(
        days=args.days,
        seed=args.seed,
        start_date=args.start_date,
        top_n=args.top_n,
        rate_limit=args.rate_limit or 40.0,
        concurrency=args.concurrency or 8,
        backfill_years=args.backfill_years,
    )
    run_demo(options, Paths.from_env(args.duckdb_path), progress=not args.no_progress)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        if args.command == "emulator":
            from pipelines.emulator import cli as emulator_cli

            return emulator_cli.run(args)
        if args.command == "ingest":
            return _ingest(args)
        return _demo(args)
    except (TMDBError, IngestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
