"""Ingestion benchmark: the tmdb pipeline against the emulator's synthetic catalog behind a rate limit.

Run: `make bench-ingest` (or `python -m bench.ingest --catalog-size 100000 --rate-limit 50 --top-n 2000`).
Prints requests per second achieved and its ratio to the limit (goal >= 0.9), where requests are the attempts the
server accepted (a 429 is not throughput) made during dlt's extract step, over that step's wall time; then where
the extract's time went (bench/ingest_profile.py), peak memory of this process (emulator + pipeline, both in it),
rows per second through dlt's normalize and load steps, CPU seconds and the 1-minute load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from datetime import date

from bench.ingest_profile import accepted, attempts_in, recording
from bench.ingest_profile import report as breakdown
from bench.rate_limited import add_rate_limit_arguments, rate_limited_emulator
from pipelines.ingest import IngestOptions, run_ingest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_rate_limit_arguments(parser, rate_limit=50.0)
    parser.add_argument("--top-n", type=int, default=2000, help="movies discovered and fetched in detail")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    built = time.perf_counter()
    with rate_limited_emulator(args) as run, recording() as recorder:
        build_s = time.perf_counter() - built
        day = run.emulator.today
        cpu = time.process_time()
        report = run_ingest(IngestOptions(snapshot_date=day, top_n=args.top_n), run.http, run.paths, progress=False)
        cpu_s = time.process_time() - cpu
        times = run.step_times()
        steps = run.step_seconds()
        extract_s, normalize_s, load_s = steps["extract"], steps["normalize"], steps["load"]
        rows = sum(report.rows.values())
    lines = breakdown(recorder, times["extract"], args.rate_limit)

    done = accepted(attempts_in(recorder, times["extract"]))
    achieved = done / extract_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"catalog: {args.catalog_size:,} synthetic movies (built, people indexed in {build_s:.1f}s); "
        f"day {date.isoformat(day)}"
    )
    print(
        f"requests: {done:,} accepted in {extract_s:.1f}s extract -> {achieved:.1f} req/s "
        f"(limit {args.rate_limit:g}, ratio {achieved / args.rate_limit:.2f}, goal >= 0.90); "
        f"all attempts of the run: {report.requests['requests']:,}, "
        f"429s: {report.requests['rate_limited']}, retries: {report.requests['retries']}"
    )
    print(
        f"rows: {rows:,} -> normalize {normalize_s:.1f}s ({rows / normalize_s:,.0f} rows/s), "
        f"load {load_s:.1f}s ({rows / load_s:,.0f} rows/s)"
    )
    print("\n".join(lines))
    print(f"peak memory (emulator + pipeline): {peak_mb:,.0f} MB")
    print(
        f"CPU: {cpu_s:.1f}s for the run (emulator + pipeline, one process); "
        f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    )


if __name__ == "__main__":
    main()
