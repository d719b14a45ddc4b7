"""dbt incremental benchmark: the daily status models on a synthetic history, full refresh vs one day's increment.

Run: `.venv/bin/python -m bench.dbt_incremental` (defaults: 1,000,000 movies x 180 days; `--help` for the scale).
Generates raw.movie_status directly in DuckDB SQL (MOVIES x DAYS rows, 2% of movie-days missing as gaps, one
dlt-like load id per day) in a temporary warehouse, then times `dbt run` of the incremental models
(fct_movie_status_daily, popularity_momentum_daily, movie_virality_daily, and the staging view they read):

1. a full refresh on DAYS days of history, then one day's increment (day DAYS+1): their ratio (goal <= 0.1);
2. one day's increment with SHORT (30) vs LONG (365) days of history (goal <= 1.3x): a SHORT-day warehouse,
   and the first one extended to LONG days (one catch-up run), each then given one more day.

At the default size it takes about 45 minutes on the 2-core machine (most of it the 365-day history: a
catch-up run over 185 days); `--skip-history` stops after part 1 (~10 min), `--history-movies 100000` runs
part 2 on a smaller catalog. "models" times are the models' execution times from dbt's run_results.json,
summed (compilation, watermark queries and SQL included; momentum and virality run concurrently, so the sum
exceeds the elapsed time); "wall" is the whole `dbt run`, start-up and project parsing included. Peak memory
is the dbt process's maximum resident set (DuckDB runs inside it; profiles.yml caps DuckDB at 10 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from bench.workdir import add_history_arguments, bench_workdir

REPO_ROOT = Path(__file__).resolve().parent.parent
MODELS = (
    "stg_tmdb__movie_status",
    "stg_tmdb__movie_status_loads",
    "fct_movie_status_daily",
    "popularity_momentum_daily",
    "movie_virality_daily",
)
FIRST_DAY = date(2024, 1, 1)
LOAD_EPOCH = 1_700_000_000  # unix seconds of day 0's load; one load a day, as a daily ingestion makes


@dataclass
class Run:
    label: str
    models_s: float
    wall_s: float
    peak_mb: float
    per_model: dict[str, float]
    cpu_s: float = 0.0  # user + system CPU seconds of the dbt process (DuckDB's threads included)

    def line(self) -> str:
        models = ", ".join(f"{name} {secs:.1f}s" for name, secs in self.per_model.items() if name != MODELS[0])
        return (
            f"{self.label:<44} {self.models_s:7.1f}s models ({self.wall_s:6.1f}s wall)  "
            f"peak {self.peak_mb / 1024:5.2f} GB  [{models}]"
        )


def day_load_id(day: int) -> str:
    """The dlt-style load id of day `day`'s load (one load a day, in day order)."""
    return f"{LOAD_EPOCH + day * 86_400}.{day:06d}"


def create_status_table(con: duckdb.DuckDBPyConnection) -> None:
    """raw.movie_status as the ingestion's dlt schema has it (the columns the dbt models read)."""
    con.execute("create schema if not exists raw")
    con.execute(
        "create table if not exists raw.movie_status (movie_id bigint not null, snapshot_date date not null, "
        "popularity double, vote_count bigint, vote_average double, _dlt_load_id varchar not null, _dlt_id varchar)"
    )


def generate_days(path: Path, movies: int, first: int, last: int) -> float:
    """Append days first..last (offsets from FIRST_DAY) of status rows for `movies` movies, one insert a day
    (row groups stay in day order, as daily loads leave them). Returns the seconds it took."""
    started = time.perf_counter()
    with duckdb.connect(str(path)) as con:
        create_status_table(con)
        # per-movie constants from a multiplicative hash of the id (cheap, deterministic)
        con.execute(
            f"""
            create or replace temp table movies as
            select
                i as movie_id,
                1 + ((i * 2654435761) % 4294967296) % 1000 / 10.0 as base_popularity,
                ((i * 2654435761) % 4294967296) % 5000 as base_votes,
                1 + ((i * 2654435761) % 4294967296) % 20 as votes_per_day,
                round(4 + ((i * 2654435761) % 4294967296) % 60 / 10.0, 1) as vote_average,
                i % 97 as phase,
            from range(1, {movies} + 1) r(i)
            """
        )
        for day in range(first, last + 1):
            load_id = day_load_id(day)
            con.execute(
                f"""
                insert into raw.movie_status
                select
                    movie_id,
                    date '{FIRST_DAY.isoformat()}' + {day},
                    round(base_popularity * (1 + 0.3 * sin({day} / 7.0 + phase))
                          + ((movie_id * 40503 + {day} * 2246822519) % 100) / 100.0, 3),
                    base_votes + {day} * votes_per_day + (movie_id + {day}) % 7,
                    vote_average,
                    '{load_id}',
                    null,
                from movies
                -- 2% of movie-days are missing: gaps, as when a movie falls out of the day's top-N
                where (movie_id * 97 + {day} * 7919) % 50 <> 0
                """
            )
        con.execute("checkpoint")
    return time.perf_counter() - started


