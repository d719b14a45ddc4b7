"""`tmdb-warehouse`: the project's one console script (also `python -m pipelines`).

Subcommands:
  run       the whole chain: ingest -> dbt build -> moods -> quality (audit) -> publish -> reports and docs
  demo      `run` on the embedded default: the local TMDB emulator and the embedded LLM (README's main job)
  ingest    ingest one day from TMDB (or whatever TMDB_API_BASE_URL points at) into the warehouse
  quality   the data-quality checkpoints alone (Great Expectations), results into the warehouse
  publish   audit the working copy and publish it to the path readers open (after a hand-run dbt build)
  report    the static site alone: report pages (+ dbt docs) rendered from the warehouse
  moods-eval  accuracy on a labelled set (--labels) against the genre baseline, or agreement with genre priors
  backup    back up the working copy and dlt's state to a folder or fsspec URL (--list, --keep N)
  restore   restore a backup into the working copy and dlt's state, then publish it
  events-simulate  write simulated user events (NDJSON files) for the emulator's catalog and days
  events-load      load new user-event files into the warehouse (raw.events, raw.events_quarantine)
  recs-eval        the user recommendations evaluated offline (time split) against a popularity baseline
  emulator  serve the local TMDB emulator (for tests, demos, or pointing any TMDB client at it)
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from pipelines.cli_types import add_duckdb_path, at_least
from pipelines.emulator import cli as emulator_cli
from pipelines.events.chain import DEMO_USERS
from pipelines.ingest import IngestError, IngestOptions, run_ingest
from pipelines.lake import add_destination_arguments
from pipelines.lock import WarehouseBusyError, duckdb_lock_conflict, warehouse_lock
from pipelines.publish import AuditFailed
from pipelines.quality.runner import QualityCheckFailed, QualityError
from pipelines.run import STEPS, RunOptions, days_back, resolve_source, run_chain
from pipelines.settings import REPO_ROOT, Paths, http_settings
from pipelines.tmdb.client import TMDBError
from pipelines.tmdb.crawl import DEFAULT_DETAILS_BUDGET
from pipelines.tmdb.exports import ExportSettings, files_base_url_for
from pipelines.transform import DbtError
from pipelines.warehouse_file import WarehouseFileError, check_warehouse_file


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


def _date_range(value: str) -> tuple[date, date]:
    first, sep, last = value.partition("..")
    if not sep:
        raise argparse.ArgumentTypeError(
            f"not a date range: {value!r} (expected FIRST..LAST, e.g. 2024-01-01..2024-01-14)"
        )
    days = _date(first), _date(last)
    if days[0] > days[1]:
        raise argparse.ArgumentTypeError(f"empty date range: {value!r} (first day after last)")
    return days


def _rate(value: str) -> float:
    """An argparse type: requests per second, more than 0."""
    try:
        rate = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < rate < float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0 requests per second, not {value}")
    return rate


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (what, where, how to fix) instead of the usage block."""

    def error(self, message: str) -> Any:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_warehouse_arguments(parser: argparse.ArgumentParser) -> None:
    add_duckdb_path(parser, "writers act on its working copy ($TMDB_WORKING_DUCKDB_PATH or work/ beside it)")
    parser.add_argument("--no-progress", action="store_true", help="no progress display")


def _add_ingest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--top-n",
        type=at_least(0),
        help="most popular movies to track (1000; 0: none, only tracked movies' changes and --backfill-years)",
    )
    parser.add_argument(
        "--backfill-years", type=_year_range, help="also discover every movie of these years, e.g. 2000-2024"
    )
    parser.add_argument("--rate-limit", type=_rate, help="client requests per second, more than 0 (40)")
    parser.add_argument("--concurrency", type=at_least(1), help="details requests in flight, 1 or more (8)")
    parser.add_argument(
        "--details-budget",
        type=at_least(0),
        help="details requests a run spends on untracked movies of the daily ID exports, breakouts first "
        "(2000; the emulator chain: 100; 0: none)",
    )
    parser.add_argument(
        "--no-catalog-exports",
        action="store_true",
        help="skip TMDB's daily ID exports (the whole catalog, and the person export)",
    )


