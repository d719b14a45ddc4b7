"""TMDB's daily ID exports: the emulator's files and the `catalog_exports` ingestion into a real DuckDB file through
the real dlt pipeline (backfill, gaps recorded and retried, truncated files, odd lines, deletions and restores)."""

from __future__ import annotations

import gzip
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from pipelines.emulator import TMDBEmulator
from pipelines.emulator.exports import ExportConfig
from pipelines.ingest import IngestOptions, IngestReport, run_ingest
from pipelines.tmdb.exports import CATALOG_RESOURCES, ExportSettings, days_to_fetch
from tests.conftest import EmulatorFactory
from tests.ingest_helpers import column, fast_http, make_paths, scalar

START = date(2017, 1, 20)


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def export_ids(emulator: TMDBEmulator, when: date) -> list[dict[str, Any]]:
    url = f"{emulator.files_base_url}/movie_ids_{when:%m_%d_%Y}.json.gz"
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, response.status_code
    return [json.loads(line) for line in gzip.decompress(response.content).splitlines() if line.strip()]


def ingest_exports(
    emulator: TMDBEmulator, paths: Any, when: date, only_catalog: bool = True, **settings: Any
) -> IngestReport:
    emulator.set_date(when)
    export_settings = ExportSettings(
        base_url=emulator.files_base_url, first_date=START, backoff_seconds=0.01, **settings
    )
    return run_ingest(
        IngestOptions(
            snapshot_date=when,
            top_n=20,
            changes_start_date=when,
            catalog_exports=export_settings,
            resources=CATALOG_RESOURCES if only_catalog else None,
        ),
        fast_http(emulator),
        paths,
        progress=False,
    )


def days_loaded(paths: Any) -> list[date]:
    return column(paths, "select distinct export_date from raw.movie_catalog_daily order by 1")


def test_emulator_export_agrees_with_discover_and_details(emulator_factory: EmulatorFactory) -> None:
    emulator = emulator_factory(rate_limit=0, start_date=START, delete_rate=0.01)
    emulator.set_date(day(3))
    lines = export_ids(emulator, day(3))
    ids = [line["id"] for line in lines]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert set(ids) == emulator.simulation.visible_ids(day(3))
    assert set(lines[0]) == {"adult", "id", "original_title", "popularity", "video"}
    # popularity as discover shows it that day, no key needed for the files
    key = {"api_key": emulator.config.api_key}
    page = requests.get(f"{emulator.base_url}/discover/movie", params={**key, "sort_by": "popularity.desc"}).json()
    by_id = {line["id"]: line for line in lines}
    for movie in page["results"]:
        assert by_id[movie["id"]]["popularity"] == movie["popularity"]
        assert by_id[movie["id"]]["original_title"] == movie["original_title"]
    # a deleted movie: absent from the export, 404 on details
    deleted = sorted(emulator.simulation.deleted_ids(day(3)) & set(emulator.simulation.catalog.ids.tolist()))
    assert deleted and deleted[0] not in by_id
    assert requests.get(f"{emulator.base_url}/movie/{deleted[0]}", params=key).status_code == 404
    # not published yet (after the emulator's date), before the simulation began
    for missing in (day(4), day(-1)):
        url = f"{emulator.files_base_url}/movie_ids_{missing:%m_%d_%Y}.json.gz"
        assert requests.get(url, timeout=10).status_code == 404
    assert requests.get(f"{emulator.files_base_url}/movie_ids_13_45_2017.json.gz", timeout=10).status_code == 404


def test_days_to_fetch_backfills_retries_gaps_and_expires_old_ones() -> None:
    settings = ExportSettings(backfill_days=90, retention_days=90)
    today = date(2024, 6, 1)
    first, expired = days_to_fetch({}, today, settings)
    assert (first[0], first[-1], len(first), expired) == (today - timedelta(days=89), today, 90, [])
    state = {"last_date": "2024-05-30", "pending": ["2024-05-01", "2024-01-01"]}
    again, expired = days_to_fetch(state, today, settings)
    assert again == [date(2024, 5, 1), date(2024, 5, 31), today]
    assert expired == [date(2024, 1, 1)]
    assert days_to_fetch({}, today, ExportSettings(backfill_days=3, first_date=today - timedelta(days=1)))[0] == [
        today - timedelta(days=1),
        today,
    ]


