"""Ingestion benchmark: the tmdb pipeline against the emulator's synthetic catalog behind a rate limit.

Run: `make bench-ingest` (or `python -m bench.ingest --catalog-size 100000 --rate-limit 50 --top-n 2000`).
Prints requests per second achieved and its ratio to the limit (goal >= 0.9), peak memory of this process
(emulator + pipeline, both in it), and rows per second through dlt's normalize and load steps.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from pipelines.emulator import EmulatorConfig, TMDBEmulator
from pipelines.ingest import IngestOptions, make_pipeline, run_ingest
from pipelines.settings import Paths
from pipelines.tmdb.client import HttpSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalog-size", type=int, default=100_000)
    parser.add_argument("--rate-limit", type=float, default=50.0, help="the emulator's and the client's limit")
    parser.add_argument("--top-n", type=int, default=2000, help="movies discovered and fetched in detail")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    built = time.perf_counter()
    config = EmulatorConfig(catalog="synthetic", synthetic_size=args.catalog_size, rate_limit=args.rate_limit)
    with tempfile.TemporaryDirectory() as tmp, TMDBEmulator(config) as emulator:
        build_s = time.perf_counter() - built
        day = emulator.today
        paths = Paths(duckdb_path=Path(tmp) / "bench.duckdb", pipelines_dir=str(Path(tmp) / "pipelines"))
        http = HttpSettings(
            base_url=emulator.base_url,
            api_key=config.api_key,
            rate_limit=args.rate_limit,
            concurrency=args.concurrency,
        )
        report = run_ingest(IngestOptions(snapshot_date=day, top_n=args.top_n), http, paths, progress=False)
        trace = make_pipeline(paths).last_trace
        steps = {step.step: step for step in trace.steps}
        extract_s = (steps["extract"].finished_at - steps["extract"].started_at).total_seconds()
        normalize_s = (steps["normalize"].finished_at - steps["normalize"].started_at).total_seconds()
        load_s = (steps["load"].finished_at - steps["load"].started_at).total_seconds()
        rows = sum(report.rows.values())

    requests = report.requests["requests"] - 1  # minus the credential check, made before extract starts
    achieved = requests / extract_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"catalog: {args.catalog_size:,} synthetic movies (built in {build_s:.1f}s); day {date.isoformat(day)}")
    print(
        f"requests: {requests:,} in {extract_s:.1f}s extract -> {achieved:.1f} req/s "
        f"(limit {args.rate_limit:g}, ratio {achieved / args.rate_limit:.2f}, goal >= 0.90); "
        f"429s: {report.requests['rate_limited']}, retries: {report.requests['retries']}"
    )
    print(
        f"rows: {rows:,} -> normalize {normalize_s:.1f}s ({rows / normalize_s:,.0f} rows/s), "
        f"load {load_s:.1f}s ({rows / load_s:,.0f} rows/s)"
    )
    print(f"peak memory (emulator + pipeline): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
