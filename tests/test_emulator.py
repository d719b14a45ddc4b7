"""The TMDB emulator over real HTTP: shapes, TMDB's rules, faults, and the simulated clock."""

from __future__ import annotations

import json
import logging
import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests

from pipelines.emulator import EmulatorConfig, FaultConfig, RealismConfig, Simulation, TMDBEmulator
from pipelines.emulator.catalog import load_catalog
from pipelines.emulator.cli import add_arguments, config_from_args
from pipelines.emulator.synthetic import SyntheticCatalog

EXAMPLES = Path(__file__).parent / "fixtures" / "tmdb_api_examples"
KEY = {"api_key": "emulator-key"}
START = date(2017, 1, 20)
# Fields TMDB answers with null when it has nothing (the examples happen to have values); the realism
# profile serves the last four null too.
NULLABLE = {
    "backdrop_path",
    "poster_path",
    "belongs_to_collection",
    "imdb_id",
    "logo_path",
    "profile_path",
    "runtime",
    "homepage",
    "overview",
    "release_date",
    "original_language",
}
CLEAN = RealismConfig(enabled=False)
DYNAMIC = {"popularity", "vote_count", "vote_average"}


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def get(emulator: TMDBEmulator, path: str, session: requests.Session | None = None, **params: Any) -> requests.Response:
    return (session or requests).get(emulator.base_url + path, params={**KEY, **params}, timeout=10)


