"""dbt benchmark of the whole-catalog models: a synthetic daily ID export history, full refresh vs one day's increment.

Run: `make bench-catalog-dbt` (or `python -m bench.catalog_dbt --movies 1100000 --days 365`). Generates
raw.movie_catalog_daily directly in DuckDB SQL (MOVIES x DAYS rows, 1% of movie-days missing, one dlt-like load
id per day) in a temporary warehouse, then times `dbt run` of stg_tmdb__movie_catalog_daily,
fct_movie_popularity_daily (incremental), catalog_changes_daily and catalog_breakouts:

1. a full refresh on DAYS days, then one day's increment: their ratio (goal <= 0.1);
2. one day's increment on SHORT (30) vs DAYS days of history (goal <= 1.3x).

Times are the models' own, from dbt's run_results.json (wall time of `dbt run` in brackets), as in
bench/dbt_incremental.py, whose helpers this reuses.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

import bench.dbt_incremental as base
from bench.workdir import add_history_arguments, bench_workdir

base.MODELS = (
    "stg_tmdb__movie_status",
    "stg_tmdb__movie_status_loads",
    "fct_movie_status_daily",
    "stg_tmdb__movie_catalog_daily",
    "fct_movie_popularity_daily",
    "catalog_changes_daily",
    "catalog_breakouts",
)


def generate_days(path: Path, movies: int, first: int, last: int) -> float:
    """Append export days first..last for `movies` movies, one insert (one load id) a day."""
    started = time.perf_counter()
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists raw")
        con.execute(
            "create table if not exists raw.movie_catalog_daily (movie_id bigint not null, export_date date not null, "
            "popularity double, adult boolean, video boolean, original_title varchar, _dlt_load_id varchar not null, "
            "_dlt_id varchar)"
        )
        base.create_status_table(con)
        for day in range(first, last + 1):
            load_id = base.day_load_id(day)
            # a long tail (most movies near 0.6), a slow wave per movie, and a few movies jumping each day
            con.execute(
                f"""
                insert into raw.movie_catalog_daily
                select
                    i,
                    date '{base.FIRST_DAY.isoformat()}' + {day},
                    round(
                        (0.6 + 200.0 / (1 + i / 50.0)) * (1 + 0.2 * sin({day} / 9.0 + i % 31))
                        * case when (i * 7 + {day} * 13) % 100000 = 0 then 8 else 1 end, 3),
                    false,
                    false,
                    null,
                    '{load_id}',
                    null,
                from range(1, {movies} + 1) r(i)
                where (i * 97 + {day} * 7919) % 100 <> 0
                """
            )
        con.execute("checkpoint")
    return time.perf_counter() - started


def history_then_increment(
    path: Path, movies: int, days: int, target: Path, labels: tuple[str, str], echo: Callable[[str], None] = print
) -> tuple[base.Run, base.Run]:
    """`days` export days built whole (a full refresh), then the next day's export built as an increment; `labels`
    name the two runs, which are returned. `echo` gets what was generated and the full refresh's line."""
    secs = generate_days(path, movies, 0, days - 1)
    rows = base.rows(path, "raw.movie_catalog_daily")
    echo(f"generated {movies:,} movies x {days} days = {rows:,} rows in {secs:.0f}s")
    full = base.dbt_run(path, labels[0], target, full_refresh=True)
    echo(full.line())
    generate_days(path, movies, days, days)
    return full, base.dbt_run(path, labels[1], target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_history_arguments(parser, movies=1_100_000, days=365, days_help="days of daily ID exports")
    parser.add_argument("--short-history", type=int, default=30)
    args = parser.parse_args()
    with bench_workdir(args.workdir, "bench-catalog-dbt-") as workdir:
        target = workdir / "target"
        print(f"synthetic daily ID exports in {workdir}; {os.cpu_count()} cores")
        labels = (f"full refresh, {args.days} days", f"one day's increment (day {args.days + 1})")
        full, long = history_then_increment(workdir / "catalog_main.duckdb", args.movies, args.days, target, labels)
        print(long.line())
        print(
            f"increment / full refresh: {long.models_s / full.models_s:.3f} (goal <= 0.1); "
            f"wall {long.wall_s / full.wall_s:.3f}"
        )
        labels = ("short history build", f"increment with {args.short_history} days of history")
        _, short = history_then_increment(
            workdir / "catalog_short.duckdb", args.movies, args.short_history, target, labels, echo=lambda _: None
        )
        print(short.line())
        print(
            f"increment {args.days + 1} / {args.short_history + 1} days of history: "
            f"{long.models_s / short.models_s:.2f}x (goal <= 1.3x); wall {long.wall_s / short.wall_s:.2f}x"
        )


if __name__ == "__main__":
    main()
