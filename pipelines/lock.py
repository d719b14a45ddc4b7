"""One writer at a time on the warehouse file.

DuckDB itself lets a single process open a file for writing, and a run opens and closes it many times (dlt's
load, dbt's models, the quality results): two runs would interleave and fail in the middle. A run therefore
holds an advisory lock on `<warehouse>.lock` for its whole duration. The kernel releases it when the process
ends, however it ends (even `kill -9`), so a crash never leaves a stale lock behind.

The lock guards the WORKING copy (write-audit-publish, `pipelines.publish`): readers open the published copy and
never meet it. Someone may still open the working copy itself (a `duckdb` CLI without -readonly, a notebook):
DuckDB then refuses every writer with "Could not set lock on file ... Conflicting lock is held in <program>
(PID n)". The lock checks for that once it is held and says so in one line (`duckdb_lock_conflict`), instead
of the traceback dlt or dbt would print half-way through a run.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

_DUCKDB_CONFLICT = re.compile(
    r"Could not set lock on file \"(?P<file>[^\"]+)\": Conflicting lock is held in "
    r"(?P<program>.+?) \(PID (?P<pid>\d+)\)"
)


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


def duckdb_lock_conflict(error: BaseException, readers_path: Path | None = None) -> str | None:
    """One line for DuckDB's "Could not set lock on file ... (PID n)" error: which file, which process, what to
    do; None for any other error."""
    match = _DUCKDB_CONFLICT.search(str(error))
    if match is None:
        return None
    readers = f"; ad hoc queries belong on the published copy: duckdb -readonly {readers_path}" if readers_path else ""
    return (
        f"{match['file']} is open in another process ({match['program']}, PID {match['pid']}), and DuckDB lets no "
        f"one write while it is: close that session (or kill {match['pid']}) and run again{readers}"
    )


def _check_duckdb_lock(duckdb_path: Path, readers_path: Path | None, wait_s: float) -> None:
    """Open `duckdb_path` for writing once (if it exists), retrying for `wait_s` seconds while another process
    holds DuckDB's own lock on it; raise WarehouseBusyError naming that process when it still does."""
    if not duckdb_path.is_file():
        return
    deadline = time.monotonic() + wait_s
    while True:
        try:
            duckdb.connect(str(duckdb_path)).close()
            return
        except duckdb.IOException as exc:
            message = duckdb_lock_conflict(exc, readers_path)
            if message is None:
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusyError(message) from None
            time.sleep(0.5)


@contextmanager
def warehouse_lock(
    duckdb_path: Path, command: str, wait_s: float | None = None, readers_path: Path | None = None
) -> Iterator[None]:
    """Hold the writer lock of `duckdb_path` (the working copy), waiting up to `wait_s` seconds (default:
    $TMDB_LOCK_WAIT_SECONDS or 10) for another run to finish, then for any other process holding DuckDB's own
    lock on the file to let go. `readers_path` (the published copy) is where the messages send ad hoc queries."""
    if wait_s is None:
        wait_s = float(os.environ.get("TMDB_LOCK_WAIT_SECONDS", "10"))
    readers_path = readers_path or duckdb_path
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
                        f"(ad hoc queries never wait: duckdb -readonly {readers_path})"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        since = datetime.now(UTC).isoformat(timespec="seconds")
        handle.write(json.dumps({"pid": os.getpid(), "command": command, "since": since}))
        handle.flush()
        try:
            _check_duckdb_lock(duckdb_path, readers_path, wait_s)
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
