"""The details crawl of the catalog: within the per-run budget, breakouts first, then the most popular untracked
movies of the latest export; resumable across runs, never refetching a movie it holds (real emulator, real dlt
pipeline, real DuckDB file)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from pipelines.ingest import IngestOptions, run_ingest
from pipelines.tmdb.exports import ExportSettings
from tests.conftest import EmulatorFactory
from tests.ingest_helpers import column, fast_http, make_paths

START = date(2017, 1, 20)


def run(emulator: Any, paths: Any, day: date, budget: int) -> None:
    emulator.set_date(day)
    emulator.reset_stats()
    settings = ExportSettings(base_url=emulator.files_base_url, first_date=START)
    run_ingest(
        IngestOptions(
            snapshot_date=day, top_n=20, changes_start_date=day, catalog_exports=settings, details_budget=budget
        ),
        fast_http(emulator),
        paths,
        progress=False,
    )


def untracked_head(paths: Any) -> list[int]:
    """The untracked movies of the latest export day, most popular first."""
    return column(
        paths,
        "select movie_id from raw.movie_catalog_daily where export_date = "
        "(select max(export_date) from raw.movie_catalog_daily) "
        "and movie_id not in (select id from raw.movie_details) order by popularity desc, movie_id limit 40",
    )


def test_crawl_fetches_the_catalog_head_within_the_budget_and_resumes(
    emulator_factory: EmulatorFactory, tmp_path: Path
) -> None:
    emulator = emulator_factory(rate_limit=0, start_date=START, edit_rate=0.0, delete_rate=0.0)
    paths = make_paths(tmp_path)
    run(emulator, paths, START, budget=0)
    first = set(emulator.stats["movie_ids"])
    assert len(first) == 20  # only the day's top 20

    # the untracked movies of the latest export, most popular first
    head = untracked_head(paths)
    run(emulator, paths, START + timedelta(days=1), budget=40)
    second = emulator.stats["movie_ids"]
    crawled = [i for i in second if i not in first]
    assert len(second) == len(set(second))  # each at most once a run
    assert set(head[:40]) <= set(crawled)

    head = untracked_head(paths)  # now from the export loaded by the second run
    run(emulator, paths, START + timedelta(days=2), budget=40)
    third = set(emulator.stats["movie_ids"])
    assert set(head[:40]) <= third
    assert not third & set(crawled)  # never refetched: their details are current
    details = column(paths, "select count(distinct id) from raw.movie_details")[0]
    assert details >= 20 + 80


def test_breakouts_are_fetched_first(emulator_factory: EmulatorFactory, tmp_path: Path) -> None:
    emulator = emulator_factory(rate_limit=0, start_date=START, edit_rate=0.0, delete_rate=0.0)
    paths = make_paths(tmp_path)
    run(emulator, paths, START, budget=0)
    tail = column(
        paths,
        "select movie_id from raw.movie_catalog_daily where export_date = ? order by popularity, movie_id limit 3",
        [START],
    )
    # the breakouts dbt found on the latest export day (as catalog_breakouts writes them)
    with duckdb.connect(str(paths.working_path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.catalog_breakouts as select * from (values (?, date '2017-01-20', 1), "
            "(?, date '2017-01-20', 2), (?, date '2017-01-19', 1)) t(movie_id, export_date, breakout_rank)",
            tail,
        )
    run(emulator, paths, START + timedelta(days=1), budget=2)
    fetched = set(emulator.stats["movie_ids"])
    assert {tail[0], tail[1]} <= fetched and tail[2] not in fetched
    tracked = set(column(paths, "select id from raw.movie_details"))
    assert {tail[0], tail[1]} <= tracked


def test_rerunning_a_day_crawls_nothing_more(emulator_factory: EmulatorFactory, tmp_path: Path) -> None:
    emulator = emulator_factory(rate_limit=0, start_date=START, edit_rate=0.0, delete_rate=0.0)
    paths = make_paths(tmp_path)
    run(emulator, paths, START, budget=0)
    run(emulator, paths, START + timedelta(days=1), budget=30)
    details = column(paths, "select count(*) from raw.movie_details")[0]
    run(emulator, paths, START + timedelta(days=1), budget=30)
    assert column(paths, "select count(*) from raw.movie_details")[0] == details


def test_a_day_resumed_after_its_export_loaded_crawls_as_an_uninterrupted_day(
    emulator_factory: EmulatorFactory, tmp_path: Path
) -> None:
    """A killed run whose load `finish_pending` completed holds the day's export before the day is run again; the
    crawl reads only the export days before the ingestion day, so it fetches what an uninterrupted run fetched."""
    emulator = emulator_factory(rate_limit=0, start_date=START, edit_rate=0.0, delete_rate=0.0)
    uninterrupted, resumed = make_paths(tmp_path / "uninterrupted"), make_paths(tmp_path / "resumed")
    run(emulator, uninterrupted, START, budget=40)  # no export before the first day: nothing to crawl
    expected = set(emulator.stats["movie_ids"])

    run(emulator, resumed, START, budget=0)  # the killed run's load, finished: the day's export is in
    run(emulator, resumed, START, budget=40)  # the day again
    assert set(column(resumed, "select id from raw.movie_details")) == expected
    assert set(column(uninterrupted, "select id from raw.movie_details")) == expected
