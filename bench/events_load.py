"""User-events load benchmark: N events of NDJSON through the dlt source `events` into a DuckDB file.

Run: `make bench-events` (or `python -m bench.events_load --events 10000000`). The input is the simulator's
traffic (`events-simulate`, with its late, duplicate and malformed lines), replicated with new event ids inside
each producer-hour file until it holds N lines, gzipped like a collector's files. The load runs as
`tmdb-warehouse events-load` in a child process; printed: lines per second over the child's wall time (goal >=
100,000 on 2 cores), its peak memory (goal <= 2 GB), its CPU time, and what landed where.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from pipelines.events.simulate import SimulationConfig, simulate
from pipelines.settings import Paths

GOAL_EVENTS_PER_S = 100_000
GOAL_PEAK_GB = 2.0


def _replicate(base: Path, landing: Path, lines_wanted: int) -> int:
    """The simulator's files, each holding as many copies of itself as make `lines_wanted` lines in all (copy k's
    event ids prefixed with k): the same files a collector would write for k times the traffic, one per producer
    per hour, rather than k times as many files."""
    files = [(path.relative_to(base), gzip.decompress(path.read_bytes())) for path in sorted(base.rglob("*.gz"))]
    per_copy = sum(data.count(b"\n") for _, data in files)
    copies = -(-lines_wanted // per_copy)
    for relative, data in files:
        target = landing / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        body = b"".join(data.replace(b'"event_id":"', f'"event_id":"{copy}-'.encode()) for copy in range(copies))
        target.write_bytes(gzip.compress(body, 1))
    return per_copy * copies


def _tree_rss(pid: int) -> int:
    """Resident bytes of process `pid` and its children (the load's parse workers), from /proc; 0 elsewhere."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:  # the process ended meanwhile
            continue
        if int(fields.get("Pid", 0)) == pid or int(fields.get("PPid", 0)) == pid:
            total += int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    return total


def _own_cpu(pid: int) -> float:
    """CPU seconds process `pid` used itself (not its children), from /proc; 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _run_sampling(command: list[str], env: dict[str, str]) -> tuple[int, list[float], float]:
    """Run `command`; the peak of its and its children's summed resident memory, the 1-minute load averages seen
    while it ran and the CPU seconds of the process itself, without its children (sampled every 0.2 s)."""
    process = subprocess.Popen(command, env=env)
    peak, loads, own_cpu = 0, [os.getloadavg()[0]], 0.0

    def sample() -> None:
        nonlocal peak, own_cpu
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            own_cpu = max(own_cpu, _own_cpu(process.pid))
            loads.append(os.getloadavg()[0])
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if process.wait() != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    sampler.join()
    return peak, loads, own_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000, help="lines to load (10,000,000)")
    parser.add_argument("--users", type=int, default=20_000, help="users in the simulated base traffic")
    parser.add_argument("--landing", type=Path, help="load this landing folder instead of making one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-events-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        landing = args.landing or root / "landing"
        if args.landing:  # an input made before (by this benchmark): the same files, no time to make them
            lines = sum(gzip.decompress(path.read_bytes()).count(b"\n") for path in landing.rglob("*.gz"))
        else:
            simulate(SimulationConfig(days=7, users=args.users), str(root / "base"))
            lines = _replicate(root / "base", landing, args.events)
        stored = [p.stat().st_size for p in landing.rglob("*.gz")]
        files, size_mb = len(stored), sum(stored) / 1e6
        made_s = time.perf_counter() - started
        print(f"input: {lines:,} lines in {files:,} files, {size_mb:,.0f} MB of gzipped NDJSON, made in {made_s:.0f}s")

        paths = Paths(duckdb_path=root / "warehouse" / "tmdb.duckdb", pipelines_dir=str(root / "dlt"))
        env = {**os.environ, "TMDB_PIPELINES_DIR": str(paths.pipelines_dir)}
        command = [
            sys.executable,
            "-m",
            "pipelines",
            "events-load",
            "--url",
            str(landing),
            "--duckdb-path",
            str(paths.duckdb_path),
        ]
        loaded = time.perf_counter()
        tree_peak, loads, own_cpu = _run_sampling(command, env)
        wall = time.perf_counter() - loaded
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the load and its parse workers
        # the largest process's peak (getrusage), or all of them together when /proc tells
        peak_gb, cpu_s = max(usage.ru_maxrss * 1024, tree_peak) / 1024**3, usage.ru_utime + usage.ru_stime
        with duckdb.connect(str(paths.working_path), read_only=True) as con:
            events = con.execute("select count(*) from raw.events").fetchone()[0]
            quarantined = con.execute("select count(*) from raw.events_quarantine").fetchone()[0]
        rate = lines / wall
        print(f"loaded: {events:,} events (after merging duplicates) + {quarantined:,} quarantined lines")
        print(
            f"load: {wall:.1f}s wall -> {rate:,.0f} lines/s, {events / wall:,.0f} distinct events/s (goal >= "
            f"{GOAL_EVENTS_PER_S:,} events/s, ratio {rate / GOAL_EVENTS_PER_S:.2f} counting every line, "
            f"{events / wall / GOAL_EVENTS_PER_S:.2f} counting distinct events only); peak memory {peak_gb:.2f} GB "
            f"(goal <= {GOAL_PEAK_GB}, ratio {peak_gb / GOAL_PEAK_GB:.2f}); 1-min load average {os.getloadavg()[0]:.1f}"
        )
        # The machine's other work stretches the wall time, not the CPU time the load itself needs.
        print(
            f"cpu: {cpu_s:.1f}s user+system -> {lines / cpu_s:,.0f} lines per CPU-second; of which the load process "
            f"itself {own_cpu:.1f}s, its parse workers {cpu_s - own_cpu:.1f}s"
        )
        workers = os.environ.get("SOURCES__EVENTS__PARSE_WORKERS") or "the default"
        print(
            f"parse workers: {workers} (machine: {os.cpu_count()} cores); 1-min load average during the load: "
            f"{min(loads):.1f} to {max(loads):.1f}"
        )


if __name__ == "__main__":
    main()
