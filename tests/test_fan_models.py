"""Certifications, releases, external ids and where to watch in the marts equal what TMDB (the emulator) served
for each movie's latest details: the emulator answers again for the same day, and the marts must tell the same
story. Uses the warehouse test_dbt_build.py builds (the session fixture `dbt_warehouse`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pipelines.emulator import TMDBEmulator, fan
from tests.dbt_helpers import DbtWarehouse, emulator_config

SAMPLE = 40


@pytest.fixture(scope="module")
def served(dbt_warehouse: DbtWarehouse) -> dict[int, dict[str, Any]]:
    """The details body TMDB gave for each of SAMPLE movies on the day of its latest details."""
    latest = dbt_warehouse.rows(
        "select movie_id, details_fetched_on from marts.dim_movie where has_details and not is_deleted "
        f"order by movie_id limit {SAMPLE}"
    )
    emulator = TMDBEmulator(emulator_config())
    bodies = {}
    for movie_id, fetched_on in latest:
        emulator.set_date(fetched_on)
        answer = emulator.api.handle(
            f"/3/movie/{movie_id}", {"append_to_response": "release_dates,external_ids,watch/providers"}
        )
        assert answer.status == 200
        bodies[movie_id] = answer.body
    return bodies


def _day(timestamp: str) -> date:
    return date.fromisoformat(timestamp[:10])


def test_every_release_is_a_fact_with_its_certification(dbt_warehouse, served):
    for movie_id, body in served.items():
        expected = sorted(
            (country["iso_3166_1"], r["type"], _day(r["release_date"]), r["certification"] or None, r["note"] or None)
            for country in body["release_dates"]["results"]
            for r in country["release_dates"]
        )
        loaded = dbt_warehouse.rows(
            "select tmdb_country_code, release_type, release_date, certification, note from marts.fct_movie_release "
            "where movie_id = ? order by all",
            [movie_id],
        )
        assert loaded == expected, movie_id


def _rating(releases: list[dict[str, Any]]) -> str | None:
    """The rule of movie_release_countries, said again: the earliest theatrical release with a rating, else the
    earliest release with one."""
    rated = [r for r in releases if r["certification"]]
    theatrical = [r for r in rated if r["type"] in (fan.THEATRICAL_LIMITED, fan.THEATRICAL)]
    best = sorted(theatrical or rated, key=lambda r: (r["release_date"], r["type"]))
    return best[0]["certification"] if best else None


def test_us_and_local_ratings_and_first_releases(dbt_warehouse, served):
    origin = dict(
        dbt_warehouse.rows("select movie_id, country_code from marts.bridge_movie_country where country_position = 1")
    )
    rated_somewhere = 0
    for movie_id, body in served.items():
        by_country = {c["iso_3166_1"]: c["release_dates"] for c in body["release_dates"]["results"]}
        row = dbt_warehouse.rows(
            "select us_certification, local_certification, first_release_date from marts.movie_ratings "
            "where movie_id = ?",
            [movie_id],
        )
        if not by_country:
            assert row == [], movie_id
            continue
        us, local, first = row[0]
        assert us == _rating(by_country.get("US", [])), movie_id
        assert local == _rating(by_country.get(origin.get(movie_id), [])), movie_id
        assert first == min(_day(r["release_date"]) for rs in by_country.values() for r in rs)
        rated_somewhere += us is not None
    assert rated_somewhere > 5


def test_certifications_are_tmdbs_list_with_meaning_and_order(dbt_warehouse):
    rows = dbt_warehouse.rows(
        "select country_code, certification, certification_order, is_in_tmdb_list from marts.dim_certification"
    )
    listed = {
        (country, c, order) for country, entries in fan.CERTIFICATIONS.items() for order, (c, _) in enumerate(entries)
    }
    assert {(country, c, order) for country, c, order, _ in rows} == listed  # no ratings outside the list here
    assert all(flag for *_, flag in rows)


def test_where_to_watch_lists_what_tmdb_lists_by_priority(dbt_warehouse, served):
    names = {provider_id: name for provider_id, name, _ in fan.PROVIDERS}

    def ordered(offers: list[dict[str, Any]]) -> list[str]:
        # best display priority first; TMDB leaves ties unordered, the mart orders them by name
        return [name for _, name in sorted((o["display_priority"], names[o["provider_id"]]) for o in offers)]

    with_offers = 0
    for movie_id, body in served.items():
        expected = {
            region: (ordered(entry.get("flatrate", [])), ordered(entry.get("rent", [])), entry["link"])
            for region, entry in body["watch/providers"]["results"].items()
        }
        loaded = {
            region: (flatrate, rent, link)
            for region, flatrate, rent, link in dbt_warehouse.rows(
                "select region_code, flatrate_providers, rent_providers, watch_link from marts.movie_where_to_watch "
                "where movie_id = ?",
                [movie_id],
            )
        }
        assert loaded == expected, movie_id
        with_offers += bool(expected)
    assert with_offers > 10


def test_external_ids_reach_dim_movie(dbt_warehouse, served):
    for movie_id, body in served.items():
        ids = body["external_ids"]
        row = dbt_warehouse.rows(
            "select wikidata_id, facebook_id, instagram_id, twitter_id from marts.dim_movie where movie_id = ?",
            [movie_id],
        )
        expected = tuple(ids[k] or None for k in ("wikidata_id", "facebook_id", "instagram_id", "twitter_id"))
        assert row == [expected], movie_id


def test_trending_ranks_are_tmdbs_and_relate_to_momentum(dbt_warehouse):
    emulator = TMDBEmulator(emulator_config())
    day = dbt_warehouse.last_day
    emulator.set_date(day)
    expected = []
    for page in range(1, 6):  # listing_pages, 5 by default
        expected += [m["id"] for m in emulator.api.handle("/3/trending/movie/day", {"page": str(page)}).body["results"]]
    loaded = dbt_warehouse.rows(
        "select movie_id from marts.fct_movie_listing_daily "
        "where list_name = 'trending_day' and snapshot_date = ? order by listing_rank",
        [day],
    )
    assert [movie_id for (movie_id,) in loaded] == expected and len(expected) == 100
    # every listed movie with a momentum row that day is counted once, under its class
    per_class = dbt_warehouse.scalar(
        "select sum(listed_movie_count) from marts.trending_vs_momentum "
        "where list_name = 'trending_day' and snapshot_date = ?",
        [day],
    )
    with_momentum = dbt_warehouse.scalar(
        "select count(*) from marts.fct_movie_listing_daily l join marts.popularity_momentum_daily m "
        "on l.movie_id = m.movie_id and l.snapshot_date = m.snapshot_date "
        "where l.list_name = 'trending_day' and l.snapshot_date = ?",
        [day],
    )
    assert per_class == with_momentum > 50
    latest = dbt_warehouse.rows(
        "select movie_id from marts.trending_latest where list_name = 'trending_day' order by listing_rank"
    )
    assert [movie_id for (movie_id,) in latest] == expected
