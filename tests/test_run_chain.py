"""`tmdb-warehouse run`: the whole chain is a no-op when run twice, and resumes after being killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.publish import temp_path
from tests.warehouse_compare import assert_same_warehouse, snapshot

REPO = Path(__file__).resolve().parents[1]
DATES = "2017-01-20..2017-01-22"
# Tables that record runs rather than data: they grow with every run by design.


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


@pytest.mark.slow
def test_running_the_chain_twice_changes_nothing(tmp_path):
    db, first = _run(tmp_path, "twice")
    before = snapshot(db)
    assert "summary:" in first.stdout and "site:" in first.stdout
    assert any(t.startswith("marts.") for t in before) and before["raw.movie_details"]

    _run(tmp_path, "twice")

    assert_same_warehouse(snapshot(db), before)


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
    assert_same_warehouse(snapshot(db), snapshot(clean))
    assert not temp_path(db).exists()
