"""The chain absorbs every behaviour of the emulator's realism profile: exit 0, the right warning, nothing lost.

One run of the whole chain (`run_chain`, moods off) over three emulator days with every realism rate turned
up, then one test per behaviour against the warehouse it built. Facts about TMDB's data must surface as
warnings naming the affected ids (quality.expectation_results, dim_movie.data_issues), never as a failure.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.emulator import RealismConfig
from pipelines.run import RunOptions, RunSummary, run_chain
from tests.ingest_helpers import make_paths

DAYS = [date(2017, 1, 20) + timedelta(days=i) for i in range(3)]
TOP_N = 200
DIRTY = RealismConfig(
    language_mismatch_rate=0.1,
    odd_language_rate=0.08,
    unknown_language_rate=0.05,
    null_language_rate=0.05,
    no_genres_rate=0.08,
    empty_overview_rate=0.08,
    missing_release_date_rate=0.05,
    future_release_rate=0.05,
    zero_runtime_rate=0.08,
    adult_rate=0.05,
    video_rate=0.1,
    non_latin_title_rate=0.08,
    long_overview_rate=0.08,
    markup_rate=0.08,
    vote_drop_rate=0.05,
    reshuffle_rate=1.0,
    unknown_change_rate=0.5,
    adult_change_rate=0.3,
)


@pytest.fixture(scope="module")
def dirty_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunSummary, Path]:
    tmp = tmp_path_factory.mktemp("realism")
    paths = make_paths(tmp)
    options = RunOptions(
        source="emulator",
        days=DAYS,
        top_n=TOP_N,
        moods_provider="off",
        emulator_rate_limit=0,
        emulator_realism=DIRTY,
        site_dir=tmp / "site",
    )
    summary = run_chain(options, paths, echo=lambda line: None)  # raises on any failed step
    return summary, paths.duckdb_path


def _rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _ids(db: Path, sql: str) -> set[int]:
    return {row[0] for row in _rows(db, sql)}


def _warned_ids(db: Path, description_like: str) -> set[Any]:
    """The ids a failed warning of the latest quality run names, for expectations matching the description."""
    rows = _rows(
        db,
        "select offending_ids from quality.expectation_results where severity = 'warning' and not success "
        "and description like ? and run_id = (select max(run_id) from quality.expectation_results)",
        [description_like],
    )
    ids: set[Any] = set()
    for (offending,) in rows:
        for item in json.loads(offending or "[]"):
            ids.add(item if isinstance(item, int) else json.dumps(item, sort_keys=True))
    return ids


def _flagged(db: Path, issue: str) -> set[int]:
    return _ids(db, f"select movie_id from marts.dim_movie where list_contains(data_issues, '{issue}')")


def test_the_run_succeeds_without_critical_failures(dirty_run):
    summary, db = dirty_run
    assert [step.name for step in summary.steps] == ["ingest", "dbt", "moods", "quality", "publish", "reports"]
    critical = _rows(
        db,
        "select description from quality.expectation_results where severity = 'critical' and not success "
        "and run_id = (select max(run_id) from quality.expectation_results)",
    )
    assert critical == []


@pytest.mark.parametrize(
    ("issue", "raw_sql"),
    [
        (
            "unknown_original_language",  # a code TMDB's list lacks, or null
            "select id from raw.movie_details where original_language is null or trim(original_language) = '' "
            "or lower(original_language) not in (select lower(iso_639_1) from raw.languages)",
        ),
        (
            "no_genres",
            "select id from raw.movie_details d where not exists "
            "(select 1 from raw.movie_details__genres g where g._dlt_parent_id = d._dlt_id)",
        ),
        ("missing_overview", "select id from raw.movie_details where coalesce(trim(overview), '') = ''"),
        (
            "missing_release_date",
            "select id from raw.movie_details where try_cast(nullif(trim(release_date), '') as date) is null",
        ),
        (
            "release_date_far_future",
            "select id from raw.movie_details where try_cast(nullif(release_date, '') as date) "
            "> snapshot_date + interval 3653 day",
        ),
        ("unknown_runtime", "select id from raw.movie_details where coalesce(runtime, 0) = 0"),
    ],
)
def test_each_fact_about_tmdbs_data_is_flagged_and_warned_with_its_ids(dirty_run, issue, raw_sql):
    _, db = dirty_run
    expected = _ids(db, raw_sql)
    assert expected, f"the dirty profile should have produced some {issue}"
    assert _flagged(db, issue) & _ids(db, "select movie_id from marts.dim_movie where has_details") == expected
    assert expected <= _warned_ids(db, f"{issue}:%")


def test_votes_that_drop_are_a_warning_and_are_kept(dirty_run):
    _, db = dirty_run
    drops = _rows(
        db,
        "select movie_id, snapshot_date::varchar from (select movie_id, snapshot_date, vote_count - lag(vote_count) "
        "over (partition by movie_id order by snapshot_date) as change from marts.fct_movie_status_daily) "
        "where change < 0",
    )
    assert drops, "the dirty profile should drop some vote counts"
    warned = _warned_ids(db, "vote_count never decreases%")
    assert {json.dumps({"movie_id": m, "snapshot_date": d}, sort_keys=True) for m, d in drops} <= warned


def test_odd_and_mismatched_languages_resolve(dirty_run):
    _, db = dirty_run
    codes = _ids(db, "select original_language_code from marts.dim_movie")
    assert {"xx", "cn"} & codes, "the dirty profile should use TMDB's own codes"
    orphans = _rows(
        db,
        "select count(*) from marts.dim_movie m anti join marts.dim_language l "
        "on m.original_language_code = l.language_code",
    )
    assert orphans == [(0,)]
    mismatched = _rows(
        db,
        "select count(*) from marts.dim_movie m where has_details and original_language_code <> 'unknown' "
        "and original_language_code not in (select language_code from marts.bridge_movie_spoken_language b "
        "where b.movie_id = m.movie_id)",
    )
    assert mismatched[0][0] > 0, "an original language no spoken language lists is a member all the same"


def test_a_reshuffled_listing_still_gives_top_n_distinct_movies_a_day(dirty_run):
    _, db = dirty_run
    per_day = _rows(db, "select snapshot_date, count(distinct id), count(*) from raw.discover_results group by 1")
    assert len(per_day) == len(DAYS)
    assert all(distinct == rows == TOP_N for _, distinct, rows in per_day)
    listed = _ids(db, "select id from raw.discover_results")
    assert listed <= _ids(db, "select movie_id from marts.dim_movie")
    status = _rows(
        db, "select count(*) from marts.fct_movie_status_daily where movie_id in (select id from raw.discover_results)"
    )
    assert status[0][0] >= len(DAYS) * TOP_N - 10  # a movie deleted on a later day has no row that day


def test_adult_and_video_flags(dirty_run):
    _, db = dirty_run
    assert _rows(db, "select count(*) from raw.discover_results where adult") == [(0,)]  # include_adult=false
    assert _rows(db, "select count(*) from marts.dim_movie where has_video")[0][0] > 0


def test_non_latin_long_and_markup_texts_are_kept_verbatim(dirty_run):
    _, db = dirty_run
    different = _rows(
        db,
        "select count(*) from marts.dim_movie m join raw.movie_details d on d.id = m.movie_id "
        "where m.title is distinct from nullif(trim(d.title), '')",
    )
    assert different == [(0,)]
    assert _rows(db, "select count(*) from marts.dim_movie where regexp_matches(title, '[^\\x00-\\x7F]')")[0][0]
    assert _rows(db, "select count(*) from marts.dim_movie where title like '%<%'")[0][0]
    assert _rows(db, "select max(length(overview)) from marts.dim_movie")[0][0] > 1000


def test_the_changes_feed_lists_ids_nobody_tracks_and_they_are_never_fetched(dirty_run):
    _, db = dirty_run
    strangers = _ids(db, "select id from raw.movie_changes") - _ids(db, "select movie_id from marts.dim_movie")
    assert strangers
    assert _rows(db, "select count(*) from raw.movie_changes where adult")[0][0] > 0
    tombstones = (
        _ids(db, "select movie_id from raw.movie_tombstones")
        if _rows(db, "select count(*) from information_schema.tables where table_name = 'movie_tombstones'")[0][0]
        else set()
    )
    # deletions seen in the daily ID exports are tombstones made without any request (pipelines/tmdb/exports.py)
    if _rows(db, "select count(*) from information_schema.columns where column_name = 'detected_by'")[0][0]:
        tombstones -= _ids(db, "select movie_id from raw.movie_tombstones where detected_by = 'daily_id_export'")
    assert not strangers & tombstones  # no details request was made for them
