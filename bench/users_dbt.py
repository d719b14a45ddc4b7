"""dbt benchmark of the user models: EVENTS events of history, full refresh vs one day's increment.

Run: `make bench-users-dbt` (or `python -m bench.users_dbt --events 10000000`). Generates raw.events directly in
DuckDB SQL (bench/users_history.py: sessions, power-law users and movies, the event type mix, ratings on the
half-star grid, late events) and the catalog tables the user models read, in a temporary warehouse; then times
`dbt run` of every model downstream of the events (staging, intermediate/users, marts/users):

1. a full refresh on DAYS days of history;
2. one day's increment: the next day's events plus the late events of the days before it that arrive that day;

and prints their ratio (goal <= 0.1), each model's time in both runs (from dbt's run_results.json, as in
bench/dbt_incremental.py, whose helpers this reuses) and the dbt process's peak resident memory. The machine may
be shared: the 1-minute load average is printed next to each figure.

What "a day's increment" includes: every user model but `user_recommendations` (tag `recommendations`), whose
item-item similarities read every rating whenever it runs (README, "Users, incrementally": its own schedule). It
is timed on its own after each of the two runs, and the ratio with it in both runs is printed too.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import bench.dbt_incremental as base
from bench.users_history import Shape, generate_day, generate_history
from bench.workdir import bench_workdir

base.MODELS = ("stg_events__events+", "stg_events__quarantine+")
# on its own schedule, not in the daily increment (dbt_project.yml)
RECOMMENDATIONS = "tag:recommendations"


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def per_model_table(full: base.Run, increment: base.Run) -> str:
    lines = [f"  {'model':<32} {'full':>8} {'increment':>10}  ratio"]
    for name, secs in sorted(full.per_model.items(), key=lambda item: -item[1]):
        inc = increment.per_model.get(name, 0.0)
        lines.append(f"  {name:<32} {secs:7.1f}s {inc:9.1f}s  {inc / secs if secs else 0:5.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000_000, help="events of history (100,000,000)")
    parser.add_argument("--days", type=int, default=365, help="days of history (365)")
    parser.add_argument("--users", type=int, help="users (default: events / 1,000)")
    parser.add_argument("--movies", type=int, default=20_000, help="movies in the catalog (20,000)")
    parser.add_argument("--workdir", type=Path, help="where the files go; kept (default: a temporary folder)")
    args = parser.parse_args()
    shape = Shape(args.events, args.days, args.users or max(100, args.events // 1000), args.movies)
    with bench_workdir(args.workdir, "bench-users-dbt-") as workdir:
        target = workdir / "target"
        path = workdir / "users.duckdb"
        print(f"synthetic user events in {workdir}; {os.cpu_count()} cores; dbt threads from profiles.yml")
        rows, secs = generate_history(path, shape)
        print(
            f"generated {rows:,} events ({shape.users:,} users, {shape.movies:,} movies, {shape.days} days) "
            f"in {secs:.0f}s ({load()})"
        )
        full = base.dbt_run(
            path, f"full refresh, {shape.days} days", target, full_refresh=True, exclude=RECOMMENDATIONS
        )
        print(f"{full.line()}  ({load()})")
        recs_full = base.dbt_run(path, "user_recommendations", target, select=(RECOMMENDATIONS,))
        print(f"{recs_full.line()}  ({load()})")
        rows, _ = generate_day(path, shape, shape.days)
        print(f"day {shape.days + 1}: {rows:,} events (its own and late ones of the 3 days before)")
        increment = base.dbt_run(path, f"one day's increment (day {shape.days + 1})", target, exclude=RECOMMENDATIONS)
        print(f"{increment.line()}  ({load()})")
        recs_increment = base.dbt_run(path, "user_recommendations", target, select=(RECOMMENDATIONS,))
        print(f"{recs_increment.line()}  ({load()})")
        print(per_model_table(full, increment))
        print(
            f"increment / full refresh (user_recommendations on its own schedule): "
            f"{increment.models_s / full.models_s:.3f} (goal <= 0.1); wall {increment.wall_s / full.wall_s:.3f}; "
            f"CPU {increment.cpu_s:.0f}s / {full.cpu_s:.0f}s = {increment.cpu_s / full.cpu_s:.3f}; "
            f"peak {max(full.peak_mb, increment.peak_mb) / 1024:.2f} GB"
        )
        with_recs = (increment.models_s + recs_increment.models_s) / (full.models_s + recs_full.models_s)
        cpu_with_recs = (increment.cpu_s + recs_increment.cpu_s) / (full.cpu_s + recs_full.cpu_s)
        print(f"with user_recommendations in both: {with_recs:.3f}; CPU {cpu_with_recs:.3f}")


if __name__ == "__main__":
    main()
