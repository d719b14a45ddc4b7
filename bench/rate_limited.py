"""The set-up of the benchmarks that ingest from the emulator behind a rate limit (bench/ingest.py,
bench/catalog_crawl.py): the emulator's synthetic catalog, a temporary warehouse, client settings at the same
limit, and the seconds of each step of dlt's last run."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.emulator import EmulatorConfig, TMDBEmulator
from pipelines.ingest import make_pipeline
from pipelines.settings import Paths
from pipelines.tmdb.client import HttpSettings


def add_rate_limit_arguments(parser: argparse.ArgumentParser, rate_limit: float) -> None:
    """--catalog-size (synthetic movies), --rate-limit (the emulator's and the client's) and --concurrency."""
    parser.add_argument("--catalog-size", type=int, default=100_000)
    parser.add_argument("--rate-limit", type=float, default=rate_limit, help="the emulator's and the client's limit")
    parser.add_argument("--concurrency", type=int, default=8)


@dataclass
class RateLimitedRun:
    emulator: TMDBEmulator
    paths: Paths
    http: HttpSettings

    def step_seconds(self) -> dict[str, float]:
        """Seconds of each step (extract, normalize, load) of the pipeline's last run."""
        return {step: (end - start).total_seconds() for step, (start, end) in self.step_times().items()}

    def step_times(self) -> dict[str, tuple[datetime, datetime]]:
        """Start and end (wall clock) of each step of the pipeline's last run."""
        trace = make_pipeline(self.paths).last_trace
        return {step.step: (step.started_at, step.finished_at) for step in trace.steps}


@contextmanager
def rate_limited_emulator(args: argparse.Namespace) -> Iterator[RateLimitedRun]:
    """The emulator serving `args.catalog_size` synthetic movies at `args.rate_limit` requests/s (its lazy indexes
    built), a warehouse in a temporary folder (removed afterwards), and client settings at that limit with
    `args.concurrency` in flight."""
    config = EmulatorConfig(catalog="synthetic", synthetic_size=args.catalog_size, rate_limit=args.rate_limit)
    with tempfile.TemporaryDirectory() as tmp, TMDBEmulator(config) as emulator:
        # The emulator indexes its people on the first person request, parsing every movie's credits (16 CPU
        # seconds for 100k movies): built before the clock starts, as TMDB's own servers have it ready.
        emulator.api.people.index()
        yield RateLimitedRun(
            emulator=emulator,
            paths=Paths(duckdb_path=Path(tmp) / "bench.duckdb", pipelines_dir=str(Path(tmp) / "pipelines")),
            http=HttpSettings(
                base_url=emulator.base_url,
                api_key=config.api_key,
                rate_limit=args.rate_limit,
                concurrency=args.concurrency,
            ),
        )
