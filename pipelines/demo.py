"""The embedded default: a TMDB emulator on the shipped real catalog, ingested day by day into the warehouse.

Nothing here talks to the network: the emulator listens on 127.0.0.1 and the ingestion is pointed at it with
the same code path a real TMDB run takes (only the base URL and the key differ).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from pipelines.emulator import EmulatorConfig, TMDBEmulator
from pipelines.ingest import IngestOptions, IngestReport, run_ingest
from pipelines.settings import Paths, http_settings


@dataclass(frozen=True)
class DemoOptions:
    days: int = 14
    seed: int = 42
    start_date: date = date(2017, 1, 20)
    top_n: int = 1000
    rate_limit: float = 40.0
    concurrency: int = 8
    backfill_years: tuple[int, int] | None = None


def run_demo(
    options: DemoOptions, paths: Paths, echo: Callable[[str], None] = print, progress: bool = True
) -> list[IngestReport]:
    """Start the emulator, ingest `days` simulated days (the first is the initial load), stop the emulator."""
    config = EmulatorConfig(seed=options.seed, start_date=options.start_date, rate_limit=options.rate_limit)
    reports = []
    with TMDBEmulator(config) as emulator:
        echo(f"TMDB emulator on {emulator.base_url} (seed {options.seed}); working copy {paths.working_path}")
        http = http_settings(
            base_url=emulator.base_url,
            api_key=config.api_key,
            access_token="",
            rate_limit=options.rate_limit,
            concurrency=options.concurrency,
        )
        for offset in range(options.days):
            day = options.start_date + timedelta(days=offset)
            emulator.set_date(day)
            report = run_ingest(
                IngestOptions(
                    snapshot_date=day,
                    top_n=options.top_n,
                    backfill_years=options.backfill_years if offset == 0 else None,
                    changes_start_date=day,
                    trigger="demo",
                ),
                http,
                paths,
                progress=progress,
            )
            echo(f"day {offset + 1}/{options.days}: {report.summary()}")
            reports.append(report)
    return reports
