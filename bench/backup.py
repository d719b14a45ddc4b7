"""Backup benchmark: what `tmdb-warehouse backup` and `restore` cost at the 1M-movie scale.

Run: `.venv/bin/python -m bench.backup` (defaults: 1,000,000 movies x 30 days; `--help` for the scale).
Builds a working copy as bench.publish does (bench.dbt_incremental's synthetic raw.movie_status and the marts dbt
builds from it, full refresh), or reuses the one in `--workdir`, then times on that file:

1. the per-table row counts and checksums alone (part of both backup and restore);
2. `backup` to a local folder: writer lock, CHECKPOINT, checksums, EXPORT DATABASE to parquet (zstd), sha256 of
   every file, the manifest; the backup's size against the DuckDB file's;
3. `restore` from it into an empty folder: sizes and sha256 checked, the import, every table's rows and checksum
   verified, the publish (`audit=False`: the synthetic warehouse has only the status marts, not what the quality
   suite reads);
4. with `--s3`, the same backup to and restore from a moto S3 server on 127.0.0.1 (moto keeps every object in
   memory: at the default scale that is about the backup's size in RAM on top).

Figures, not a test: the output is what README quotes.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import time
from pathlib import Path

import duckdb

from bench.dbt_incremental import dbt_run, generate_days
from bench.workdir import add_history_arguments, bench_workdir
from pipelines.backup import backup, restore
from pipelines.backup.database import table_sums
from pipelines.settings import Paths


def _quiet(_: str) -> None:
    return None


def build(working: Path, movies: int, days: int, target: Path) -> None:
    secs = generate_days(working, movies, 0, days - 1)
    print(f"generated {movies:,} movies x {days} days of status in {secs:.0f}s")
    print(dbt_run(working, f"marts: full refresh on {days} days", target, full_refresh=True).line())


def _round_trip(paths: Paths, url: str, restored_root: Path, file_mb: float, label: str) -> None:
    made = backup(paths, url, echo=_quiet)
    size_mb = made.manifest.total_bytes / 1e6
    backup_s = made.export_s + made.upload_s
    upload = f", upload {made.upload_s:.1f}s" if made.upload_s else ""
    print(
        f"backup to {label}: {backup_s:.1f}s (export + checksums + sha256 {made.export_s:.1f}s{upload}), "
        f"{len(made.manifest.files)} files, {size_mb:,.0f} MB = {size_mb / file_mb:.2f}x the DuckDB file, "
        f"{size_mb / backup_s:,.0f} MB/s"
    )
    shutil.rmtree(restored_root, ignore_errors=True)
    restored = Paths(duckdb_path=restored_root / "tmdb.duckdb", pipelines_dir=str(restored_root / "dlt"))
    started = time.perf_counter()
    result = restore(restored, url, name=made.name, audit=False, echo=_quiet)
    restore_s = time.perf_counter() - started
    download = f"download + sha256 {result.download_s:.1f}s, " if result.download_s else ""
    rest = restore_s - result.download_s - result.import_s
    print(
        f"restore from {label}: {restore_s:.1f}s ({download}import + verify {result.import_s:.1f}s, sha256 check "
        f"and publish {rest:.1f}s) = {restore_s / backup_s:.2f}x the backup; "
        f"{result.manifest.total_rows:,} rows in {len(result.manifest.tables)} tables verified"
    )
    shutil.rmtree(restored_root, ignore_errors=True)


def _moto(paths: Paths, workdir: Path, file_mb: float) -> None:
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://{host}:{port}", AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench"
    )
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).create_bucket(Bucket="bench")
    try:
        _round_trip(paths, "s3://bench/tmdb", workdir / "restored-s3", file_mb, "moto S3")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_history_arguments(parser, movies=1_000_000, days=30, days_help="days of status history")
    parser.add_argument("--s3", action="store_true", help="also back up to and restore from a moto S3 server")
    args = parser.parse_args()

    with bench_workdir(args.workdir, "bench-backup-") as workdir:
        paths = Paths(duckdb_path=workdir / "tmdb.duckdb", pipelines_dir=str(workdir / "dlt"))
        paths.working_path.parent.mkdir(parents=True, exist_ok=True)
        print(f"working copy {paths.working_path}; {os.cpu_count()} cores")
        if paths.working_path.is_file():
            print("reusing the working copy there")
        else:
            build(paths.working_path, args.movies, args.days, workdir / "target")
        file_mb = paths.working_path.stat().st_size / 1e6
        started = time.perf_counter()
        with duckdb.connect(str(paths.working_path), read_only=True) as con:
            sums = table_sums(con)
        rows = sum(t.rows for t in sums)
        print(
            f"warehouse: {file_mb:,.0f} MB, {len(sums)} tables, {rows:,} rows; row counts + checksums "
            f"{time.perf_counter() - started:.1f}s"
        )
        backups = workdir / "backups"
        shutil.rmtree(backups, ignore_errors=True)
        _round_trip(paths, str(backups), workdir / "restored", file_mb, "a local folder")
        shutil.rmtree(backups, ignore_errors=True)
        if args.s3:
            _moto(paths, workdir, file_mb)


if __name__ == "__main__":
    main()
