"""`tmdb-warehouse run`: the whole chain is a no-op when run twice, and resumes after being killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.publish import temp_path

REPO = Path(__file__).resolve().parents[1]
DATES = "2017-01-20..2017-01-22"
# Tables that record runs rather than data: they grow with every run by design.
RUN_RECORDS = ("raw.ingestion_log", "raw.ingestion_log__tables", "quality.")
# Columns recording the run rather than the data: its wall-clock time (when a mood was classified, a check ran)
# or dlt's load id (re-ingesting a day re-merges identical rows under a new load id).
RUN_TIME_SUFFIXES = ("_at", "load_id")
# The warehouse's layers; dlt's scratch schema (raw_staging) and DuckDB's main hold no data of ours.
LAYERS = ("raw", "seeds", "staging", "intermediate", "snapshots", "marts")


def _chain(db: Path, site: Path, pipelines_dir: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipelines",
        "run",
        "--source",
        "emulator",
        "--dates",
        DATES,
        "--top-n",
        "60",
        "--rate-limit",
        "1000",
        "--moods-provider",
        "off",
        "--duckdb-path",
        str(db),
        "--site-dir",
        str(site),
    ]


def _env(pipelines_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "OLLAMA_"))}
    env["TMDB_PIPELINES_DIR"] = str(pipelines_dir)
    env["PYTHONUNBUFFERED"] = "1"  # step markers reach the test as they are printed
    return env


def _run(tmp_path: Path, name: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
    db = tmp_path / f"{name}.duckdb"
    result = subprocess.run(
        _chain(db, tmp_path / f"{name}-site", tmp_path / f"{name}-dlt"),
        cwd=REPO,
        env=_env(tmp_path / f"{name}-dlt"),
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return db, result


def _tables(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where not starts_with(table_name, '_dlt') order by 1"
        ).fetchall()
    return [r[0] for r in rows if r[0].split(".")[0] in LAYERS and not r[0].startswith(RUN_RECORDS)]


def _content(db: Path, table: str) -> list[tuple]:
    schema, name = table.split(".", 1)
    with duckdb.connect(str(db), read_only=True) as con:
        columns = [
            c
            for (c,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = ? and table_name = ? order by 1",
                [schema, name],
            ).fetchall()
            if not c.startswith("_dlt") and not c.endswith(RUN_TIME_SUFFIXES)
        ]
        listed = ", ".join(f'"{c}"' for c in columns)
        return con.execute(f'select {listed} from {schema}."{name}" order by all').fetchall()


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    return {table: _content(db, table) for table in _tables(db)}


@pytest.mark.slow
def test_running_the_chain_twice_changes_nothing(tmp_path):
    db, first = _run(tmp_path, "twice")
    before = _snapshot(db)
    assert "summary:" in first.stdout and "site:" in first.stdout
    assert any(t.startswith("marts.") for t in before) and before["raw.movie_details"]

    _run(tmp_path, "twice")

    assert _snapshot(db) == before


@pytest.mark.slow
def test_a_killed_chain_resumes_to_the_uninterrupted_warehouse(tmp_path):
    clean, _ = _run(tmp_path, "clean")

    db = tmp_path / "killed.duckdb"
    pipelines_dir = tmp_path / "killed-dlt"
    command = _chain(db, tmp_path / "killed-site", pipelines_dir)
    kills = []
    # kill once in each of these steps, a moment after it starts (publish takes milliseconds at this size: its
    # kill lands just after it, in the reports; tests/test_publish.py kills publishes mid-copy)
    markers = ("[ingest] ...", "[dbt] ...", "[quality] ...", "[publish] ...")
    for marker in markers:
        process = subprocess.Popen(command, cwd=REPO, env=_env(pipelines_dir), stdout=subprocess.PIPE, text=True)
        for line in process.stdout:
            if line.startswith(marker):
                time.sleep(1.0)
                process.send_signal(signal.SIGKILL)
                kills.append(marker)
                break
        process.wait()
    assert len(kills) == len(markers), kills

    finished = subprocess.run(command, cwd=REPO, env=_env(pipelines_dir), capture_output=True, text=True, timeout=1200)
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert _snapshot(db) == _snapshot(clean)
    assert not temp_path(db).exists()
