"""A run killed with SIGKILL at any moment, then run again, ends with the warehouse an uninterrupted run gives."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from pipelines.ingest import finish_pending, make_pipeline
from tests.ingest_helpers import fast_http, ingest_day, make_paths, table_content, table_counts

REPO = Path(__file__).resolve().parents[1]
DAYS = [date(2017, 1, 20), date(2017, 1, 21)]
TOP_N = 150
# Seconds after start at which each attempt is killed, per day; together they land in extract, normalize and load.
KILL_AFTER = {DAYS[0]: [0.7, 1.4, 2.1, 2.8, 3.5, 4.2], DAYS[1]: [0.9, 1.8, 2.7]}


def _ingest_command(day: date, emulator, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipelines",
        "ingest",
        "--date",
        day.isoformat(),
        "--changes-start-date",
        day.isoformat(),
        "--top-n",
        str(TOP_N),
        "--duckdb-path",
        str(db),
        "--no-progress",
        "--rate-limit",
        "150",
    ]


@pytest.mark.slow
def test_kill_and_rerun_equals_clean_run(emulator_factory, tmp_path):
    emulator = emulator_factory(rate_limit=0)
    clean = make_paths(tmp_path, "clean")
    for day in DAYS:
        ingest_day(emulator, clean, day, top_n=TOP_N, http=fast_http(emulator, rate_limit=150))

    killed = make_paths(tmp_path, "killed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMDB_")}
    env.update(
        TMDB_API_BASE_URL=emulator.base_url,
        TMDB_API_KEY=emulator.config.api_key,
        TMDB_PIPELINES_DIR=killed.pipelines_dir,
    )
    kills = 0
    for day in DAYS:
        emulator.set_date(day)
        for delay in KILL_AFTER[day]:
            process = subprocess.Popen(
                _ingest_command(day, emulator, killed.duckdb_path),
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(delay)
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
                kills += 1
            process.wait()
        finished = subprocess.run(
            _ingest_command(day, emulator, killed.duckdb_path),
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert finished.returncode == 0, finished.stderr[-3000:]

    assert kills >= 3, "the runs finished before they could be killed: raise TOP_N or shorten the delays"
    assert table_counts(killed) == table_counts(clean)
    for table in table_counts(clean):
        assert table_content(killed, table) == table_content(clean, table), table


@pytest.mark.parametrize("schema_left", [False, True], ids=["schema-deleted", "schema-left"])
def test_a_kill_while_normalize_deletes_a_committed_package_loses_and_doubles_nothing(tmp_path, schema_left):
    """The window CI hit once: killed while dlt deleted the extracted copy of a package it had already committed."""
    paths = make_paths(tmp_path)
    pipeline = make_pipeline(paths, "remnant")
    pipeline.extract([{"id": 1}, {"id": 2}], table_name="items")
    (load_id,) = pipeline.list_extracted_load_packages()
    extracted = Path(pipeline.working_dir, "normalize", "extracted", load_id)
    kept = tmp_path / "extracted-copy"
    shutil.copytree(extracted, kept)
    pipeline.normalize()
    pipeline.load()
    shutil.copytree(kept, extracted)  # what the kill left of the delete
    if not schema_left:
        (extracted / "schema.json").unlink()

    finish_pending(pipeline)
    pipeline.run([{"id": 3}], table_name="items")

    assert not pipeline.has_pending_data
    with pipeline.sql_client() as client:
        assert sorted(row[0] for row in client.execute_sql("select id from items")) == [1, 2, 3]


def test_a_kill_while_normalize_deletes_an_empty_package_is_harmless(tmp_path):
    """A run that finds nothing new extracts an empty package, which normalize deletes without a commit; a kill
    during that delete left it without new_jobs, and every later run failed (seen in test_events_load's kills)."""
    paths = make_paths(tmp_path)
    pipeline = make_pipeline(paths, "remnant")
    pipeline.run([{"id": 1}], table_name="items")
    pipeline.extract([], table_name="items")
    (load_id,) = pipeline.list_extracted_load_packages()
    extracted = Path(pipeline.working_dir, "normalize", "extracted", load_id)
    kept = tmp_path / "extracted-copy"
    shutil.copytree(extracted, kept)
    pipeline.normalize()
    assert not extracted.exists()  # dropped as empty, never committed
    shutil.copytree(kept, extracted)
    shutil.rmtree(extracted / "new_jobs")  # what the kill left of the delete

    finish_pending(pipeline)
    pipeline.run([{"id": 2}], table_name="items")

    assert not pipeline.has_pending_data
    with pipeline.sql_client() as client:
        assert sorted(row[0] for row in client.execute_sql("select id from items")) == [1, 2]
