"""Publish benchmark: what write-audit-publish costs at the 1M-movie scale, and which way to publish.

Run: `.venv/bin/python -m bench.publish` (defaults: 1,000,000 movies x 30 days; `--help` for the scale).
Builds a working copy with bench.dbt_incremental's synthetic status history (raw.movie_status) and the marts dbt
builds from it (fct_movie_status_daily, popularity_momentum_daily, movie_virality_daily, full refresh), then
times, on that file:

1. the full publish (`pipelines.publish.atomic_file.atomic_copy`): CHECKPOINT + copy + fsync + rename, vs the file's
   size (MB/s), best and first of `--repeat`;
2. publishing only what readers use: ATTACH the working copy read-only and create the non-raw tables (marts,
   snapshots, quality; raw.ingestion_log for the runs page) in a fresh file, fsync, rename;
3. one day's dbt increment on the same warehouse (day DAYS+1), to put the publish in proportion.

Figures, not a test: the output is what README quotes.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import duckdb

from bench.dbt_incremental import dbt_run, generate_days
from bench.workdir import add_history_arguments, bench_workdir
from pipelines.publish.atomic_file import CopyTimes, atomic_copy, temp_path

# What readers need besides the transformed layers: the run log the reports' runs page reads.
READER_RAW_TABLES = ("ingestion_log", "ingestion_log__tables")


def full_publish(working: Path, published: Path, repeat: int) -> list[CopyTimes]:
    return [atomic_copy(working, published) for _ in range(repeat)]


def readers_only_publish(working: Path, published: Path) -> tuple[float, int, int]:
    """Copy the tables of every schema but raw (plus the raw run log) into a fresh file, fsync, rename. Returns
    seconds, bytes and the number of tables. Views are not copied: dbt's views name the working file's
    database, and the staging views read raw, which is left out."""
    temp = temp_path(published)
    temp.unlink(missing_ok=True)
    started = time.perf_counter()
    with duckdb.connect(str(temp)) as con:
        con.execute(f"attach '{working}' as work (read_only)")
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'work' "
            f"and (schema_name <> 'raw' or table_name in {READER_RAW_TABLES})"
        ).fetchall()
        for schema, _ in tables:
            con.execute(f'create schema if not exists "{schema}"')
        for schema, table in tables:
            con.execute(f'create table "{schema}"."{table}" as from work."{schema}"."{table}"')
        con.execute("detach work")
        con.execute("checkpoint")
    descriptor = os.open(temp, os.O_RDONLY)
    os.fsync(descriptor)
    os.close(descriptor)
    os.replace(temp, published)
    return time.perf_counter() - started, published.stat().st_size, len(tables)


def sizes_by_schema(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(
            con.execute(
                "select schema_name, sum(estimated_size)::bigint from duckdb_tables() group by 1 order by 1"
            ).fetchall()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_history_arguments(parser, movies=1_000_000, days=30, days_help="days of status history")
    parser.add_argument("--repeat", type=int, default=3, help="full publishes timed (3)")
    parser.add_argument("--skip-increment", action="store_true", help="don't time a day's dbt increment")
    args = parser.parse_args()

    with bench_workdir(args.workdir, "bench-publish-") as workdir:
        (workdir / "work").mkdir(parents=True, exist_ok=True)
        working, published = workdir / "work" / "tmdb.duckdb", workdir / "tmdb.duckdb"
        target = workdir / "target"
        print(f"working copy {working}; {os.cpu_count()} cores")
        secs = generate_days(working, args.movies, 0, args.days - 1)
        print(f"generated {args.movies:,} movies x {args.days} days of status in {secs:.0f}s")
        build = dbt_run(working, f"marts: full refresh on {args.days} days", target, full_refresh=True)
        print(build.line())
        rows = {schema: f"{size:,}" for schema, size in sizes_by_schema(working).items()}
        print(f"rows per schema: {rows}")

        runs = full_publish(working, published, args.repeat)
        best = min(runs, key=lambda t: t.total_s)
        size_mb = best.size_bytes / 1e6
        print(
            f"full publish of {size_mb:,.0f} MB: best {best.total_s:.2f}s (checkpoint {best.checkpoint_s:.2f}s, "
            f"copy + fsync {best.copy_s:.2f}s, rename {best.rename_s:.3f}s) -> {size_mb / best.copy_s:,.0f} MB/s; "
            f"first {runs[0].total_s:.2f}s"
        )
        partial_s, partial_bytes, tables = readers_only_publish(working, published)
        print(
            f"readers-only publish ({tables} tables, raw left out): {partial_s:.2f}s, {partial_bytes / 1e6:,.0f} MB "
            f"-> {partial_s / best.total_s:.1f}x the full publish's time, {partial_bytes / best.size_bytes:.2f}x "
            "its size"
        )
        if not args.skip_increment:
            generate_days(working, args.movies, args.days, args.days)
            increment = dbt_run(working, f"one day's increment (day {args.days + 1})", target)
            print(increment.line())
            after = atomic_copy(working, published)
            print(
                f"full publish after it: {after.total_s:.2f}s for {after.size_bytes / 1e6:,.0f} MB = "
                f"{after.total_s / increment.wall_s:.2f}x the increment's dbt wall time"
            )


if __name__ == "__main__":
    main()
