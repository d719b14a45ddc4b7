"""The whole chain against replays of real recorded TMDB bodies: several days, real TMDB's oddities, exit 0.

`run --source tmdb` with TMDB_API_BASE_URL pointing at a replay (tests/tmdb_replay.py), as a user would point
it at TMDB. What real TMDB does and the warehouse must absorb: original languages no detailed movie speaks,
`xx`, `cn`, a code TMDB's list lacks and a null one, a movie without genres, votes that go down, a movie
repeated across the pages of one listing, a changes feed of ids nobody tracks, details that answer 404.
Facts about TMDB's data end as warnings with their ids; nothing is lost; the run exits 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import REPO_ROOT
from tests.tmdb_replay import RealTmdbDays, serve

DAYS = ("2023-04-10", "2023-04-12")
ReplayedRun = tuple[RealTmdbDays, subprocess.CompletedProcess[str], Path]


@pytest.fixture(scope="module")
def replayed_run(tmp_path_factory: pytest.TempPathFactory) -> ReplayedRun:
    tmp = tmp_path_factory.mktemp("real-tmdb")
    days = RealTmdbDays()
    with serve(days) as base_url:
        env = {
            **os.environ,
            "TMDB_API_BASE_URL": base_url,
            "TMDB_API_KEY": "recorded-replay-key",
            "TMDB_DUCKDB_PATH": str(tmp / "tmdb.duckdb"),
            "TMDB_PIPELINES_DIR": str(tmp / "dlt"),
        }
        command = [sys.executable, "-m", "pipelines", "run", "--source", "tmdb", "--dates", "..".join(DAYS)]
        command += ["--moods-provider", "off", "--site-dir", str(tmp / "site")]
        result = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)
    return days, result, tmp / "tmdb.duckdb"


def _rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_run_exits_0_and_lists_tmdbs_oddities_as_warnings(replayed_run):
    days, result, _ = replayed_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "0 critical failures" in out
    drop = [line for line in out.splitlines() if "vote_count never decreases" in line]
    assert drop and all(str(days.dropping_id) in line for line in drop)
    languages = next(line for line in out.splitlines() if "unknown_original_language" in line)
    assert str(days.unlisted_language_id) in languages and str(days.null_language_id) in languages
    assert str(days.no_genres_id) in next(line for line in out.splitlines() if "no_genres" in line)
    # the quality block is printed once, as the step ends; the summary keeps its first line
    assert sum(line.startswith("WARNING marts.dim_movie: no_genres") for line in out.splitlines()) == 1


def test_the_run_prints_no_tracebacks_nor_dlt_warning_blocks(replayed_run):
    _, result, _ = replayed_run
    both = result.stdout + result.stderr
    assert "Traceback" not in both
    assert "did not receive any data" not in both  # dlt's block about columns null in every row
    assert "WARNING" not in result.stderr


def test_every_code_resolves_and_unknown_codes_go_to_the_unknown_member(replayed_run):
    days, _, db = replayed_run
    languages = dict(_rows(db, "select movie_id, original_language_code from marts.dim_movie"))
    assert languages[days.unlisted_language_id] == "unknown"
    assert languages[days.null_language_id] == "unknown"
    assert {languages[i] for i in languages} >= {"ja", "xx", "cn", "ko", "es", "nl", "en"}
    assert _rows(db, "select count(*) from marts.dim_language where language_code = 'unknown'") == [(1,)]
    orphans = _rows(
        db,
        "select count(*) from marts.dim_movie m left join marts.dim_language l "
        "on m.original_language_code = l.language_code where l.language_code is null",
    )
    assert orphans == [(0,)]
    tmdb_code = dict(_rows(db, "select movie_id, tmdb_original_language_code from marts.dim_movie"))
    assert tmdb_code[days.unlisted_language_id] == "zz"  # what TMDB sent is kept


def test_nothing_is_lost(replayed_run):
    days, _, db = replayed_run
    listed = {movie["id"] for movie in days.discover}
    assert {row[0] for row in _rows(db, "select movie_id from marts.dim_movie")} == listed
    # one status row per listed movie per day, the movie repeated across pages counted once
    assert _rows(db, "select count(*) from raw.discover_results") == [(len(listed) * 3,)]
    assert _rows(db, "select count(*) from marts.fct_movie_status_daily") == [(len(listed) * 3,)]
    dropped = _rows(
        db,
        f"select vote_count from marts.fct_movie_status_daily where movie_id = {days.dropping_id} order by 1 desc",
    )
    assert len(dropped) == 3 and dropped[0] > dropped[-1]  # the drop is kept as TMDB gave it


def test_movies_known_only_from_a_listing_carry_its_genres(replayed_run):
    days, _, db = replayed_run
    rows = _rows(db, "select movie_id, has_details, genre_names, original_language_code from marts.dim_movie")
    listing_only = {movie_id: (genres, language) for movie_id, has, genres, language in rows if not has}
    assert set(listing_only) == days.gone_ids
    for movie_id, (genres, language) in listing_only.items():
        listed = next(movie for movie in days.discover if movie["id"] == movie_id)
        assert len(genres) == len(listed["genre_ids"]) > 0
        assert language == listed["original_language"]
    sources = _rows(db, "select distinct genre_source from intermediate.int_movie_genres order by 1")
    assert sources == [("details",), ("listing",)]


def test_people_of_the_real_bodies_load_and_changed_ones_are_fetched_again(replayed_run):
    days, _, db = replayed_run
    first, second, third = (date.fromisoformat(d) for d in ("2023-04-10", "2023-04-11", "2023-04-12"))
    fetched = dict(_rows(db, "select person_id, details_fetched_on from marts.dim_person where has_details"))
    # day 1 knew no credits; day 2 fetched the credited people; day 3 again the one /person/changes listed
    assert fetched and first not in fetched.values() and days.gone_person_id not in fetched
    assert fetched[days.changed_person_id] == third and set(fetched.values()) == {second, third}
    # the real body (no external ids appended in the recording): its imdb id, dates parsed, null deathday
    row = _rows(
        db,
        "select birthday, deathday, imdb_id, wikidata_id, place_of_birth, is_deleted from marts.dim_person "
        f"where person_id = {days.changed_person_id}",
    )
    assert row == [(date(1963, 12, 18), None, "nm0000093", None, "Shawnee, Oklahoma, USA", False)]
    gone = _rows(db, f"select has_details, is_deleted from marts.dim_person where person_id = {days.gone_person_id}")
    assert gone == [(False, True)]  # its 404 is a tombstone, not an error


def test_the_fan_endpoints_oddities_reach_the_marts_as_tmdb_sent_them(replayed_run):
    days, result, db = replayed_run
    # a release type TMDB has not documented, rated outside its list, without a date: kept, and warned about
    odd = _rows(
        db,
        "select release_type, release_type_name, release_date, certification_key from marts.fct_movie_release "
        f"where movie_id = {days.odd_release_id} and tmdb_country_code = 'US'",
    )
    assert odd == [(7, "Other", None, "US:Unrated")]
    certifications = dict(_rows(db, "select certification_key, is_in_tmdb_list from marts.dim_certification"))
    assert certifications["US:Unrated"] is False and certifications["CA-QC:13+"] is True
    assert certifications["US:R"] is True and certifications["DE:6"] is True
    # where to watch: the free and ads offers, the provider without logo nor priority named all the same
    watch = _rows(
        db,
        "select free_providers, ads_providers, cheapest_way from marts.movie_where_to_watch "
        f"where movie_id = {days.odd_offers_id} and region_code = 'US'",
    )
    assert watch == [(["Plex"], ["Amazon Prime Video"], "free")]
    # the review without a rating; now playing read up to the configured pages, each movie once
    assert _rows(db, "select count(*), count(author_rating) from marts.fct_review") == [(1, 0)]
    playing = _rows(
        db,
        "select listing_region, snapshot_date, count(*), max(listing_rank) from marts.fct_movie_listing_daily "
        "where list_name = 'now_playing' group by all",
    )
    assert len(playing) == 4 * 3 and {row[2:] for row in playing} == {(5, 5)}
    # facts about TMDB's data: warnings, the run exits 0 (test_the_run_exits_0_...)
    warned = [line for line in result.stdout.splitlines() if line.startswith("WARNING")]
    assert any("release_type" in line for line in warned), warned
    assert any("is_in_tmdb_list" in line for line in warned), warned
