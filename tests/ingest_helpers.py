"""Helpers shared by the ingestion tests: run a day against an emulator, read the raw tables back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from pipelines.emulator import TMDBEmulator
from pipelines.ingest import IngestOptions, IngestReport, run_ingest
from pipelines.settings import Paths
from pipelines.tmdb.client import HttpSettings

# Tables whose content depends on nothing but the data (the run log and dlt's own tables record runs).
RUN_TABLES_PREFIXES = ("_dlt", "ingestion_log")


def fast_http(emulator: TMDBEmulator, **overrides: Any) -> HttpSettings:
    """Client settings for tests: no client-side rate limit, short backoff, the emulator's key."""
    settings: dict[str, Any] = {
        "base_url": emulator.base_url,
        "api_key": emulator.config.api_key,
        "rate_limit": 0.0,
        "timeout": 5.0,
        "max_attempts": 8,
        "backoff_factor": 0.02,
        "max_retry_delay": 0.2,
        "concurrency": 4,
    }
    settings.update(overrides)
    return HttpSettings(**settings)


def make_paths(tmp_path: Path, name: str = "warehouse") -> Paths:
    return Paths(duckdb_path=tmp_path / f"{name}.duckdb", pipelines_dir=str(tmp_path / f"{name}-pipelines"))


def ingest_day(
    emulator: TMDBEmulator, paths: Paths, day: date, top_n: int = 60, http: HttpSettings | None = None, **options: Any
) -> IngestReport:
    emulator.set_date(day)
    return run_ingest(
        IngestOptions(snapshot_date=day, top_n=top_n, changes_start_date=day, **options),
        http or fast_http(emulator),
        paths,
        progress=False,
    )


def connect(paths: Paths) -> duckdb.DuckDBPyConnection:
    """The working copy, where the ingestion writes (nothing is published without the chain or `publish`)."""
    return duckdb.connect(str(paths.working_path), read_only=True)


def data_tables(paths: Paths) -> list[str]:
    with connect(paths) as con:
        names = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
            ).fetchall()
        ]
    return [n for n in names if not n.startswith(RUN_TABLES_PREFIXES)]


def table_counts(paths: Paths) -> dict[str, int]:
    with connect(paths) as con:
        return {t: con.execute(f'select count(*) from raw."{t}"').fetchone()[0] for t in data_tables(paths)}


def table_content(paths: Paths, table: str) -> list[tuple[Any, ...]]:
    """The rows of a raw table without dlt's bookkeeping columns (load ids and row ids differ run to run)."""
    with connect(paths) as con:
        columns = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? "
                "and column_name not like '\\_dlt%' escape '\\' order by column_name",
                [table],
            ).fetchall()
        ]
        listed = ", ".join(f'"{c}"' for c in columns)
        return con.execute(f'select {listed} from raw."{table}" order by all').fetchall()


def scalar(paths: Paths, sql: str, params: list[Any] | None = None) -> Any:
    with connect(paths) as con:
        return con.execute(sql, params or []).fetchone()[0]


def column(paths: Paths, sql: str, params: list[Any] | None = None) -> list[Any]:
    with connect(paths) as con:
        return [row[0] for row in con.execute(sql, params or []).fetchall()]
