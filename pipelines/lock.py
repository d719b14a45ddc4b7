"""One writer at a time on the warehouse file.

DuckDB itself lets a single process open a file for writing, and a run opens and closes it many times (dlt's
load, dbt's models, the quality results): two runs would interleave and fail in the middle. A run therefore
holds an advisory lock on `<warehouse>.lock` for its whole duration. The kernel releases it when the process
ends, however it ends (even `kill -9`), so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class WarehouseBusyError(RuntimeError):
    """Another run holds the warehouse; the message is one line saying what to do."""


def lock_path(duckdb_path: Path) -> Path:
    return duckdb_path.with_name(duckdb_path.name + ".lock")


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f" (pid {info['pid']}, {info['command']}, since {info['since']})"
    except (OSError, ValueError, KeyError):
        return ""


@contextmanager
def warehouse_lock(duckdb_path: Path, command: str, wait_s: float | None = None) -> Iterator[None]:
    """Hold the writer lock of `duckdb_path`, waiting up to `wait_s` seconds (default: $TMDB_LOCK_WAIT_SECONDS
    or 10) for another run to finish."""
    if wait_s is None:
        wait_s = float(os.environ.get("TMDB_LOCK_WAIT_SECONDS", "10"))
    path = lock_path(duckdb_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusyError(
                        f"{duckdb_path} is being written by another run{_holder(path)}; run again when it ends "
                        f"(ad hoc queries never wait: duckdb -readonly {duckdb_path})"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        since = datetime.now(UTC).isoformat(timespec="seconds")
        handle.write(json.dumps({"pid": os.getpid(), "command": command, "since": since}))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
