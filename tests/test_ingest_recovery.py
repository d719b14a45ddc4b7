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

import dlt
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


def _replay_a_loaded_package(tmp_path: Path) -> dlt.Pipeline:
    """A pipeline whose last package's load jobs all committed their inserts, then the process died before dlt
    marked one of them done: the package is back in `load/normalized`, its schema already applied (so dlt's
    resume does not truncate the staging tables again), as dlt finds it after such a kill."""
    pipeline = make_pipeline(make_paths(tmp_path), "replay")
    merge = {"table_name": "items", "write_disposition": "merge", "primary_key": "id"}
    pipeline.run([{"id": 1, "kids": [{"k": 1}, {"k": 2}]}, {"id": 2, "kids": [{"k": 3}]}], **merge)
    pipeline.extract([{"id": 2, "kids": [{"k": 4}]}, {"id": 3, "kids": [{"k": 5}]}], **merge)
    pipeline.normalize()
    (load_id,) = pipeline.list_normalized_load_packages()
    normalized = Path(pipeline.working_dir, "load", "normalized", load_id)
    before_load = tmp_path / "before-load"
    shutil.copytree(normalized, before_load)
    pipeline.load()
    loaded = Path(pipeline.working_dir, "load", "loaded", load_id)
    shutil.copy(loaded / "applied_schema_updates.json", before_load)
    (before_load / "schema_updates.json").unlink()
    shutil.rmtree(loaded)
    shutil.copytree(before_load, normalized)
    assert pipeline.has_pending_data
    return pipeline


def _rows(pipeline: dlt.Pipeline, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return sorted(client.execute_sql(sql))


def test_a_load_job_replayed_after_a_kill_is_not_counted_twice(tmp_path):
    pipeline = _replay_a_loaded_package(tmp_path)

    finish_pending(pipeline)

    assert _rows(pipeline, "select id, count(*) from items group by id") == [(1, 1), (2, 1), (3, 1)]
    assert _rows(pipeline, "select k from items__kids") == [(1,), (2,), (4,), (5,)]


def test_dlt_still_doubles_the_rows_of_a_replayed_load_job(tmp_path):
    """Why `remove_replayed_rows` exists (issue #11 asked whether dlt 1.31 still needs it): when this fails after a
    dlt upgrade, dlt's resume became idempotent and the repair can be deleted."""
    pipeline = _replay_a_loaded_package(tmp_path)

    pipeline.load()  # dlt's own resume, without the repair

    assert _rows(pipeline, "select count(*) - count(distinct _dlt_id) from items") != [(0,)]


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
