"""Daily ID export benchmark: one export of a synthetic 1.1M-movie catalog ingested through the real pipeline.

Run: `make bench-catalog-ingest` (or `python -m bench.catalog_ingest --catalog-size 1100000`). The emulator runs in
a child process (its catalog and the day's gzip are built before the clock starts), so the peak memory printed is
the ingestion's own (this process: download, parse, dlt extract, normalize and load into DuckDB). Goals: <= 60 s
wall, <= 1 GB peak.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from pipelines.emulator import EmulatorConfig, TMDBEmulator
from pipelines.ingest import IngestOptions, make_pipeline, run_ingest
from pipelines.settings import Paths
from pipelines.tmdb.client import HttpSettings
from pipelines.tmdb.exports import CATALOG_RESOURCES, ExportSettings


def serve(size: int, ready: Any, stop: Any) -> None:
    config = EmulatorConfig(catalog="synthetic", synthetic_size=size, rate_limit=0)
    with TMDBEmulator(config) as emulator:
        started = time.perf_counter()
        body = emulator.exports.file(emulator.today)
        ready.put(
            (emulator.base_url, emulator.files_base_url, emulator.today, len(body), time.perf_counter() - started)
        )
        stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalog-size", type=int, default=1_100_000)
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    ready, stop = ctx.Queue(), ctx.Event()
    child = ctx.Process(target=serve, args=(args.catalog_size, ready, stop), daemon=True)
    child.start()
    base_url, files_url, day, size, built_s = ready.get(timeout=600)
    print(
        f"emulator: {args.catalog_size:,} synthetic movies, export of {day}: "
        f"{size / 1e6:.1f} MB gzip (built in {built_s:.1f}s)"
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            paths = Paths(duckdb_path=Path(tmp) / "bench.duckdb", pipelines_dir=str(Path(tmp) / "pipelines"))
            http = HttpSettings(base_url=base_url, api_key="emulator-key", rate_limit=0)
            options = IngestOptions(
                snapshot_date=day,
                top_n=0,
                catalog_exports=ExportSettings(base_url=files_url, first_date=day),
                resources=CATALOG_RESOURCES,
            )
            started = time.perf_counter()
            report = run_ingest(options, http, paths, progress=False)
            wall = time.perf_counter() - started
            trace = make_pipeline(paths).last_trace
            steps = {s.step: (s.finished_at - s.started_at).total_seconds() for s in trace.steps}
    finally:
        stop.set()
        child.join(timeout=30)
    rows = report.rows.get("movie_catalog_daily", 0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"ingested {rows:,} rows in {wall:.1f}s wall (goal <= 60s): extract {steps.get('extract', 0):.1f}s "
        f"(download + parse), normalize {steps.get('normalize', 0):.1f}s, load {steps.get('load', 0):.1f}s"
    )
    print(f"peak memory of the ingestion process: {peak_mb:,.0f} MB (goal <= 1,024 MB)")


if __name__ == "__main__":
    main()
