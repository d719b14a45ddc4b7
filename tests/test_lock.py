"""One writer at a time: a second run waits briefly, then exits with one clear line; readers never wait."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from pipelines.lock import warehouse_lock
from pipelines.settings import Paths
from tests.cli_process import tmdb_warehouse

REPO = Path(__file__).resolve().parents[1]


def _ingest(db: Path, lock_wait_s: str) -> subprocess.CompletedProcess[str]:
    """`tmdb-warehouse ingest` on `db` in a subprocess, against a TMDB that never answers (it never gets that far)."""
    return tmdb_warehouse(
        "ingest",
        "--duckdb-path",
        str(db),
        timeout=120,
        TMDB_API_KEY="k",
        TMDB_API_BASE_URL="http://127.0.0.1:9/3",
        TMDB_LOCK_WAIT_SECONDS=lock_wait_s,
    )


def test_a_second_writer_waits_then_exits_with_one_clear_line(tmp_path):
    db = tmp_path / "w.duckdb"
    working = Paths.from_env(db).working_path  # what writers lock; readers open `db`, the published copy
    working.parent.mkdir()
    duckdb.connect(str(working)).close()
    shutil.copyfile(working, db)
    with warehouse_lock(working, "test holder"):
        started = time.monotonic()
        result = _ingest(db, lock_wait_s="1.5")
        waited = time.monotonic() - started
        # a reader is never blocked by the lock
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("select 42").fetchone() == (42,)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "being written by another run" in lines[0] and "test holder" in lines[0]
    assert f"(pid {os.getpid()}, test holder" in lines[0] and f"-readonly {db}" in lines[0]
    assert waited >= 1.5


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path):
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pipelines.lock import warehouse_lock\n"
            f"with warehouse_lock(Path({str(db)!r}), 'holder'):\n    print('locked', flush=True); time.sleep(60)",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait()
    with warehouse_lock(db, "next run", wait_s=2):
        pass


def test_a_session_holding_the_working_copy_is_named_in_one_line(tmp_path):
    """DuckDB's own lock: someone opened the WORKING copy for writing (a CLI, a notebook). The writer says which
    file, which process and what to do, in one line, instead of dlt's traceback."""
    db = tmp_path / "w.duckdb"
    working = Paths.from_env(db).working_path
    working.parent.mkdir()
    duckdb.connect(str(working)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(working)!r}); print('open', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        result = _ingest(db, lock_wait_s="1")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(working) in lines[0] and f"PID {holder.pid}" in lines[0] and f"-readonly {db}" in lines[0], lines[0]