def _tools() -> dict[str, tuple[Any, str]]:
    """The subcommands each package brings (its `cli` module's `add_arguments` and `run`), with their help."""
    from pipelines.backup import cli as backup_cli
    from pipelines.events import cli as events_cli
    from pipelines.moods import cli as moods_cli
    from pipelines.publish import cli as publish_cli
    from pipelines.quality import cli as quality_cli
    from pipelines.reports import cli as reports_cli

    return {
        "emulator": (emulator_cli, "serve the local TMDB emulator"),
        "quality": (quality_cli, "run the Great Expectations checkpoints alone"),
        "publish": (publish_cli, "audit the working copy and publish it to the path readers open"),
        "report": (reports_cli, "build the static site from the report pages"),
        "moods-eval": (moods_cli, "mood accuracy on a labelled set, or agreement with genre priors"),
        "backup": (backup_cli.Backup, "back up the working copy and dlt's state to a folder or fsspec URL"),
        "restore": (backup_cli.Restore, "restore a backup into the working copy and dlt's state, then publish it"),
        "events-simulate": (events_cli.Simulate, "write simulated user events (NDJSON) for the emulator's days"),
        "events-load": (events_cli.Load, "load new user-event files into the warehouse (dlt source events)"),
        "recs-eval": (events_cli.RecsEval, "the user recommendations' hit rate and NDCG@10 on a time split"),
    }


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tmdb-warehouse", description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log dlt's and our INFO messages")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (tool, help_text) in _tools().items():
        tool.add_arguments(commands.add_parser(name, help=help_text))

    ingest = commands.add_parser("ingest", help="ingest one day from TMDB into the warehouse")
    ingest.add_argument("--date", type=_date, help="the ingestion day (default: today, UTC)")
    ingest.add_argument("--changes-start-date", type=_date, help="first day of the changes feed on a first run")
    ingest.add_argument("--refresh-tracked", action="store_true", help="refetch details of every tracked movie")
    ingest.add_argument("--base-url", help="TMDB API base URL (default: $TMDB_API_BASE_URL or TMDB's)")
    ingest.add_argument("--trigger", default="manual", help="recorded in the run log (manual, scheduled, ...)")
    add_destination_arguments(ingest)
    _add_ingest_arguments(ingest)
    _add_warehouse_arguments(ingest)

    for name, help_text in (
        ("run", "ingest, dbt build, moods, quality, publish, reports: the whole chain"),
        ("demo", "the whole chain on the embedded TMDB emulator and LLM (= run --source emulator)"),
    ):
        chain = commands.add_parser(name, help=help_text)
        if name == "run":
            chain.add_argument(
                "--source",
                choices=("auto", "tmdb", "emulator"),
                default="auto",
                help="auto: TMDB when TMDB_API_KEY/TMDB_ACCESS_TOKEN is set, else the emulator",
            )
        chain.add_argument("--date", type=_date, help="ingest this day (default: today; emulator: 14 days)")
        chain.add_argument("--dates", type=_date_range, help="ingest these days, e.g. 2017-01-20..2017-02-02")
        chain.add_argument(
            "--days",
            type=at_least(1),
            help="ingest this many days (emulator: from 2017-01-20, default 14; TMDB: the days ending today)",
        )
        chain.add_argument("--refresh-tracked", action="store_true", help="refetch details of every tracked movie")
        chain.add_argument("--full-refresh", action="store_true", help="rebuild incremental dbt models from scratch")
        chain.add_argument(
            "--moods-provider",
            choices=("auto", "ollama", "embedded", "off"),
            default="auto",
            help="the LLM for moods: auto = Ollama if it answers, else embedded, else off",
        )
        chain.add_argument("--until", choices=STEPS, default="reports", help="stop after this step")
        chain.add_argument("--trigger", default="manual", help="recorded in the run log (manual, scheduled, ...)")
        chain.add_argument("--seed", type=int, default=42, help="the emulator's seed (42)")
        chain.add_argument(
            "--events-url", help="user events' landing location ($TMDB_EVENTS_URL; emulator: simulated there)"
        )
        chain.add_argument(
            "--event-users",
            type=at_least(0),
            default=DEMO_USERS,
            help=f"users in the emulator's simulated traffic ({DEMO_USERS}; 0: none)",
        )
        chain.add_argument(
            "--recs-eval",
            action=argparse.BooleanOptionalAction,
            default=name == "demo",
            help="evaluate the user recommendations offline after the moods and record the figures "
            f"(the users page shows them; {'on' if name == 'demo' else 'off'} by default)",
        )
        chain.add_argument(
            "--site-dir", type=Path, default=REPO_ROOT / "site", help="where the static site goes (site/)"
        )
        _add_ingest_arguments(chain)
        _add_warehouse_arguments(chain)
        emulator_cli.add_realism_arguments(chain)
    return parser


