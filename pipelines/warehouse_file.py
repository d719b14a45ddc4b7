"""Is the warehouse file a DuckDB database? Checked by every subcommand that opens it, before dlt, dbt, GX or the
report builder do: they would otherwise fail deep inside with messages about credentials or connections.

A DuckDB database file starts with a checksum (8 bytes) and the magic bytes ``DUCK`` at offset 8 (DuckDB's
``MainHeader::MAGIC_BYTES``, `src/storage/storage_info.cpp`). A file that does not exist yet is fine: the
ingestion creates it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pipelines.settings import Paths

MAGIC = b"DUCK"
MAGIC_OFFSET = 8


class WarehouseFileError(RuntimeError):
    """The warehouse path names something that is not a DuckDB database; the message is one line saying what to do."""


def _what_it_is(path: Path) -> str | None:
    """None for a DuckDB database (or nothing there yet), else a few words on what the path holds instead."""
    if not path.exists():
        return None
    if path.is_dir():
        return "a directory"
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        return f"it cannot be read: {exc.strerror or exc}"
    if head[MAGIC_OFFSET : MAGIC_OFFSET + len(MAGIC)] == MAGIC:
        return None
    if not head:
        return "an empty file"
    if head.startswith(b"SQLite format 3\x00"):
        return "a SQLite database"
    return f"{path.stat().st_size:,} bytes without DuckDB's header"


def check_warehouse_file(duckdb_path: str | os.PathLike[str] | None = None) -> None:
    """Raise WarehouseFileError when the warehouse (its published or its working copy, `Paths.from_env`) exists
    and is not a DuckDB database."""
    paths = Paths.from_env(duckdb_path)
    for path in (paths.duckdb_path, paths.working_path):
        found = _what_it_is(path)
        if found is not None:
            raise WarehouseFileError(
                f"{path} is not a DuckDB database ({found}); "
                "move it away or set TMDB_DUCKDB_PATH (or --duckdb-path) to another file"
            )


def pipeline_duckdb_exists(pipeline: Any) -> bool:
    """Whether a dlt pipeline writes to DuckDB and its file exists (False before a first load, and for the lake,
    whose filesystem destination has no database file)."""
    database = getattr(pipeline.destination_client().config.credentials, "database", None)
    return database is not None and Path(database).exists()
