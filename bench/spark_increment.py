"""The daily status models' increment on local Apache Spark vs DuckDB (README, "When one machine is not enough").

Run: `.venv/bin/python -m bench.spark_increment` (defaults: 1,000,000 movies x 14 days, the 13 days momentum's
week-over-week change reads plus one; `--help`). Needs the Spark extra
(`make spark`) and Java 17+. bench.dbt_incremental's synthetic status history (the same rows, one dlt-like load a
day) goes into a DuckDB file and, day by day, into a lake folder as parquet (`raw/movie_status/<load id>.parquet`,
the layout `ingest --destination lake` writes). Then `dbt run` of the status models (fct_movie_status_daily,
popularity_momentum_daily, movie_virality_daily and the staging views they read) on both engines:

1. a full refresh on DAYS days (DuckDB, and Spark with every core);
2. day DAYS+1's increment on DuckDB and on Spark with 2 cores (`local[2]`): the ratio Spark / DuckDB;
3. day DAYS+2's increment on Spark with 1 core (`local[1]`) and on DuckDB: Spark's 2-core / 1-core ratio.

"models" times are the models' execution times from run_results.json, summed; "wall" is the whole `dbt run`,
start-up included (for Spark: a JVM, and the lake's tables declared at run start).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import duckdb

from bench.dbt_incremental import FIRST_DAY, MODELS, REPO_ROOT, dbt_run, generate_days
from bench.workdir import add_history_arguments, bench_workdir


@dataclass
class SparkRun:
    label: str
    models_s: float
    wall_s: float

    def line(self) -> str:
        return f"{self.label:<48} {self.models_s:7.1f}s models ({self.wall_s:6.1f}s wall)"


def export_days(db: Path, lake: Path, first: int, last: int) -> None:
    """Days first..last of raw.movie_status as one parquet file per day's load in the lake."""
    folder = lake / "raw" / "movie_status"
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db), read_only=True) as con:
        for day in range(first, last + 1):
            snapshot = FIRST_DAY + timedelta(days=day)
            load_id = con.execute(
                "select any_value(_dlt_load_id) from raw.movie_status where snapshot_date = ?", [snapshot]
            ).fetchone()[0]
            con.execute(
                f"copy (select * from raw.movie_status where snapshot_date = date '{snapshot}') "
                f"to '{folder}/{load_id}.bench.parquet' (format parquet)"
            )


def spark_run(lake: Path, spark_dir: Path, label: str, cores: int | None, full_refresh: bool = False) -> SparkRun:
    """`dbt run --target spark` of the status models in a child process (`local[cores]`, all cores when None)."""
    target = spark_dir / "target"
    args = [str(Path(sys.executable).parent / "dbt"), "run", "--target", "spark", "--select", " ".join(MODELS)]
    args += ["--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT)]
    args += ["--target-path", str(target), "--log-path", str(spark_dir / "logs")]
    if full_refresh:
        args.append("--full-refresh")
    env = {
        **os.environ,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "TMDB_LAKE_URL": str(lake),
        "TMDB_SPARK_DIR": str(spark_dir),
        "TMDB_SPARK_MASTER": f"local[{cores}]" if cores else "local[*]",
    }
    started = time.perf_counter()
    done = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"dbt run on Spark failed ({label}):\n{done.stdout[-3000:]}")
    results = json.loads((target / "run_results.json").read_text())["results"]
    return SparkRun(label, sum(r["execution_time"] for r in results), wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_history_arguments(parser, movies=1_000_000, days=14, days_help="days of history before the increments")
    args = parser.parse_args()
    with bench_workdir(args.workdir, "bench-spark-") as workdir:
        db, lake, spark_dir = workdir / "status.duckdb", workdir / "lake", workdir / "spark"
        print(
            f"synthetic status history in {workdir}; {os.cpu_count()} cores; "
            f"1-min load average {os.getloadavg()[0]:.1f}"
        )
        secs = generate_days(db, args.movies, 0, args.days - 1)
        export_days(db, lake, 0, args.days - 1)
        print(f"generated {args.movies:,} movies x {args.days} days in {secs:.0f}s (DuckDB file and parquet lake)")
        print(dbt_run(db, f"DuckDB full refresh, {args.days} days", workdir / "duck", full_refresh=True).line())
        full = spark_run(lake, spark_dir, f"Spark local[*] full refresh, {args.days} days", None, full_refresh=True)
        print(full.line())

        day = args.days
        generate_days(db, args.movies, day, day)
        export_days(db, lake, day, day)
        duck_1 = dbt_run(db, f"DuckDB increment, day {day + 1}", workdir / "duck")
        print(duck_1.line())
        spark_2 = spark_run(lake, spark_dir, f"Spark local[2] increment, day {day + 1}", 2)
        print(spark_2.line())

        generate_days(db, args.movies, day + 1, day + 1)
        export_days(db, lake, day + 1, day + 1)
        duck_2 = dbt_run(db, f"DuckDB increment, day {day + 2}", workdir / "duck")
        print(duck_2.line())
        spark_1 = spark_run(lake, spark_dir, f"Spark local[1] increment, day {day + 2}", 1)
        print(spark_1.line())

        print(
            f"Spark (2 cores) / DuckDB, day {day + 1}'s increment: {spark_2.models_s / duck_1.models_s:.1f}x models, "
            f"{spark_2.wall_s / duck_1.wall_s:.1f}x wall"
        )
        print(
            f"Spark 1 core / 2 cores: {spark_1.models_s / spark_2.models_s:.2f}x models, "
            f"{spark_1.wall_s / spark_2.wall_s:.2f}x wall (1-min load average now {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
