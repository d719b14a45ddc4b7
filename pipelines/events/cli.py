"""`tmdb-warehouse events-simulate`, `events-load` and `recs-eval` (the `add_arguments`/`run` pairs
`pipelines.cli` registers).

Exit status: 0 done; 2 no events location, a load that failed, or no published warehouse to evaluate (one line
saying what and where).
"""

from __future__ import annotations

import argparse
from datetime import date

import yaml

from pipelines.cli_types import add_duckdb_path, at_least, fail
from pipelines.emulator.config import START_DATE
from pipelines.events.evaluate import evaluate_recommendations
from pipelines.events.load import EVENTS_URL_ENV, EventsLoadError, events_url, load_events
from pipelines.events.simulate import SimulationConfig, simulate
from pipelines.lake import add_destination_arguments, lake_url
from pipelines.lock import warehouse_lock
from pipelines.settings import Paths


def _url_argument(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--url", help=f"{what}: a folder or fsspec URL, e.g. s3://bucket/events (${EVENTS_URL_ENV})")


class Simulate:
    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        _url_argument(parser, "where the NDJSON files go")
        parser.add_argument("--seed", type=int, default=42, help="the seed: same seed, same files (42)")
        parser.add_argument("--start-date", type=date.fromisoformat, default=START_DATE, help="first day (2017-01-20)")
        parser.add_argument("--days", type=at_least(1), default=14, help="days of traffic (14)")
        parser.add_argument("--users", type=at_least(1), default=2000, help="users (2000)")
        parser.add_argument("--no-gzip", action="store_true", help="plain .ndjson files instead of .ndjson.gz")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        try:
            url = events_url(args.url)
        except EventsLoadError as exc:
            return fail(exc)
        config = SimulationConfig(
            seed=args.seed, start_date=args.start_date, days=args.days, users=args.users, gzip=not args.no_gzip
        )
        print(simulate(config, url).summary())
        return 0


class Load:
    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        _url_argument(parser, "the landing location to load new files from")
        add_duckdb_path(parser, "the load writes its working copy")
        add_destination_arguments(parser)

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        try:
            url = events_url(args.url)
            paths = Paths.from_env(args.duckdb_path)
            with warehouse_lock(paths.working_path, "events-load", readers_path=paths.duckdb_path):
                lake = lake_url(args.lake_url) if args.destination == "lake" else None
                print(load_events(url, paths, lake=lake).summary())
        except EventsLoadError as exc:
            return fail(exc)
        return 0


class RecsEval:
    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        add_duckdb_path(parser, what="the published warehouse to evaluate")
        parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
        parser.add_argument(
            "--vars", type=yaml.safe_load, help="dbt vars for the evaluated model, e.g. '{recs_cf_weight: 0.3}'"
        )

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        published = Paths.from_env(args.duckdb_path).duckdb_path
        if not published.exists():
            return fail(
                f"{published} does not exist: run `tmdb-warehouse demo` (or `run`) first, or pass --duckdb-path"
            )
        result = evaluate_recommendations(published, dbt_vars=args.vars)
        print(result.as_json() if args.json else "\n".join(result.lines()))
        return 0
