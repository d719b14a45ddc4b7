"""Release dates, external ids and watch providers load from TMDB's real recorded body (/movie/12313 with
everything appended), and from odd variants of it: no providers, null external ids, a release type TMDB has not
documented, '' certifications. The reference lists: a body of TMDB's documented shape loads, a 404 keeps the list
loaded before."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from pipelines.ingest import IngestOptions, run_ingest
from pipelines.tmdb.certifications import fetch_certifications
from pipelines.tmdb.reviews import pages_to_read, review_rows
from pipelines.tmdb.watch import fetch_providers, watch_offers
from tests.ingest_helpers import column, connect, make_paths, scalar
from tests.tmdb_replay import example, ingest_replayed_day, replay_http, serve

DAY = date(2023, 1, 14)
FULL = example("movie_details_12313_append_all__c-eg.json")
# /certification/movie/list as TMDB documents it (no recording of it is published): keyed by country.
CERTIFICATION_LIST = {
    "certifications": {
        "DE": [
            {"certification": "0", "meaning": "No age restriction.", "order": 1},
            {"certification": "6", "meaning": "No children younger than 6 years admitted.", "order": 2},
        ],
        "US": [{"certification": "", "meaning": "an entry without a rating", "order": 0}],
        "XX": [],
    }
}

# the recorded reviews page, as TMDB sends it for a movie with 41 reviews (three pages)
PLAIN_REVIEWS = {
    **FULL["reviews"],
    "results": [{**FULL["reviews"]["results"][0], "id": "plain-review-1"}],
    "total_pages": 3,
    "total_results": 41,
}


def _odd(movie_id: int) -> dict[str, Any]:
    body = copy.deepcopy(FULL)
    body["id"] = movie_id
    body["watch/providers"] = {"results": {}}
    body["external_ids"] = {key: None for key in FULL["external_ids"]}
    body["release_dates"]["results"][0]["release_dates"][0].update(type=7, certification="", note=None)
    return body


class Replay:
    def __init__(self) -> None:
        discover = example("discover_movie__c-eg.json")
        self.discover = {**discover, "results": discover["results"][:3], "total_pages": 1}
        self.full_id, self.odd_id, self.plain_id = (r["id"] for r in self.discover["results"])
        self.lists_answer = True
        self.reviews_gone = True  # the plain movie's later review pages: 404 (deleted after its details answered)
        self.review_pages: list[int] = []
        self.not_found_status = 404  # 200: "not found" comes in a 200 body (`success` false, status_code 34)
        self.trending_shift = 0  # a later run of the same day: TMDB's trending moved on, its first movie fell off

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        if path == "/3/genre/movie/list":
            return 200, example("genre_movie_list__c-eg.json")
        if path == "/3/discover/movie":
            return 200, self.discover
        if path == "/3/movie/changes":
            return 200, {"page": 1, "results": [], "total_pages": 1, "total_results": 0}
        if path == "/3/certification/movie/list" and self.lists_answer:
            return 200, CERTIFICATION_LIST
        if path == "/3/trending/movie/day":
            # the recorded list shape; TMDB re-sorted between the pages: page 2 repeats the last movie of page 1
            popular = [{**m, "media_type": "movie"} for m in example("movie_popular__c-eg.json")["results"]]
            page = int(query.get("page", ["1"])[0])
            popular = popular[self.trending_shift :]
            results = popular[:10] if page == 1 else popular[9:15]
            return 200, {"page": page, "results": results, "total_pages": 2, "total_results": 15}
        if path == "/3/movie/now_playing":
            region = query.get("region", [""])[0]
            shown = [] if region == "FR" else example("discover_movie__c-eg.json")["results"][:3]
            body = {"page": 1, "results": shown, "total_pages": 1, "total_results": len(shown)}
            return 200, {"dates": {"maximum": "2023-01-20", "minimum": "2022-12-03"}, **body}
        if path.startswith("/3/movie/") and path.rsplit("/", 1)[1].isdigit():
            movie_id = int(path.rsplit("/", 1)[1])
            if movie_id == self.odd_id:
                return 200, _odd(movie_id)
            if movie_id == self.plain_id:
                return 200, {**example("movie_details_550__c-eg.json"), "id": movie_id, "reviews": PLAIN_REVIEWS}
            return 200, {**FULL, "id": movie_id}
        if path == f"/3/movie/{self.plain_id}/reviews":
            page = int(query.get("page", ["1"])[0])
            self.review_pages.append(page)
            if self.reviews_gone:
                return self.not_found_status, {"success": False, **example("error_404_not_found__jdrouet.json")}
            return 200, {**PLAIN_REVIEWS, "page": page, "results": []}
        return self.not_found_status, {"success": False, **example("error_404_not_found__jdrouet.json")}


@pytest.fixture
def replay() -> Iterator[tuple[Replay, str]]:
    routes = Replay()
    with serve(routes.answer) as base_url:
        yield routes, base_url


def test_release_dates_external_ids_and_providers_of_real_bodies_load(replay, tmp_path):
    routes, base_url = replay
    paths = make_paths(tmp_path)
    report = ingest_replayed_day(base_url, paths, DAY, top_n=3)
    assert report.outcome == "succeeded"

    # every offer of the real body, one row per region, type and provider, with the region's link
    expected = sorted(
        (region, kind, p["provider_id"], p["display_priority"], entry["link"])
        for region, entry in FULL["watch/providers"]["results"].items()
        for kind, providers in entry.items()
        if kind != "link"
        for p in providers
    )
    loaded = column(
        paths,
        "select list(row(w.region, w.monetization_type, w.provider_id, w.display_priority, w.link) "
        "order by all) from raw.movie_details__watch_providers w "
        "join raw.movie_details m on w._dlt_root_id = m._dlt_id where m.id = ?",
        [routes.full_id],
    )[0]
    assert sorted(tuple(row) for row in loaded) == expected and len(expected) > 10
    assert (
        scalar(
            paths,
            "select count(*) from raw.movie_details__watch_providers w "
            "join raw.movie_details m on w._dlt_root_id = m._dlt_id where m.id in (?, ?)",
            [routes.odd_id, routes.plain_id],
        )
        == 0
    )

    with connect(paths) as con:
        rows = con.execute(
            "select id, external_ids__imdb_id, external_ids__wikidata_id, external_ids__facebook_id "
            "from raw.movie_details"
        ).fetchall()
    ids = {movie_id: values for movie_id, *values in rows}
    real = FULL["external_ids"]
    assert ids[routes.full_id] == [real["imdb_id"], real["wikidata_id"], real["facebook_id"]]
    assert ids[routes.odd_id] == [None, None, None]  # staging falls back on the details' own imdb_id
    assert ids[routes.plain_id][1:] == [None, None]

    # the real release dates: DE rated '6', AT without a rating; the odd type and '' kept as sent
    releases = column(
        paths,
        "select list(row(c.iso_3166_1, r.type, r.certification, r.release_date) order by all) "
        "from raw.movie_details__release_dates__results__release_dates r "
        "join raw.movie_details__release_dates__results c on r._dlt_parent_id = c._dlt_id "
        "join raw.movie_details m on r._dlt_root_id = m._dlt_id where m.id = ?",
        [routes.full_id],
    )[0]
    assert sorted(tuple(r) for r in releases) == [
        ("AT", 3, "", "2004-11-19T00:00:00.000Z"),
        ("DE", 3, "6", "2004-11-18T00:00:00.000Z"),
    ]
    odd_type = "select r.type from raw.movie_details__release_dates__results__release_dates r "
    odd_type += "join raw.movie_details m on r._dlt_root_id = m._dlt_id where m.id = ? and r.type = 7"
    assert column(paths, odd_type, [routes.odd_id]) == [7]

    # the certification list: rows per country and rating, the entry without a rating dropped
    certifications = column(paths, "select iso_3166_1 || ':' || certification from raw.certifications order by 1")
    assert certifications == ["DE:0", "DE:6"]
    # /watch/providers/movie answered 404 here: no table, and the run still succeeded
    assert "watch_providers" not in column(
        paths, "select table_name from information_schema.tables where table_schema = 'raw'"
    )

    # a later run whose certification list answers 404 keeps the list loaded before
    routes.lists_answer = False
    later = run_ingest(IngestOptions(snapshot_date=date(2023, 1, 15), top_n=3), replay_http(base_url), paths, False)
    assert later.outcome == "succeeded"
    assert scalar(paths, "select count(*) from raw.certifications") == 2


def test_not_found_in_a_200_body_is_a_missing_list_not_a_failed_day(replay, tmp_path):
    """Some proxies and old API answers say "not found" in a 200 body (`success` false, status_code 34): for the
    certification and provider lists, trending, the person changes and a review page, as for a 404, the day
    goes on and what was loaded before stays."""
    routes, base_url = replay
    paths = make_paths(tmp_path)
    assert ingest_replayed_day(base_url, paths, DAY, top_n=3).outcome == "succeeded"
    routes.not_found_status, routes.lists_answer = 200, False
    later = run_ingest(IngestOptions(snapshot_date=date(2023, 1, 15), top_n=3), replay_http(base_url), paths, False)
    assert later.outcome == "succeeded"
    assert scalar(paths, "select count(*) from raw.certifications") == 2
    assert scalar(paths, "select count(*) from raw.movie_listings where snapshot_date = '2023-01-15'") > 0


def test_trending_and_now_playing_listings_load_ranked(replay, tmp_path):
    routes, base_url = replay
    paths = make_paths(tmp_path)
    report = ingest_replayed_day(base_url, paths, DAY, top_n=3)
    assert report.outcome == "succeeded"
    popular = [m["id"] for m in example("movie_popular__c-eg.json")["results"]]
    with connect(paths) as con:
        listed = con.execute(
            "select list_name, region, id, rank from raw.movie_listings where snapshot_date = ? order by all", [DAY]
        ).fetchall()
    trending = sorted((rank, movie_id) for name, _, movie_id, rank in listed if name == "trending_day")
    # 15 distinct movies ranked 1..15 in the order shown, the repeated one at its first rank
    assert trending == list(enumerate(popular[:15], start=1))
    # trending week answered 404 here: left out of the day, the run goes on
    assert not [row for row in listed if row[0] == "trending_week"]
    playing = {(region, movie_id, rank) for name, region, movie_id, rank in listed if name == "now_playing"}
    first_three = [m["id"] for m in example("discover_movie__c-eg.json")["results"][:3]]
    assert playing == {(r, i, n) for r in ("US", "GB", "DE") for n, i in enumerate(first_three, start=1)}


def test_a_day_run_again_holds_only_the_listing_of_its_last_run(replay, tmp_path):
    """TMDB's trending moves within a day: a movie that fell off the list by the second run of the day must not
    keep its old rank beside the movie now holding it (two movies at rank 1 fail fct_movie_listing_daily)."""
    routes, base_url = replay
    paths = make_paths(tmp_path)
    assert ingest_replayed_day(base_url, paths, DAY, top_n=3).outcome == "succeeded"
    routes.trending_shift = 1
    assert ingest_replayed_day(base_url, paths, DAY, top_n=3).outcome == "succeeded"
    popular = [m["id"] for m in example("movie_popular__c-eg.json")["results"]]
    with connect(paths) as con:
        trending = con.execute(
            "select rank, id from raw.movie_listings where list_name = 'trending_day' and snapshot_date = ? "
            "order by rank, id",
            [DAY],
        ).fetchall()
    assert trending == list(enumerate(popular[1:16], start=1))
    # the lists the second run read the same are still whole
    assert scalar(paths, "select count(*) from raw.movie_listings where list_name = 'now_playing'") == 9


def test_reviews_of_the_real_body_load_and_its_contradictory_page_asks_no_more(replay, tmp_path):
    routes, base_url = replay
    paths = make_paths(tmp_path)
    report = ingest_replayed_day(base_url, paths, DAY, top_n=3)
    assert report.outcome == "succeeded"
    real = FULL["reviews"]["results"][0]
    with connect(paths) as con:
        rows = con.execute(
            "select id, movie_id, author_username, author_rating, content, created_at "
            "from raw.movie_reviews order by all"
        ).fetchall()
        tables = [
            r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()
        ]
    # the recorded first page has one review and says total_pages 0: kept, and no other page asked for
    expected = (real["id"], real["author_details"]["username"], 5.0, real["content"], real["created_at"])
    assert sorted((i, u, r, c, t) for i, m, u, r, c, t in rows if m == routes.full_id) == [expected]
    assert not any("reviews" in table for table in tables if table.startswith("movie_details"))


def test_a_review_page_that_answers_404_keeps_the_first_and_is_asked_again_next_day(replay, tmp_path):
    """A movie deleted between its details and its next review page: the day succeeds with the first page's
    reviews, and the next day asks again from page 2 (not from the last page TMDB announced)."""
    routes, base_url = replay
    paths = make_paths(tmp_path)
    assert ingest_replayed_day(base_url, paths, DAY, top_n=3).outcome == "succeeded"
    reviews = column(paths, "select id from raw.movie_reviews where movie_id = ?", [routes.plain_id])
    assert reviews == ["plain-review-1"] and routes.review_pages == [2]
    routes.reviews_gone = False
    options = IngestOptions(snapshot_date=date(2023, 1, 15), top_n=3, refresh_tracked=True)
    later = run_ingest(options, replay_http(base_url), paths, False)
    assert later.outcome == "succeeded" and routes.review_pages == [2, 2, 3]


def test_review_pages_to_read_are_only_the_new_ones():
    assert list(pages_to_read({"total_pages": 0, "results": [{}]}, None)) == []
    assert list(pages_to_read({"total_pages": 1}, None)) == []
    assert list(pages_to_read({"total_pages": 3}, None)) == [2, 3]
    assert list(pages_to_read({"total_pages": 3}, 3)) == [3]  # the last page read may have gained reviews
    assert list(pages_to_read({"total_pages": 4}, 3)) == [3, 4]
    assert list(pages_to_read({"total_pages": "x"}, None)) == [] and list(pages_to_read(None, 2)) == []
    rows = review_rows(7, {"results": [{"id": "a", "author_details": None}, {"content": "no id"}, None]}, DAY)
    assert rows == [{"id": "a", "movie_id": 7, "fetched_on": DAY}]


def test_watch_offers_reshape_keeps_every_provider_and_unknown_types():
    appended = {
        "results": {
            "US": {
                "link": "l",
                "flatrate": [{"provider_id": 8, "display_priority": 1}],
                "newtype": [{"provider_id": 9}],
            },
            "GB": {"link": None, "rent": [{"provider_id": None}, {"provider_id": 2}]},
            "FR": None,
        }
    }
    offers = watch_offers(appended)
    assert [(o["region"], o["monetization_type"], o["provider_id"]) for o in offers] == [
        ("US", "flatrate", 8),
        ("US", "newtype", 9),
        ("GB", "rent", 2),
    ]
    assert watch_offers(None) == [] and watch_offers({"results": []}) == []


class _Answers:
    """A client whose every list request answers `body`."""

    def __init__(self, body: Any) -> None:
        self.body = body

    def get_json_unless_missing(self, path: str, params: Any = None, kept: str = "the list") -> Any:
        return self.body


@pytest.mark.parametrize("body", [{"certifications": None, "results": None}, {}, [], {"success": True}])
def test_a_list_answer_without_its_list_keeps_the_list_loaded_before(body, caplog):
    """A 200 whose body lacks the list (null, missing, another shape): None (the resource is left out of the run,
    so the list loaded before stays) with one warning line, not a failed day."""
    assert fetch_certifications(_Answers(body)) is None
    assert fetch_providers(_Answers(body), ["US"]) is None
    lines = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(lines) == 2 and all("keeping the list" in line for line in lines), lines
