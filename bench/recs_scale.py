"""Recommendations at scale: user_recommendations for USERS users x MOVIES movies x RATINGS ratings.

Run: `make bench-recs` (or `python -m bench.recs_scale --ratings 1000000 --users 10000`). Generates the events
directly in DuckDB SQL (bench/users_history.py: power-law users and movies, sessions, ratings on the half-star
grid; 80% of the events are ratings, the rest views) and the catalog tables, then `dbt run`s, each in a child
process: first what user_recommendations reads (the events' staging and intermediate models, fct_rating,
fct_watchlist, user_taste_profile, dim_user), then user_recommendations alone. Prints each run's time (models'
from run_results.json, and wall) and the dbt process's peak resident memory; goal: user_recommendations within
10 minutes and 8 GB. DuckDB's memory cap is set to --memory-limit (6GB: what DuckDB holds beyond its buffers,
the dbt process itself, stays under 8 GB; it spills to disk beyond it). The machine may be shared: the 1-minute
load average is printed next to each figure.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import duckdb

import bench.dbt_incremental as base
from bench.users_history import Shape, generate_history
from bench.workdir import bench_workdir

RATE_SHARE = 0.8
# what user_recommendations reads of the user models (the catalog tables are the generator's): by selector, so a
# model added upstream is not forgotten
PREREQUISITES = ("stg_events__events+,+user_recommendations",)


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def built(path: Path) -> bool:
    """Whether `path` holds what user_recommendations reads (an earlier run with the same --workdir)."""
    if not path.exists():
        return False
    with duckdb.connect(str(path), read_only=True) as con:
        return bool(
            con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'marts' and table_name = 'dim_user'"
            ).fetchone()[0]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000, help="users (100,000)")
    parser.add_argument("--movies", type=int, default=20_000, help="movies (20,000)")
    parser.add_argument("--ratings", type=int, default=10_000_000, help="rating events (10,000,000)")
    parser.add_argument("--days", type=int, default=90, help="days the events cover (90)")
    parser.add_argument("--memory-limit", default="6GB", help="DuckDB's memory_limit (6GB)")
    parser.add_argument("--workdir", type=Path, help="where the files go; kept (default: a temporary folder)")
    parser.add_argument(
        "--reuse", action="store_true", help="with --workdir: time user_recommendations on what an earlier run built"
    )
    args = parser.parse_args()
    shape = Shape(
        events=round(args.ratings / RATE_SHARE),
        days=args.days,
        users=args.users,
        movies=args.movies,
        mix=(("rate", RATE_SHARE), ("view", 1.0)),
    )
    env = {"TMDB_DUCKDB_MEMORY_LIMIT": args.memory_limit}
    with bench_workdir(args.workdir, "bench-recs-") as workdir:
        target = workdir / "target"
        path = workdir / "recs.duckdb"
        print(f"synthetic ratings in {workdir}; {os.cpu_count()} cores; DuckDB memory_limit {args.memory_limit}")
        if args.reuse and built(path):
            print("reusing the events and the models built before in the workdir (--reuse)")
            before = None
        else:
            rows, secs = generate_history(path, shape)
            print(f"generated {rows:,} events in {secs:.0f}s ({load()})")
            before = base.dbt_run(
                path,
                "what the recommendations read",
                target,
                full_refresh=True,
                select=PREREQUISITES,
                env=env,
                exclude="user_recommendations",
            )
            print(f"{before.line()}  ({load()})")
        with duckdb.connect(str(path), read_only=True) as con:
            users, movies, ratings, rated_movies = con.execute(
                "select count(distinct user_id), (select count(*) from marts.dim_movie), count(*), "
                "count(distinct movie_id) from marts.fct_rating"
            ).fetchone()
        print(
            f"fct_rating: {ratings:,} latest ratings by {users:,} users of {rated_movies:,} movies "
            f"({movies:,} in the catalog)"
        )
        recs = base.dbt_run(
            path, "user_recommendations", target, full_refresh=True, select=("user_recommendations",), env=env
        )
        print(f"{recs.line()}  ({load()})")
        with duckdb.connect(str(path), read_only=True) as con:
            rec_users, rec_rows = con.execute(
                "select count(distinct user_id), count(*) from marts.user_recommendations"
            ).fetchone()
        print(
            f"user_recommendations: {rec_rows:,} rows for {rec_users:,} users in {recs.models_s:.0f}s "
            f"(goal <= 600 s; {recs.cpu_s:.0f} CPU-seconds), peak {recs.peak_mb / 1024:.2f} GB (goal <= 8 GB)"
        )
        if before is not None:
            print(
                f"with what it reads: {before.models_s + recs.models_s:.0f}s, "
                f"peak {max(before.peak_mb, recs.peak_mb) / 1024:.2f} GB"
            )


if __name__ == "__main__":
    main()
