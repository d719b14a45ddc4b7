"""Details crawl benchmark: how close the crawl of untracked catalog movies runs to the emulator's rate limit.

Run: `make bench-catalog-crawl` (or `python -m bench.catalog_crawl --catalog-size 100000 --rate-limit 40
--budget 1200`). A first run loads the day's export (no crawl); the second spends the whole details budget on the
most popular untracked movies. Prints requests per second during its extract and the ratio to the limit (goal
>= 0.9).
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from bench.rate_limited import add_rate_limit_arguments, rate_limited_emulator
from pipelines.ingest import IngestOptions, run_ingest
from pipelines.tmdb.exports import ExportSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_rate_limit_arguments(parser, rate_limit=40.0)
    parser.add_argument("--budget", type=int, default=1200, help="details requests of the crawl")
    args = parser.parse_args()
    with rate_limited_emulator(args) as run:
        emulator = run.emulator
        exports = ExportSettings(base_url=emulator.files_base_url, first_date=emulator.today)
        first = emulator.today
        run_ingest(
            IngestOptions(snapshot_date=first, top_n=0, catalog_exports=exports), run.http, run.paths, progress=False
        )
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
            run.http,
            run.paths,
            progress=False,
        )
        extract_s = run.step_seconds()["extract"]
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
