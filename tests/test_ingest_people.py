"""People of tracked movies: the real recorded person body parses, and against the emulator the top-billed cast and
key crew are fetched once (at most `people_per_run` a run, best billed first), then again only when
`/person/changes` lists them; the changes feed keeps its cursor in dlt state like the movie feed."""

from __future__ import annotations

import copy
import gzip
import json
from datetime import date, timedelta

import requests

from pipelines.emulator import TMDBEmulator
from pipelines.emulator.exports import ExportConfig
from pipelines.ingest import IngestOptions, run_ingest
from pipelines.tmdb.exports import PERSON_EXPORT_RESOURCES, ExportSettings
from pipelines.tmdb.people import KEY_JOBS, TOP_BILLED, KnownPeople, PeoplePlan, person_row
from tests.conftest import TEST_PEOPLE_PER_RUN
from tests.dbt_helpers import START
from tests.ingest_helpers import connect, fast_http, ingest_day, make_paths
from tests.tmdb_replay import example

REAL = example("person_details_287__jdrouet.json")
DAY = date(2023, 1, 14)


def test_the_real_person_body_parses_and_odd_values_stay_as_sent():
    row = person_row(REAL, DAY)
    assert (row["id"], row["name"], row["imdb_id"], row["birthday"]) == (287, "Brad Pitt", "nm0000093", "1963-12-18")
    assert row["also_known_as"] == REAL["also_known_as"] and row["fetched_on"] == DAY
    assert "deathday" not in row and "homepage" not in row  # null in the body: loaded as NULL
    assert row["external_ids"] == {}  # not appended in the recording: every external id NULL
    odd = copy.deepcopy(REAL)
    odd.update(deathday="", gender=0, popularity=0, also_known_as=None, biography="")
    odd["external_ids"] = {"imdb_id": "", "wikidata_id": None, "twitter_id": "bp", "freebase_mid": "/m/x"}
    row = person_row(odd, DAY)
    # staging turns "" into NULL; the raw row keeps what TMDB sent
    assert (row["deathday"], row["gender"], row["popularity"], row["biography"]) == ("", 0, 0, "")
    assert row["external_ids"] == {"imdb_id": "", "twitter_id": "bp"} and "also_known_as" not in row


def test_real_changes_page_shape_and_the_plan_claims_each_person_once():
    page = example("person_changes__jdrouet.json")
    assert page["total_pages"] > 1 and {"id", "adult"} == set(page["results"][0])
    known = KnownPeople(fetched=frozenset({4498462, 7}), candidates=[7, 1, 2, 3])
    plan = PeoplePlan(known, per_run=2)
    assert plan.new == [1, 2]  # the fetched one skipped, the cap kept, best billed first
    listed = [item["id"] for item in page["results"]]
    assert plan.claim(listed + [7], changed=True) == [4498462, 7]  # only people fetched before
    assert plan.claim([1, 2, 7], changed=False) == [1, 2]  # 7 already claimed in this run


def _candidates(emulator: TMDBEmulator, movie_ids: list[int]) -> list[int]:
    """The people the rule picks, said again from the emulator's credits: top billed cast and key crew."""
    ranked: dict[int, int] = {}
    for movie_id in movie_ids:
        credits = emulator.simulation.catalog.credits(movie_id)
        for item in credits["cast"]:
            if item["order"] < TOP_BILLED:
                ranked[item["id"]] = min(ranked.get(item["id"], TOP_BILLED), item["order"])
        for item in credits["crew"]:
            if item["job"] in KEY_JOBS:
                ranked.setdefault(item["id"], TOP_BILLED)
    return sorted(ranked, key=lambda person_id: (ranked[person_id], person_id))


TOP_N = 20


