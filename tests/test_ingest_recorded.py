"""The ingestion parses real recorded TMDB bodies, and odd but documented shapes, not only the emulator's.

A small replay server answers with the real response bodies in tests/fixtures/tmdb_api_examples/ (and variants
of them: nulls, integers where TMDB usually sends floats, fields missing or added, a 200 carrying TMDB's
not-found body, a list without total_pages).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.ingest_helpers import column, connect, make_paths, scalar, table_counts
from tests.tmdb_replay import example, ingest_replayed_day, serve

DAY = date(2023, 1, 14)


def _odd_details(movie_id: int) -> dict[str, Any]:
    """An older/newer shape: nulls and zeros for unknowns, ints for floats, appends missing, a new field."""
    body = copy.deepcopy(example("movie_details_550__c-eg.json"))
    body.update(
        id=movie_id,
        vote_average=0,
        popularity=0,
        vote_count=0,
        release_date="",
        runtime=None,
        budget=0,
        revenue=0,
        belongs_to_collection=None,
        genres=[],
        homepage=None,
        tagline="",
        overview="",
        brand_new_field={"nested": [1, 2]},
        credits={"cast": [], "crew": []},
    )
    body.pop("origin_country", None)
    body.pop("imdb_id", None)
    return body


class Replay:
    """Routes of the replay server; the discover ids decide which body each movie gets."""

    def __init__(self) -> None:
        self.discover = example("discover_movie__c-eg.json")
        ids = [r["id"] for r in self.discover["results"]]
        self.full_id, self.plain_id, self.odd_id, self.gone_id, self.gone_200_id = ids[:5]
        self.requests: list[str] = []

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        page = int(query.get("page", ["1"])[0])
        if path == "/3/configuration":
            return 200, {"images": {"base_url": "http://image.tmdb.org/t/p/"}, "change_keys": ["title"]}
        if path == "/3/genre/movie/list":
            return 200, example("genre_movie_list__c-eg.json")
        if path == "/3/discover/movie":
            return 200, self.discover if page == 1 else {"page": page, "results": []}
        if path == "/3/movie/changes":
            body = example("movie_changes__c-eg.json")
            body.pop("total_pages")  # some recordings lack it: the pages then run until an empty one
            return 200, {**body, "page": page} if page == 1 else {"page": page, "results": []}
        if path.startswith("/3/movie/") and path.rsplit("/", 1)[1].isdigit():
            movie_id = int(path.rsplit("/", 1)[1])
            if movie_id == self.gone_id:
                return 404, example("error_404_not_found__jdrouet.json")
            if movie_id == self.gone_200_id:
                return 200, {"success": False, "status_code": 34, "status_message": "not found"}
            if movie_id == self.odd_id:
                return 200, _odd_details(movie_id)
            if movie_id == self.plain_id:
                return 200, {**example("movie_details_550__c-eg.json"), "id": movie_id}
            return 200, {**example("movie_details_12313_append_all__c-eg.json"), "id": movie_id}
        return 404, example("error_404_not_found__jdrouet.json")


@pytest.fixture
def replay() -> Iterator[tuple[Replay, str]]:
    routes = Replay()

    def answer(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        routes.requests.append(path)
        return routes.answer(path, query)

    with serve(answer) as base_url:
        yield routes, base_url


def test_real_recorded_bodies_and_odd_shapes_load(replay, tmp_path):
    routes, base_url = replay
    paths = make_paths(tmp_path)
    report = ingest_replayed_day(base_url, paths, DAY, top_n=20)

    assert report.outcome == "succeeded"
    counts = table_counts(paths)
    assert counts["discover_results"] == 20
    assert counts["movie_details"] == 18
    assert set(column(paths, "select movie_id from raw.movie_tombstones")) == {routes.gone_id, routes.gone_200_id}
    assert counts["movie_changes"] == 100
    assert counts["genres"] == 19
    # types do not depend on which shape came first: no dlt variant columns, floats stay floats
    with connect(paths) as con:
        variants = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'raw' and column_name like '%\\_\\_v\\_%' escape '\\'"
        ).fetchall()
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw' and table_name = 'movie_details'"
            ).fetchall()
        )
    assert variants == []
    assert types["popularity"] == "DOUBLE" and types["vote_average"] == "DOUBLE"
    assert types["belongs_to_collection__id"] == "BIGINT"
    odd = scalar(paths, "select vote_average from raw.movie_details where id = ?", [routes.odd_id])
    assert odd == 0.0
    assert scalar(paths, "select release_date from raw.movie_details where id = ?", [routes.odd_id]) == ""
    # the appended credits of the real 12313 body are unnested, with billing order and character
    cast = scalar(
        paths,
        "select count(*) from raw.movie_details__credits__cast c "
        "join raw.movie_details m on c._dlt_root_id = m._dlt_id "
        'where m.id = ? and c.character is not null and c."order" is not null',
        [routes.full_id],
    )
    assert cast > 0
    directors = column(paths, "select distinct job from raw.movie_details__credits__crew where job = 'Director'")
    assert directors == ["Director"]
    # changes ran page by page until an empty page, as total_pages was missing
    assert routes.requests.count("/3/movie/changes") == 2
