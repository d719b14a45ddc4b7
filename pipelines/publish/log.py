"""The publish log, `quality.publish_log`: one row per audit-and-publish attempt, in the working copy.

A row is written before the copy is taken, so the published file carries the row of its own publication; a
blocked attempt's row stays in the working copy (and reaches readers with the next successful publish).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from datetime import datetime
from pathlib import Path

import duckdb

TABLE = "quality.publish_log"

_DDL = f"""
create schema if not exists quality;
create table if not exists {TABLE} (
    attempted_at timestamptz not null,
    outcome varchar not null,            -- published | blocked
    audit varchar not null,              -- passed | failed | skipped (publish --no-audit)
    quality_run_id varchar,              -- the audit's run in quality.expectation_results
    critical_failures integer,
    warnings integer,
    published_path varchar not null,
    message varchar not null
);
"""


@dataclass(frozen=True)
class PublishLogRow:
    attempted_at: datetime
    outcome: str
    audit: str
    quality_run_id: str | None
    critical_failures: int | None
    warnings: int | None
    published_path: str
    message: str


def append(working: Path, row: PublishLogRow) -> None:
    with duckdb.connect(str(working)) as connection:
        connection.execute(_DDL)
        columns = ", ".join(field.name for field in fields(PublishLogRow))
        placeholders = ", ".join("?" for _ in fields(PublishLogRow))
        connection.execute(f"insert into {TABLE} ({columns}) values ({placeholders})", list(astuple(row)))


def rows(duckdb_path: Path) -> list[tuple[object, ...]]:
    """The log's rows, oldest first (empty when the file has none)."""
    with duckdb.connect(str(duckdb_path), read_only=True) as connection:
        exists = connection.execute(
            "select count(*) from duckdb_tables() where schema_name = 'quality' and table_name = 'publish_log'"
        ).fetchone()
        if not exists or not exists[0]:
            return []
        return connection.execute(f"from {TABLE} order by attempted_at").fetchall()