def test_first_run_backfills_records_gaps_and_later_runs_retry_them(
    emulator_factory: EmulatorFactory, tmp_path: Path
) -> None:
    exports = ExportConfig(missing_days=(day(2),), unpublished_today=True)
    emulator = emulator_factory(rate_limit=0, start_date=START, exports=exports)
    paths = make_paths(tmp_path)

    report = ingest_exports(emulator, paths, day(5))
    assert days_loaded(paths) == [day(0), day(1), day(3), day(4)]
    outcomes = {o.day: o.outcome for o in report.catalog}
    assert outcomes == {day(n): "missing" if n in (2, 5) else "loaded" for n in range(6)}
    assert "gaps (retried next run): 2017-01-22, 2017-01-25" in report.summary()
    log = column(paths, "select outcome || ' ' || export_date from raw.catalog_export_log order by export_date")
    assert log[2] == "missing 2017-01-22" and log[-1] == "missing 2017-01-25"
    assert scalar(paths, "select catalog_gaps from raw.ingestion_log") == "2017-01-22,2017-01-25"
    for n in (0, 1, 3, 4):
        expected = len(emulator.simulation.visible_ids(day(n)))
        assert scalar(paths, "select count(*) from raw.movie_catalog_daily where export_date = ?", [day(n)]) == expected

    # the files appear: the next run loads both gaps, and a run after it has nothing left to do
    emulator.exports.config.missing_days = ()
    emulator.exports.config.unpublished_today = False
    report = ingest_exports(emulator, paths, day(5))
    assert sorted(o.day for o in report.catalog if o.outcome == "loaded") == [day(2), day(5)]
    assert days_loaded(paths) == [day(n) for n in range(6)]
    before = scalar(paths, "select count(*) from raw.movie_catalog_daily")
    report = ingest_exports(emulator, paths, day(5))
    assert report.catalog == [] and scalar(paths, "select count(*) from raw.movie_catalog_daily") == before
    keys = "select count(*) from (select distinct movie_id, export_date from raw.movie_catalog_daily)"
    assert scalar(paths, keys) == before


def test_the_first_runs_backfill_is_dlt_configuration(
    emulator_factory: EmulatorFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCES__TMDB__CATALOG_BACKFILL_DAYS", "2")  # as `[sources.tmdb] catalog_backfill_days`
    emulator = emulator_factory(rate_limit=0, start_date=START)
    paths = make_paths(tmp_path)
    ingest_exports(emulator, paths, day(5))
    assert days_loaded(paths) == [day(4), day(5)]


def test_truncated_file_is_retried_then_fails_that_day_only(
    emulator_factory: EmulatorFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emulator = emulator_factory(rate_limit=0, start_date=START, exports=ExportConfig(truncate_days=(day(1),)))
    paths = make_paths(tmp_path)
    report = ingest_exports(emulator, paths, day(2), attempts=3)
    assert report.outcome == "succeeded"
    failed = [o for o in report.catalog if o.outcome == "failed"]
    assert [(o.day, o.attempts) for o in failed] == [(day(1), 3)]
    assert "truncated" in failed[0].error and "\n" not in failed[0].error
    assert emulator.exports.stats()["truncated"] == 3
    assert days_loaded(paths) == [day(0), day(2)]
    assert any("2017-01-21 failed after 3 attempts" in r.getMessage() for r in caplog.records)
    # fixed upstream: the next run loads the day it failed
    emulator.exports.config.truncate_days = ()
    ingest_exports(emulator, paths, day(2))
    assert days_loaded(paths) == [day(0), day(1), day(2)]


def test_odd_lines_are_counted_and_skipped(emulator_factory: EmulatorFactory, tmp_path: Path) -> None:
    emulator = emulator_factory(rate_limit=0, start_date=START, exports=ExportConfig(odd_lines=2))
    paths = make_paths(tmp_path)
    report = ingest_exports(emulator, paths, day(0))
    (outcome,) = report.catalog
    assert (outcome.outcome, outcome.null_popularity, outcome.malformed) == ("loaded", 2, 2)
    assert outcome.rows == len(emulator.simulation.visible_ids(day(0)))
    assert scalar(paths, "select null_popularity_lines + malformed_lines from raw.catalog_export_log") == 4


def test_vanished_ids_are_tombstoned_without_a_request_and_restored_when_back(
    emulator_factory: EmulatorFactory, tmp_path: Path
) -> None:
    exports = ExportConfig(flicker_rate=0.02)
    emulator = emulator_factory(rate_limit=0, start_date=START, delete_rate=0.01, exports=exports)
    paths = make_paths(tmp_path)
    ingest_exports(emulator, paths, day(1))
    on = {n: {line["id"] for line in export_ids(emulator, day(n))} for n in (0, 1)}
    vanished_1 = on[0] - on[1]
    assert vanished_1
    tombstones = set(column(paths, "select movie_id from raw.movie_tombstones where detected_on = ?", [day(1)]))
    assert tombstones == vanished_1
    assert emulator.stats["endpoints"]["movie"] == 0  # no details request needed to know

    ingest_exports(emulator, paths, day(2))
    on[2] = {line["id"] for line in export_ids(emulator, day(2))}
    restored = vanished_1 & on[2]
    assert restored  # flickered ids are back the next day
    still = set(column(paths, "select movie_id from raw.movie_tombstones"))
    assert not (restored & still)
    assert still == (vanished_1 - on[2]) | (on[1] - on[2])
    deleted_on_2 = emulator.simulation.deleted_ids(day(2)) - emulator.simulation.deleted_ids(day(1))
    assert deleted_on_2 & on[1] <= still


def test_a_slow_body_still_loads(emulator_factory: EmulatorFactory, tmp_path: Path) -> None:
    emulator = emulator_factory(rate_limit=0, start_date=START, exports=ExportConfig(slow_seconds=1.0))
    paths = make_paths(tmp_path)
    report = ingest_exports(emulator, paths, day(0))
    assert [o.outcome for o in report.catalog] == ["loaded"] and report.duration_s >= 1.0
    assert days_loaded(paths) == [day(0)]