def assert_same_shape(actual: Any, expected: Any, where: str = "$") -> None:
    """Same keys and JSON value types as the real TMDB example, recursively (lists: against item 0)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        assert set(actual) == set(expected), f"{where}: {set(actual) ^ set(expected)}"
        for key, value in expected.items():
            if value is None or actual[key] is None:
                assert key in NULLABLE, f"{where}.{key} is null"
                continue
            assert_same_shape(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), where
        if expected:
            for i, item in enumerate(actual):
                assert_same_shape(item, expected[0], f"{where}[{i}]")
    else:
        assert type(actual) is type(expected), f"{where}: {type(actual).__name__} != {type(expected).__name__}"


def visible_id(emulator: TMDBEmulator, day: int = 0, where: Any = None) -> int:
    """A movie id visible on ``day`` whose details as served that day satisfy ``where``."""
    sim = emulator.simulation
    for index in np.flatnonzero(sim.visible_mask(day)):
        movie_id = int(sim.catalog.ids[index])
        if where is None or where(sim.movie_details(movie_id, day)):
            return movie_id
    raise AssertionError("no such movie")


# --- shapes -----------------------------------------------------------------------------------------


def test_genres_are_the_19_english_tmdb_genres_in_the_example_shape(emulator):
    body = get(emulator, "/genre/movie/list").json()
    expected = example("genre_movie_list__c-eg.json")
    assert_same_shape(body, expected)
    assert [g["id"] for g in body["genres"]] == [g["id"] for g in expected["genres"]]
    assert {"Adventure", "Comedy", "Science Fiction", "TV Movie", "War"} <= {g["name"] for g in body["genres"]}


def test_configuration_has_tmdb_shape(emulator):
    body = get(emulator, "/configuration").json()
    assert set(body) == {"images", "change_keys"}
    sizes = {"backdrop_sizes", "logo_sizes", "poster_sizes", "profile_sizes", "still_sizes"}
    assert set(body["images"]) == {"base_url", "secure_base_url"} | sizes
    assert "overview" in body["change_keys"]


def test_discover_page_matches_example_shape(emulator):
    response = get(emulator, "/discover/movie")
    assert response.headers["Content-Type"] == "application/json;charset=utf-8"
    assert int(response.headers["Content-Length"]) == len(response.content)
    body = response.json()
    assert_same_shape(body, example("discover_movie__c-eg.json"))
    assert len(body["results"]) == 20
    popularity = [item["popularity"] for item in body["results"]]
    assert popularity == sorted(popularity, reverse=True)


@pytest.mark.parametrize(
    "quirk",
    [
        lambda d: d["id"] == 19995,
        lambda d: d["runtime"] is None,
        lambda d: d["release_date"] == "",
        lambda d: d["budget"] == 0 and d["homepage"] in ("", None) and d["tagline"] == "",
        lambda d: d["belongs_to_collection"] is not None,
        lambda d: d["vote_count"] == 0,
    ],
    ids=["avatar", "null-runtime", "no-release-date", "zeros-and-empties", "collection", "no-votes"],
)
def test_movie_details_with_appends_match_examples(emulator, quirk):
    movie_id = visible_id(emulator, where=quirk)
    body = get(emulator, f"/movie/{movie_id}", append_to_response="credits,keywords,release_dates,videos").json()
    details_example = example("movie_details_550__c-eg.json")
    full_example = example("movie_details_12313_append_all__c-eg.json")
    assert set(body) == set(details_example) | {"credits", "keywords", "release_dates"}
    assert_same_shape({k: body[k] for k in details_example}, details_example)
    for appended in ("credits", "keywords", "release_dates"):
        assert_same_shape(body[appended], full_example[appended], appended)
    assert quirk(body)
    assert (body["release_dates"]["results"] == []) == (not body["release_date"])


def test_credits_items_match_example(emulator):
    movie_id = visible_id(emulator, where=lambda d: d["id"] == 19995)
    body = get(emulator, f"/movie/{movie_id}/credits").json()
    assert_same_shape(body, example("movie_credits__c-eg.json"))
    assert body["cast"][0]["name"] == "Sam Worthington" and body["cast"][0]["character"] == "Jake Sully"
    assert {"James Cameron"} == {c["name"] for c in body["crew"] if c["job"] == "Director"}
    assert len(body["cast"]) == 15


def test_changes_match_example_shape(emulator):
    emulator.advance(2)
    body = get(emulator, "/movie/changes").json()
    assert_same_shape(body, example("movie_changes__c-eg.json"))
    assert body["total_results"] == len(emulator.simulation.change_feed(2)) > len(emulator.simulation.changed_ids(2))


def test_error_bodies_are_tmdbs(emulator):
    unauthorized = requests.get(emulator.base_url + "/movie/19995", timeout=10)
    assert unauthorized.status_code == 401
    assert unauthorized.json() == example("error_401_invalid_api_key__jdrouet.json")
    missing = get(emulator, "/movie/1")
    assert missing.status_code == 404
    # The published 404 example predates TMDB adding "success": false to every error body.
    assert missing.json() == {**example("error_404_not_found__jdrouet.json"), "success": False}
    for path in ("/movie/not-a-number", "/movie/²", "/movie/99999999999999999999999", "/movie/19995/videos", "/tv/1"):
        answer = get(emulator, path)
        assert (answer.status_code, answer.json()) == (404, missing.json()), path


# --- TMDB's rules -----------------------------------------------------------------------------------


def test_auth_accepts_v3_key_or_v4_bearer_only(emulator):
    url = emulator.base_url + "/genre/movie/list"
    assert requests.get(url, params=KEY, timeout=10).status_code == 200
    assert requests.get(url, headers={"Authorization": "Bearer emulator-token"}, timeout=10).status_code == 200
    for params, headers in [
        ({}, {}),
        ({"api_key": "wrong"}, {}),
        ({}, {"Authorization": "Bearer wrong"}),
        ({}, {"Authorization": "emulator-token"}),
        ({"api_key": "emulator-token"}, {}),
    ]:
        answer = requests.get(url, params=params, headers=headers, timeout=10)
        assert answer.status_code == 401, (params, headers)
        assert answer.json()["status_code"] == 7


def test_discover_pagination_and_the_page_500_rule(emulator_factory):
    # Clean: the realism profile's reshuffle repeats and skips movies across pages, and hides adult ones.
    emulator = emulator_factory(rate_limit=0, catalog="synthetic", synthetic_size=100_000, realism=CLEAN)
    with requests.Session() as session:
        first = get(emulator, "/discover/movie", session).json()
        second = get(emulator, "/discover/movie", session, page=2).json()
        last = get(emulator, "/discover/movie", session, page=500)
        assert first["total_pages"] > 500 and first["total_results"] == len(emulator.simulation.visible_ids(0))
        assert last.status_code == 200 and len(last.json()["results"]) == 20
        items = first["results"] + second["results"]
        assert len({i["id"] for i in items}) == 40
        keys = [(-i["popularity"], i["id"]) for i in items]
        assert keys == sorted(keys)
        for page in (501, 0, -1, "x", "1.5"):
            answer = get(emulator, "/discover/movie", session, page=page)
            assert answer.status_code == 400, page
            assert answer.json() == {
                "success": False,
                "status_code": 22,
                "status_message": "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
            }


@pytest.mark.parametrize("sort_by", ["primary_release_date.asc", "vote_count.desc", "popularity.asc"])
def test_discover_date_window_pages_cover_exactly_the_visible_movies(emulator, sort_by):
    emulator.advance(20)
    window = {
        "primary_release_date.gte": "2010-01-01",
        "primary_release_date.lte": "2010-12-31",
        "sort_by": sort_by,
    }
    items: list[dict[str, Any]] = []
    with requests.Session() as session:
        page, total_pages = 1, 1
        while page <= total_pages:
            body = get(emulator, "/discover/movie", session, page=page, **window).json()
            items += body["results"]
            total_pages, page = body["total_pages"], page + 1
    sim = emulator.simulation
    in_2010 = {
        int(i)
        for i in sim.catalog.ids[
            (sim.release_ordinal >= date(2010, 1, 1).toordinal())
            & (sim.release_ordinal <= date(2010, 12, 31).toordinal())
            & ~sim.adult
        ]
    }
    assert [i["id"] for i in items] and len(items) == len({i["id"] for i in items})
    assert {i["id"] for i in items} == in_2010 & sim.visible_ids(20)
    assert all("2010-01-01" <= i["release_date"] <= "2010-12-31" for i in items)
    field, direction = sort_by.split(".")
    sign = -1 if direction == "desc" else 1
    value = {
        "primary_release_date": lambda item: date.fromisoformat(item["release_date"]).toordinal(),
        "vote_count": lambda item: item["vote_count"],
        "popularity": lambda item: item["popularity"],
    }[field]
    keys = [(sign * value(i), i["id"]) for i in items]
    assert keys == sorted(keys)


def test_changes_range_rule_and_bad_dates(emulator):
    emulator.advance(30)
    ok = get(emulator, "/movie/changes", start_date="2017-01-21", end_date="2017-02-04")
    assert ok.status_code == 200
    expected = set().union(*(emulator.simulation.change_feed(d) for d in range(1, 16)))
    assert {r["id"] for r in ok.json()["results"]} <= expected and ok.json()["total_results"] == len(expected)
    too_long = get(emulator, "/movie/changes", start_date="2017-01-21", end_date="2017-02-05")
    assert too_long.status_code == 422
    assert too_long.json() == {
        "success": False,
        "status_code": 20,
        "status_message": "Invalid date range: Should be a range no longer than 14 days.",
    }
    for bad in ("2017-13-01", "21-01-2017", "yesterday"):
        answer = get(emulator, "/movie/changes", start_date=bad)
        assert answer.status_code == 400 and answer.json()["status_code"] == 23, bad
    assert get(emulator, "/movie/changes", page=501).status_code == 400


def all_changes(emulator: TMDBEmulator, start: str, end: str) -> list[int]:
    """Every id of /movie/changes for [start, end], checking the 100-a-page paging on the way."""
    seen: list[int] = []
    page, total_pages = 1, 1
    while page <= total_pages:
        answer = get(emulator, "/movie/changes", start_date=start, end_date=end, page=page)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert len(body["results"]) == min(100, body["total_results"] - 100 * (page - 1))
        seen += [r["id"] for r in body["results"]]
        total_pages, page = body["total_pages"], page + 1
    return seen


def test_changes_pages_hold_100_ids_and_stop_at_today(emulator_factory):
    emulator = emulator_factory(rate_limit=0, edit_rate=0.05)
    emulator.advance(3)
    sim = emulator.simulation
    seen = all_changes(emulator, "2017-01-18", "2017-01-31")
    assert sorted(seen) == sorted(set(sim.change_feed(1)) | set(sim.change_feed(2)) | set(sim.change_feed(3)))
    assert len(seen) > 100


def test_rate_limit_answers_429_with_retry_after(emulator_factory):
    emulator = emulator_factory(rate_limit=5)
    with requests.Session() as session:
        answers = [get(emulator, "/genre/movie/list", session) for _ in range(12)]
        limited = [a for a in answers if a.status_code == 429]
        assert limited and all(a.status_code in (200, 429) for a in answers)
        assert limited[0].headers["Retry-After"] == "1"
        assert limited[0].json() == {
            "success": False,
            "status_code": 25,
            "status_message": "Your request count (#) is over the allowed limit of (5).",
        }
        time.sleep(1.05)
        assert get(emulator, "/genre/movie/list", session).status_code == 200
    assert emulator.stats["rate_limited"] == len(limited)


# --- faults -----------------------------------------------------------------------------------------


def test_no_faults_by_default(emulator_factory):
    emulator = emulator_factory(rate_limit=0, faults=FaultConfig())
    with requests.Session() as session:
        statuses = {get(emulator, "/discover/movie", session, page=p % 50 + 1).status_code for p in range(150)}
    assert statuses == {200}
    assert set(emulator.stats["faults"].values()) == {0}


def test_server_errors(emulator_factory):
    emulator = emulator_factory(rate_limit=0, faults={"error_rate": 1.0})
    with requests.Session() as session:
        answers = [get(emulator, "/movie/19995", session) for _ in range(30)]
    assert {a.status_code for a in answers} == {500, 502, 503}
    codes = {500: 11, 502: 43, 503: 9}
    for answer in answers:
        assert answer.json()["status_code"] == codes[answer.status_code]
        assert answer.json()["success"] is False
    assert emulator.stats["faults"]["error"] == 30


def test_429_storms(emulator_factory):
    emulator = emulator_factory(rate_limit=0, faults={"storm_every": 3, "storm_length": 2})
    with requests.Session() as session:
        answers = [get(emulator, "/genre/movie/list", session) for _ in range(10)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429] * 2
    assert all(a.headers["Retry-After"] == "1" for a in answers if a.status_code == 429)


def test_slow_answers_exceed_the_client_timeout(emulator_factory):
    emulator = emulator_factory(rate_limit=0, faults={"slow_rate": 1.0, "slow_seconds": 0.6})
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(emulator.base_url + "/genre/movie/list", params=KEY, timeout=0.2)
    assert emulator.stats["faults"]["slow"] == 1


def test_truncated_bodies(emulator_factory):
    emulator = emulator_factory(rate_limit=0, faults={"truncate_rate": 1.0})
    with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
        get(emulator, "/movie/19995")


def test_dropped_connections(emulator_factory):
    emulator = emulator_factory(rate_limit=0, faults={"drop_rate": 1.0})
    with pytest.raises(requests.exceptions.ConnectionError):
        get(emulator, "/movie/19995")
    assert emulator.stats["faults"]["drop"] == 1


def test_faults_spare_control_endpoints_and_are_deterministic(emulator_factory):
    faults = {"error_rate": 0.3, "storm_every": 7, "storm_length": 1}
    sequences = []
    for _ in range(2):
        emulator = emulator_factory(rate_limit=0, faults=faults)
        state = requests.get(emulator.base_url.removesuffix("/3") + "/_emulator/state", timeout=10)
        assert state.status_code == 200
        with requests.Session() as session:
            sequences.append([get(emulator, "/genre/movie/list", session).status_code for _ in range(40)])
    assert sequences[0] == sequences[1]
    assert {200, 429} <= set(sequences[0]) and set(sequences[0]) & {500, 502, 503}


# --- the simulated clock ----------------------------------------------------------------------------


def _snapshot(emulator: TMDBEmulator, ids: list[int]) -> dict[str, Any]:
    with requests.Session() as session:
        return {
            "discover": get(emulator, "/discover/movie", session, page=3).json(),
            "changes": get(emulator, "/movie/changes", session).json(),
            "details": [get(emulator, f"/movie/{i}", session).json() for i in ids],
        }


def test_same_seed_same_answers_and_day_reached_directly_equals_stepping(emulator_factory):
    ids = [19995, 550, 157336, 11891, 24428]
    direct = emulator_factory(rate_limit=0, seed=7)
    direct.set_date(START + timedelta(days=9))
    stepped = emulator_factory(rate_limit=0, seed=7)
    for _ in range(9):
        stepped.advance()
        _snapshot(stepped, ids[:1])
    assert stepped.today == direct.today
    assert _snapshot(direct, ids) == _snapshot(stepped, ids)
    # Going backwards recomputes the same past.
    direct.set_date(START + timedelta(days=4))
    back = _snapshot(direct, ids)
    fresh = emulator_factory(rate_limit=0, seed=7)
    fresh.set_date(START + timedelta(days=4))
    assert back == _snapshot(fresh, ids)
    other = emulator_factory(rate_limit=0, seed=8)
    other.set_date(START + timedelta(days=4))
    assert _snapshot(other, ids)["changes"] != back["changes"]


def test_simulation_state_is_order_independent():
    catalog = load_catalog("tmdb5000", seed=1, start_date=START, synthetic_size=0)
    sims = [Simulation(catalog, seed=1, start_date=START) for _ in range(2)]
    for day in (12, 3, 40, 39):
        sims[0].view(day)
    views = [sims[0].view(25), sims[1].view(25)]
    for name in ("popularity", "vote_count", "vote_average"):
        assert np.array_equal(getattr(views[0], name), getattr(views[1], name))
    assert sims[0].changed_ids(17) == sims[1].changed_ids(17)


def test_vote_count_never_decreases_and_values_stay_in_range():
    catalog = load_catalog("tmdb5000", seed=3, start_date=START, synthetic_size=0)
    sim = Simulation(catalog, seed=3, start_date=START)
    previous = sim.view(0)
    assert np.array_equal(previous.popularity, catalog.popularity)
    assert np.array_equal(previous.vote_count, catalog.vote_count)
    drifted = False
    for day in range(1, 61):
        view = sim.view(day)
        assert (view.vote_count >= previous.vote_count).all()
        assert (view.popularity >= 0).all()
        assert ((view.vote_average >= 0) & (view.vote_average <= 10)).all()
        assert (view.vote_average[view.vote_count == 0] == 0).all()
        assert np.array_equal(view.popularity, np.round(view.popularity, 3))
        drifted |= not np.array_equal(view.vote_average, previous.vote_average)
        previous = view
    assert drifted and (previous.vote_count > catalog.vote_count).any()


def test_vote_count_never_decreases_over_http(emulator_factory):
    emulator = emulator_factory(rate_limit=0, realism=CLEAN)  # realism's vote_drop_rate removes votes
    ids = [19995, 211672, 157336]
    counts = []
    for _ in range(5):
        counts.append([get(emulator, f"/movie/{i}").json()["vote_count"] for i in ids])
        emulator.advance(3)
    for before, after in zip(counts, counts[1:], strict=False):
        assert all(a >= b for a, b in zip(after, before, strict=True))
    assert counts[-1] != counts[0]


def _static(details: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in details.items() if k not in DYNAMIC}


@pytest.mark.parametrize("day", [1, 4])
def test_changes_are_exactly_the_movies_whose_details_changed(emulator_factory, day):
    emulator = emulator_factory(rate_limit=0, edit_rate=0.05, delete_rate=0.01, new_release_rate=0.05)
    sim = emulator.simulation
    changed = sim.changed_ids(day)
    unchanged = sorted(sim.visible_ids(day - 1) - changed)
    sample = sorted(changed) + random.Random(day).sample(unchanged, 80)
    answers: list[dict[int, tuple[int, dict[str, Any]]]] = []
    for d in (day - 1, day):
        emulator.set_date(START + timedelta(days=d))
        with requests.Session() as session:
            answers.append({i: _answer(get(emulator, f"/movie/{i}", session)) for i in sample})
    differs = {i for i in sample if answers[0][i] != answers[1][i]}
    today = emulator.today.isoformat()
    listed = set(all_changes(emulator, today, today))
    assert listed & set(sim.catalog.ids.tolist()) == changed == differs
    assert listed - changed == set(sim.change_feed(day)) - changed, "the rest is noise: ids of no catalog movie"
    kinds = {(answers[0][i][0], answers[1][i][0]) for i in changed}
    assert kinds == {(200, 200), (404, 200), (200, 404)}, "edits, appearances and deletions all happen"


def _answer(response: requests.Response) -> tuple[int, dict[str, Any]]:
    return response.status_code, _static(response.json()) if response.status_code == 200 else {}


def test_deleted_movie_is_404_and_gone_from_discover(emulator_factory):
    emulator = emulator_factory(rate_limit=0, delete_rate=0.01)
    sim = emulator.simulation
    gone = sorted(sim.deleted_ids(3) & sim.visible_ids(0))
    movie_id = next(i for i in gone if sim.catalog.details(i)["release_date"])
    released = sim.catalog.details(movie_id)["release_date"]
    window = {"primary_release_date.gte": released, "primary_release_date.lte": released}
    assert get(emulator, f"/movie/{movie_id}").status_code == 200
    assert movie_id in {r["id"] for r in get(emulator, "/discover/movie", **window).json()["results"]}
    emulator.set_date(START + timedelta(days=3))
    answer = get(emulator, f"/movie/{movie_id}")
    assert answer.status_code == 404 and answer.json()["status_code"] == 34
    assert movie_id not in {r["id"] for r in get(emulator, "/discover/movie", **window).json()["results"]}
    assert movie_id not in sim.visible_ids(3) and movie_id in sim.deleted_ids(3)


def test_new_releases_appear_on_their_day(emulator):
    sim = emulator.simulation
    hidden = np.flatnonzero(sim.appear_day > 0)
    assert 0.005 < hidden.size / len(sim.catalog) < 0.02
    index = int(hidden[0])
    movie_id, day = int(sim.catalog.ids[index]), int(sim.appear_day[index])
    emulator.set_date(START + timedelta(days=day - 1))
    assert get(emulator, f"/movie/{movie_id}").status_code == 404
    emulator.advance()
    assert get(emulator, f"/movie/{movie_id}").status_code == 200
    assert movie_id in {r["id"] for r in get(emulator, "/movie/changes").json()["results"]}


# --- control, stats, CLI, catalogs ------------------------------------------------------------------


def test_control_endpoints_and_stats(emulator):
    control = emulator.base_url.removesuffix("/3") + "/_emulator"
    get(emulator, "/movie/19995")
    get(emulator, "/movie/1")
    get(emulator, "/discover/movie")
    requests.get(emulator.base_url + "/genre/movie/list", timeout=10)
    stats = requests.get(control + "/state", timeout=10).json()["stats"]
    assert stats["movie_ids"] == [19995, 1]
    assert stats["endpoints"]["movie"] == 2 and stats["endpoints"]["discover"] == 1
    assert stats["status_codes"] == {"200": 2, "401": 1, "404": 1}
    assert requests.post(control + "/stats/reset", timeout=10).json()["stats"]["requests"] == 0
    assert requests.post(control + "/clock", json={"advance_days": 3}, timeout=10).json()["date"] == "2017-01-23"
    assert requests.post(control + "/clock", json={"date": "2017-03-01"}, timeout=10).json()["day"] == 40
    assert emulator.today == date(2017, 3, 1)
    assert requests.post(control + "/clock", json={"date": "2016-01-01"}, timeout=10).status_code == 400
    assert requests.post(control + "/clock", data=b"not json", timeout=10).status_code == 400


def test_api_key_never_reaches_the_log(emulator, caplog):
    with caplog.at_level(logging.DEBUG, logger="pipelines.emulator"):
        get(emulator, "/movie/19995")
    assert caplog.records and "emulator-key" not in caplog.text


def test_cli_arguments_map_to_the_config():
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    config = config_from_args(
        parser.parse_args(["--port", "0", "--catalog", "synthetic", "--start-date", "2020-05-01", "--drop-rate", "0.1"])
    )
    assert config == EmulatorConfig(
        port=0, catalog="synthetic", start_date=date(2020, 5, 1), faults=FaultConfig(drop_rate=0.1)
    )
    assert config_from_args(parser.parse_args([])).port == 8765


def test_tmdb5000_catalog_keeps_the_dataset_quirks():
    catalog = load_catalog("tmdb5000", seed=0, start_date=START, synthetic_size=0)
    details = [catalog.details(int(i)) for i in catalog.ids]
    assert len(details) == 4803
    assert sum(d["runtime"] is None for d in details) == 2 and sum(d["runtime"] == 0 for d in details) == 35
    assert sum(d["release_date"] == "" for d in details) == 1
    assert sum(d["budget"] == 0 for d in details) == 1037 and sum(d["revenue"] == 0 for d in details) == 1427
    assert sum(d["overview"] == "" for d in details) == 3
    assert "\r" in catalog.details(11891)["overview"]
    iron_man = {d["title"]: d["belongs_to_collection"] for d in details if d["title"].startswith("Iron Man")}
    assert iron_man["Iron Man"] == iron_man["Iron Man 2"] and iron_man["Iron Man"]["name"] == "Iron Man Collection"
    assert catalog.credits(19995)["crew"] and catalog.keywords(19995)


def test_synthetic_100k_builds_and_answers_quickly(emulator_factory):
    started = time.perf_counter()
    catalog = SyntheticCatalog(100_000, seed=11, start_date=START)
    assert time.perf_counter() - started < 5
    ordinals = catalog.release_ordinal[catalog.release_ordinal > 0]
    recent = (ordinals >= date(2000, 1, 1).toordinal()).mean()
    assert recent > 0.5, "recent years are denser"
    assert (catalog.vote_count == 0).any() and (catalog.release_ordinal == 0).any()
    emulator = emulator_factory(rate_limit=0, catalog="synthetic", synthetic_size=100_000, seed=11)
    started = time.perf_counter()
    body = get(emulator, "/discover/movie", **{"primary_release_date.gte": "2015-01-01"}).json()
    window = get(emulator, "/discover/movie", page=50, sort_by="primary_release_date.desc").json()
    assert time.perf_counter() - started < 3
    assert body["total_results"] > 1000 and len(window["results"]) == 20
    movie = get(emulator, f"/movie/{body['results'][0]['id']}", append_to_response="credits,keywords").json()
    details_example = example("movie_details_550__c-eg.json")
    assert_same_shape({k: movie[k] for k in details_example}, details_example)
    assert_same_shape(movie["credits"], example("movie_details_12313_append_all__c-eg.json")["credits"])
