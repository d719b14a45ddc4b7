"""Publishing a file atomically: a checkpointed working copy, copied beside the published path, fsynced, renamed.

A reader holding the published file keeps the inode it opened (POSIX rename), so a publish never waits for
readers and they never see a half-written file: the published path names either the previous file or the new
one. The copy is written to `.<name>.publishing` in the published file's folder (same filesystem, so the rename is
atomic); a process killed mid-copy leaves it behind, and the next publish (or run) removes it first. Its name
neither ends in `.duckdb` nor starts like the published file, so nothing takes it for the warehouse.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

READ_ONLY_MODE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH  # 0444: DuckDB then refuses to open it for writing


@dataclass(frozen=True)
class CopyTimes:
    """What a publish cost: the file's size and the seconds of each phase."""

    size_bytes: int
    checkpoint_s: float
    copy_s: float  # copy + fsync of the file
    rename_s: float  # rename + fsync of the folder

    @property
    def total_s(self) -> float:
        return self.checkpoint_s + self.copy_s + self.rename_s


def temp_path(published: Path) -> Path:
    """Where a publish writes the copy before renaming it over `published`."""
    return published.with_name(f".{published.name}.publishing")


def remove_stale_copy(published: Path) -> bool:
    """Remove the copy a killed publish left behind; True when there was one."""
    try:
        temp_path(published).unlink()
        return True
    except FileNotFoundError:
        return False


def checkpoint(working: Path) -> float:
    """Fold the working copy's WAL into the file (a copy of the file alone is then the whole database)."""
    started = time.perf_counter()
    with duckdb.connect(str(working)) as connection:
        connection.execute("checkpoint")
    return time.perf_counter() - started


def _fsync(path: Path, flags: int = os.O_RDONLY) -> None:
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def atomic_copy(working: Path, published: Path) -> CopyTimes:
    """Checkpoint `working`, copy it to the temporary path, fsync, make it read-only, rename it over `published`
    and fsync the folder (so the rename itself survives a power cut). Nothing may write `working` meanwhile (the
    caller holds the writer lock)."""
    checkpoint_s = checkpoint(working)
    published.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(published)
    remove_stale_copy(published)
    started = time.perf_counter()
    shutil.copyfile(working, temp)
    _fsync(temp)
    os.chmod(temp, READ_ONLY_MODE)
    copied = time.perf_counter()
    # A WAL beside the published path would be replayed into the new file: the published copy is never written,
    # so one can only be left by a session that opened it for writing against the rules; it is dropped.
    published.with_name(published.name + ".wal").unlink(missing_ok=True)
    os.replace(temp, published)
    _fsync(published.parent, os.O_RDONLY | os.O_DIRECTORY)
    return CopyTimes(
        size_bytes=published.stat().st_size,
        checkpoint_s=checkpoint_s,
        copy_s=copied - started,
        rename_s=time.perf_counter() - copied,
    )