def test_people_are_fetched_once_then_only_when_changed(emulator, tmp_path):
    top_n = TOP_N
    paths = make_paths(tmp_path)
    ingest_day(emulator, paths, START, top_n=top_n)
    with connect(paths) as con:
        tracked = [r[0] for r in con.execute("select id from raw.movie_details").fetchall()]
        assert not con.execute(
            "select count(*) from information_schema.tables where table_name = 'person_details'"
        ).fetchone()[0]  # a first run knows no credits yet
    candidates = _candidates(emulator, tracked)
    assert len(candidates) > 2 * TEST_PEOPLE_PER_RUN

    day1 = START + timedelta(days=1)
    emulator.reset_stats()
    ingest_day(emulator, paths, day1, top_n=top_n)
    first = candidates[:TEST_PEOPLE_PER_RUN]
    with connect(paths) as con:
        fetched = dict(con.execute("select id, fetched_on from raw.person_details").fetchall())
        changes = con.execute("select count(*) from raw.person_changes").fetchone()[0]
        tracked = [r[0] for r in con.execute("select id from raw.movie_details").fetchall()]
    assert sorted(fetched) == sorted(first) and set(fetched.values()) == {day1}
    # the changed people of day 1 are all among the people of no interest yet: no refetch, no other request
    assert emulator.stats["endpoints"]["person"] == TEST_PEOPLE_PER_RUN
    assert changes == len(emulator.api.people.changed_ids(1))

    day2 = START + timedelta(days=2)
    emulator.reset_stats()
    ingest_day(emulator, paths, day2, top_n=top_n)
    changed = set(emulator.api.people.changed_ids(2)) & set(first)
    assert changed, "the emulator changes some fetched people on day 2"
    with connect(paths) as con:
        rows = con.execute(
            "select id, fetched_on, biography, popularity, external_ids__wikidata_id, deathday from raw.person_details"
        ).fetchall()
        windows = con.execute("select distinct change_window_start from raw.person_changes order by 1").fetchall()
    by_id = {r[0]: r[1:] for r in rows}
    # the next best billed of the movies tracked by then (day 1 discovered more)
    second = [i for i in _candidates(emulator, tracked) if i not in first][:TEST_PEOPLE_PER_RUN]
    assert set(by_id) == set(first) | set(second)
    # each changed person asked again, the others not; new people fetched up to the cap
    assert emulator.stats["endpoints"]["person"] == TEST_PEOPLE_PER_RUN + len(changed)
    emulator.set_date(day2)
    for person_id in changed | set(second):
        body = emulator.api.handle(f"/3/person/{person_id}", {"append_to_response": "external_ids"}).body
        expected = (body["biography"], body["popularity"], body["external_ids"]["wikidata_id"], body["deathday"])
        assert by_id[person_id] == (day2, *expected), person_id
    assert all(by_id[i][0] == day1 for i in set(first) - changed)
    # the cursor moved one day per run: day 1's window, then day 2's, never re-read
    assert windows == [(day1,), (day2,)]

    # re-running day 2 asks for no further people (the day's budget is spent) and reads no window again
    emulator.reset_stats()
    ingest_day(emulator, paths, day2, top_n=top_n)
    with connect(paths) as con:
        again = con.execute(
            "select id, fetched_on, biography, popularity, external_ids__wikidata_id, deathday from raw.person_details"
        ).fetchall()
    assert emulator.stats["endpoints"]["person"] == 0 and emulator.stats["endpoints"]["person_changes"] == 0
    assert sorted(again) == sorted(rows)


def _person_export(emulator: TMDBEmulator, when: date) -> list[tuple[int, float, str]]:
    url = f"{emulator.files_base_url}/person_ids_{when:%m_%d_%Y}.json.gz"
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, response.status_code
    rows = []
    for line in gzip.decompress(response.content).splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # the emulator's odd lines: not JSON
        if isinstance(row.get("popularity"), float | int):
            rows.append((row["id"], row["popularity"], row["name"]))
    return sorted(rows)


def test_the_person_export_loads_daily_with_its_gaps_retried_and_odd_lines_skipped(emulator_factory, tmp_path):
    """The person export goes through the movie export's loader: incremental by export date, gaps retried."""
    day1, day2 = START + timedelta(days=1), START + timedelta(days=2)
    exports = ExportConfig(missing_days=(day1,), odd_lines=2)
    emulator = emulator_factory(rate_limit=0, start_date=START, exports=exports)
    paths = make_paths(tmp_path)
    settings = ExportSettings(base_url=emulator.files_base_url, first_date=START, backoff_seconds=0.01)

    def ingest(when: date) -> None:
        emulator.set_date(when)
        options = IngestOptions(snapshot_date=when, person_exports=settings, resources=PERSON_EXPORT_RESOURCES)
        assert run_ingest(options, fast_http(emulator), paths, progress=False).outcome == "succeeded"

    ingest(day1)  # a first run backfills from the first date: START loads, day 1 is not published
    with connect(paths) as con:
        log = con.execute(
            "select export_date, outcome, null_popularity_lines, malformed_lines from raw.person_export_log"
        ).fetchall()
    assert sorted(log) == [(START, "loaded", 2, 2), (day1, "missing", 0, 0)]
    exports.missing_days = ()
    ingest(day2)  # the gap is retried with the new day
    with connect(paths) as con:
        loaded = con.execute(
            "select export_date, list((person_id, popularity, name) order by person_id) "
            "from raw.person_popularity_daily group by 1 order by 1"
        ).fetchall()
        movie_tables = con.execute(
            "select count(*) from duckdb_tables() where table_name = 'movie_catalog_daily'"
        ).fetchone()[0]
    assert [d for d, _ in loaded] == [START, day1, day2]
    for when, rows in loaded:
        assert [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows] == _person_export(emulator, when)
    assert movie_tables == 0  # its own resource and tables: the movie export is not read