def dbt_run(
    path: Path,
    label: str,
    target: Path,
    full_refresh: bool = False,
    select: tuple[str, ...] | None = None,
    env: dict[str, str] | None = None,
    exclude: str | None = None,
) -> Run:
    """`dbt run` of the incremental models (or `select`) in a child process, with `env` added to the environment;
    times from run_results.json, peak RSS."""
    dbt = Path(sys.executable).parent / "dbt"
    args = [str(dbt), "run", "--select", " ".join(select or MODELS), "--project-dir", str(REPO_ROOT)]
    args += ["--profiles-dir", str(REPO_ROOT), "--target-path", str(target), "--log-path", str(target / "logs")]
    if exclude:
        args += ["--exclude", exclude]
    if full_refresh:
        args.append("--full-refresh")
    env = {**os.environ, **(env or {}), "TMDB_WORKING_DUCKDB_PATH": str(path)}  # profiles.yml: the working copy
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"dbt run failed ({label}):\n{output[-3000:]}")
    results = json.loads((target / "run_results.json").read_text())["results"]
    per_model = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}
    cpu = usage.ru_utime + usage.ru_stime
    return Run(label, sum(per_model.values()), wall, usage.ru_maxrss / 1024, per_model, cpu)


def rows(path: Path, table: str) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_history_arguments(parser, movies=1_000_000, days=180, days_help="days of history for the full refresh")
    parser.add_argument("--short-history", type=int, default=30, help="history of the short increment (30)")
    parser.add_argument("--long-history", type=int, default=365, help="history of the long increment (365)")
    parser.add_argument("--history-movies", type=int, help="movies for the 30 vs 365 runs (default: --movies)")
    parser.add_argument("--skip-history", action="store_true", help="only the full refresh vs increment part")
    args = parser.parse_args()
    history_movies = args.history_movies or args.movies
    if args.long_history < args.days:
        parser.error("--long-history must be at least --days (the long warehouse extends the first one)")

    with bench_workdir(args.workdir, "bench-dbt-") as workdir:
        target = workdir / "target"
        print(f"synthetic status history in {workdir}; {os.cpu_count()} cores; dbt threads from profiles.yml")
        main_db = workdir / "status_main.duckdb"
        secs = generate_days(main_db, args.movies, 0, args.days - 1)
        print(
            f"generated {args.movies:,} movies x {args.days} days = {rows(main_db, 'raw.movie_status'):,} rows "
            f"in {secs:.0f}s"
        )
        full = dbt_run(main_db, f"full refresh, {args.days} days", target, full_refresh=True)
        print(full.line())
        generate_days(main_db, args.movies, args.days, args.days)
        increment = dbt_run(main_db, f"one day's increment (day {args.days + 1})", target)
        print(increment.line())
        print(
            f"increment / full refresh: {increment.models_s / full.models_s:.3f} (goal <= 0.1); "
            f"wall {increment.wall_s / full.wall_s:.3f}"
        )

        if not args.skip_history:
            short_db = workdir / "status_short.duckdb"
            generate_days(short_db, history_movies, 0, args.short_history - 1)
            dbt_run(short_db, "short history build", target, full_refresh=True)
            generate_days(short_db, history_movies, args.short_history, args.short_history)
            short = dbt_run(short_db, f"increment with {args.short_history} days of history", target)
            print(short.line())
            if history_movies == args.movies:
                long_db = main_db  # extend the first warehouse: days+1 .. long_history-1, one catch-up run
                generate_days(long_db, args.movies, args.days + 1, args.long_history - 1)
                catch_up = dbt_run(long_db, f"catch-up run, days {args.days + 2}..{args.long_history}", target)
            else:
                long_db = workdir / "status_long.duckdb"
                generate_days(long_db, history_movies, 0, args.long_history - 1)
                catch_up = dbt_run(long_db, f"full refresh, {args.long_history} days", target, full_refresh=True)
            print(catch_up.line())
            generate_days(long_db, history_movies, args.long_history, args.long_history)
            long = dbt_run(long_db, f"increment with {args.long_history} days of history", target)
            print(long.line())
            print(
                f"increment {args.long_history} / {args.short_history} days of history: "
                f"{long.models_s / short.models_s:.2f}x (goal <= 1.3x); wall {long.wall_s / short.wall_s:.2f}x"
            )
        day = FIRST_DAY + timedelta(days=args.days)
        print(f"(day {args.days + 1} = {day}; status rows {rows(main_db, 'marts.fct_movie_status_daily'):,})")


if __name__ == "__main__":
    main()
