"""CPU per dlt step of the user-events load: `python -m bench.events_steps --events 1130000`.

The input is `bench.events_load`'s (the simulator's traffic replicated to N lines; `--landing DIR` loads a folder
made before). The load runs in this process, one dlt run after another like `events-load`, each split into
`pipeline.extract`, `normalize` and `load`, timed with `time.process_time` (CPU of this process and its threads;
the machine's other work does not count in it, unlike the wall times also printed).
"""

from __future__ import annotations

import argparse
import gzip
import os
import tempfile
import time
from pathlib import Path

from bench.events_load import _replicate
from pipelines.events.simulate import SimulationConfig, simulate
from pipelines.events.source import events_source, shutdown_parse_pool
from pipelines.ingest import make_pipeline
from pipelines.settings import Paths

STEPS = ("extract", "normalize", "load")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_130_000, help="lines to load (1,130,000)")
    parser.add_argument("--landing", type=Path, help="load this landing folder instead of making one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-events-steps-") as tmp:
        root = Path(tmp)
        landing = args.landing or root / "landing"
        if args.landing:
            lines = sum(gzip.decompress(path.read_bytes()).count(b"\n") for path in landing.rglob("*.gz"))
        else:
            simulate(SimulationConfig(days=7, users=20_000), str(root / "base"))
            lines = _replicate(root / "base", landing, args.events)
        paths = Paths(duckdb_path=root / "warehouse" / "tmdb.duckdb", pipelines_dir=str(root / "dlt"))
        pipeline = make_pipeline(paths, "events")
        cpu = dict.fromkeys(STEPS, 0.0)
        wall = dict.fromkeys(STEPS, 0.0)
        loads = [os.getloadavg()[0]]
        runs = 0
        try:
            while True:
                for step in STEPS:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    if step == "extract":
                        pipeline.extract(events_source(url=str(landing)))
                    else:
                        getattr(pipeline, step)()
                    cpu[step] += time.process_time() - started_cpu
                    wall[step] += time.perf_counter() - started
                    loads.append(os.getloadavg()[0])
                counts = pipeline.last_trace.last_normalize_info.row_counts
                if not counts.get("events") and not counts.get("events_quarantine"):
                    break
                runs += 1
        finally:
            shutdown_parse_pool()
        with pipeline.sql_client() as client:
            events = client.execute_sql("select count(*) from events")[0][0]
            quarantined = client.execute_sql("select count(*) from events_quarantine")[0][0]
    print(f"input: {lines:,} lines; {runs} dlt runs; loaded {events:,} events + {quarantined:,} quarantined lines")
    for step in STEPS:
        print(f"{step:9} {cpu[step]:6.1f} CPU-s ({cpu[step] / lines * 1e6:4.1f} us a line), {wall[step]:6.1f}s wall")
    total = sum(cpu.values())
    print(
        f"total     {total:6.1f} CPU-s -> {lines / total:,.0f} lines per CPU-second; "
        f"1-min load average {min(loads):.1f} to {max(loads):.1f}"
    )


if __name__ == "__main__":
    main()