def _ingest(args: argparse.Namespace) -> int:
    http = http_settings(base_url=args.base_url, rate_limit=args.rate_limit, concurrency=args.concurrency)
    files_url = files_base_url_for(http.base_url)
    options = IngestOptions(
        snapshot_date=args.date or datetime.now(UTC).date(),
        top_n=args.top_n,
        backfill_years=args.backfill_years,
        changes_start_date=args.changes_start_date,
        refresh_tracked=args.refresh_tracked,
        trigger=args.trigger,
        catalog_exports=None if args.no_catalog_exports or not files_url else ExportSettings(base_url=files_url),
        person_exports=None if args.no_catalog_exports or not files_url else ExportSettings(base_url=files_url),
        details_budget=DEFAULT_DETAILS_BUDGET if args.details_budget is None else args.details_budget,
        destination=args.destination,
        lake_url=args.lake_url,
    )
    paths = Paths.from_env(args.duckdb_path)
    with warehouse_lock(paths.working_path, "ingest", readers_path=paths.duckdb_path):
        report = run_ingest(options, http, paths, progress=not args.no_progress)
    print(report.summary())
    return 0


def _run(args: argparse.Namespace) -> int:
    days: list[date] = []
    if args.date:
        days = [args.date]
    elif args.dates:
        first, last = args.dates
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    elif args.days:
        source = "emulator" if args.command == "demo" else resolve_source(args.source, http_settings())
        days = days_back(args.days, source)
    options = RunOptions(
        source="emulator" if args.command == "demo" else args.source,
        days=days,
        top_n=args.top_n,
        backfill_years=args.backfill_years,
        refresh_tracked=args.refresh_tracked,
        full_refresh=args.full_refresh,
        moods_provider=args.moods_provider,
        seed=args.seed,
        emulator_rate_limit=40.0 if args.rate_limit is None else args.rate_limit,
        emulator_realism=emulator_cli.realism_from_args(args),
        site_dir=args.site_dir,
        trigger=args.trigger,
        until=args.until,
        catalog_exports=not args.no_catalog_exports,
        details_budget=args.details_budget,
        events_url=args.events_url,
        event_users=args.event_users,
        recs_eval=args.recs_eval,
    )
    summary = run_chain(options, Paths.from_env(args.duckdb_path))
    print("summary:")
    print("\n".join(summary.lines()))
    return 0


# Errors whose message is the one line a user needs (what, where, how to fix): exit 2.
EXPECTED_ERRORS = (TMDBError, IngestError, WarehouseBusyError, WarehouseFileError, DbtError, QualityError)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        if "duckdb_path" in args:  # every subcommand that opens the warehouse
            check_warehouse_file(args.duckdb_path)
        tools = _tools()
        if args.command in tools:
            return tools[args.command][0].run(args)
        if args.command == "ingest":
            return _ingest(args)
        return _run(args)
    except AuditFailed as exc:
        print(exc.details, file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)  # the last line: what failed, where, how to fix
        return 1
    except QualityCheckFailed as exc:
        print(f"error: critical data-quality checks failed:\n{exc}", file=sys.stderr)
        return 1
    except (
        TMDBError,
        IngestError,
        WarehouseBusyError,
        WarehouseFileError,
        DbtError,
        QualityError,
        duckdb.Error,
    ) as exc:
        conflict = duckdb_lock_conflict(exc)
        if conflict is None and isinstance(exc, duckdb.Error):
            return _unexpected(exc, args.verbose)
        if args.verbose:
            traceback.print_exc()
        print(f"error: {conflict or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or an environment we did not foresee: one line, the traceback with -v
        return _unexpected(exc, args.verbose)


def _unexpected(exc: Exception, verbose: bool) -> int:
    """One line for an error no handler above expected (exit 1); the traceback too with -v."""
    if verbose:
        traceback.print_exc()
    message = " ".join(str(exc).split())
    print(f"error: {type(exc).__name__}: {message} (run with -v for the traceback)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
