"""The embedded default: a TMDB emulator on the shipped real catalog, ingested day by day into the warehouse.

Nothing here talks to the network: the emulator listens on 127.0.0.1 and the ingestion is pointed at it with
the same code path a real TMDB run takes (only the base URL and the key differ). `serve_emulator` and
`ingest_days` are the loop `tmdb-warehouse run` (and so `demo`) runs; `run_demo` is the ingestion part alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pipelines.emulator import EmulatorConfig, TMDBEmulator
from pipelines.emulator.config import START_DATE
from pipelines.ingest import IngestOptions, IngestReport, run_ingest
from pipelines.settings import Paths, http_settings
from pipelines.tmdb.client import HttpSettings


@contextmanager
def serve_emulator(
    config: EmulatorConfig, concurrency: int | None = None
) -> Iterator[tuple[TMDBEmulator, HttpSettings]]:
    """A running emulator and the client settings pointing at it (its key, its rate limit); stopped afterwards."""
    with TMDBEmulator(config) as emulator:
        http = http_settings(
            base_url=emulator.base_url,
            api_key=config.api_key,
            access_token="",
            rate_limit=config.rate_limit,
            concurrency=concurrency,
        )
        yield emulator, http


def ingest_days(
    days: Sequence[date],
    http: HttpSettings,
    paths: Paths,
    *,
    emulator: TMDBEmulator | None = None,
    top_n: int | None = None,
    backfill_years: tuple[int, int] | None = None,
    refresh_tracked: bool = False,
    trigger: str = "manual",
    progress: bool = False,
    after_day: Callable[[IngestReport], None] = lambda report: None,
    catalog_exports: Any = None,
    person_exports: Any = None,
    details_budget: int = 0,
) -> list[IngestReport]:
    """Ingest `days` in order (the backfill with the first). With an emulator, its clock is set to each day and the
    changes feed starts at the day itself (the emulator has no history before its first day). `catalog_exports`
    (an `ExportSettings`) adds TMDB's daily ID exports, `person_exports` its daily person export, `details_budget`
    the details crawl (`IngestOptions`)."""
    reports = []
    for index, day in enumerate(days):
        if emulator is not None:
            emulator.set_date(day)
        options = IngestOptions(
            snapshot_date=day,
            top_n=top_n,
            backfill_years=backfill_years if index == 0 else None,
            changes_start_date=day if emulator is not None else None,
            refresh_tracked=refresh_tracked,
            trigger=trigger,
            catalog_exports=catalog_exports,
            person_exports=person_exports,
            details_budget=details_budget,
        )
        reports.append(run_ingest(options, http, paths, progress=progress))
        after_day(reports[-1])
    return reports


@dataclass(frozen=True)
class DemoOptions:
    days: int = 14
    seed: int = 42
    start_date: date = START_DATE
    top_n: int | None = None
    rate_limit: float = 40.0
    concurrency: int | None = None
    backfill_years: tuple[int, int] | None = None


def run_demo(
    options: DemoOptions, paths: Paths, echo: Callable[[str], None] = print, progress: bool = True
) -> list[IngestReport]:
    """Start the emulator, ingest `days` simulated days (the first is the initial load), stop the emulator."""
    config = EmulatorConfig(seed=options.seed, start_date=options.start_date, rate_limit=options.rate_limit)
    days = [options.start_date + timedelta(days=offset) for offset in range(options.days)]
    with serve_emulator(config, options.concurrency) as (emulator, http):
        echo(f"TMDB emulator on {emulator.base_url} (seed {options.seed}); working copy {paths.working_path}")
        return ingest_days(
            days,
            http,
            paths,
            emulator=emulator,
            top_n=options.top_n,
            backfill_years=options.backfill_years,
            trigger="demo",
            progress=progress,
            after_day=lambda report: echo(
                f"day {days.index(report.snapshot_date) + 1}/{len(days)}: {report.summary()}"
            ),
        )
