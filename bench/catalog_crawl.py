"""Details crawl benchmark: how close the crawl of untracked catalog movies runs to the emulator's rate limit.

Run: `make bench-catalog-crawl` (or `python -m bench.catalog_crawl --catalog-size 100000 --rate-limit 40
--budget 1200`). A first run loads the day's export (no crawl); the second spends the whole details budget on the
most popular untracked movies. Prints requests per second during its extract and the ratio to the limit (goal
>= 0.9).
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import timedelta
from pathlib import Path

from pipelines.emulator import EmulatorConfig, TMDBEmulator
from pipelines.ingest import IngestOptions, make_pipeline, run_ingest
from pipelines.settings import Paths
from pipelines.tmdb.client import HttpSettings
from pipelines.tmdb.exports import ExportSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalog-size", type=int, default=100_000)
    parser.add_argument("--rate-limit", type=float, default=40.0, help="the emulator's and the client's limit")
    parser.add_argument("--budget", type=int, default=1200, help="details requests of the crawl")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    config = EmulatorConfig(catalog="synthetic", synthetic_size=args.catalog_size, rate_limit=args.rate_limit)
    with tempfile.TemporaryDirectory() as tmp, TMDBEmulator(config) as emulator:
        paths = Paths(duckdb_path=Path(tmp) / "bench.duckdb", pipelines_dir=str(Path(tmp) / "pipelines"))
        http = HttpSettings(
            base_url=emulator.base_url,
            api_key=config.api_key,
            rate_limit=args.rate_limit,
            concurrency=args.concurrency,
        )
        exports = ExportSettings(base_url=emulator.files_base_url, first_date=emulator.today)
        first = emulator.today
        run_ingest(IngestOptions(snapshot_date=first, top_n=0, catalog_exports=exports), http, paths, progress=False)
        day = emulator.advance(1)
        emulator.exports.file(day)  # the day's export built before the clock starts
        report = run_ingest(
            IngestOptions(
                snapshot_date=day,
                top_n=0,
                changes_start_date=first + timedelta(days=1),
                catalog_exports=exports,
                details_budget=args.budget,
            ),
            http,
            paths,
            progress=False,
        )
        trace = make_pipeline(paths).last_trace
        extract = next(s for s in trace.steps if s.step == "extract")
        extract_s = (extract.finished_at - extract.started_at).total_seconds()
    requests = report.requests["requests"] - 1  # minus the credential check, made before extract starts
    achieved = requests / extract_s
    print(
        f"crawl: budget {args.budget:,} details of a {args.catalog_size:,}-movie catalog; {requests:,} requests "
        f"in {extract_s:.1f}s extract -> {achieved:.1f} req/s (limit {args.rate_limit:g}, ratio "
        f"{achieved / args.rate_limit:.2f}, goal >= 0.90); 429s: {report.requests['rate_limited']}, "
        f"retries: {report.requests['retries']}"
    )
    print(f"details loaded: {report.rows.get('movie_details', 0):,}")


if __name__ == "__main__":
    main()
