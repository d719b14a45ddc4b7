"""The emulator's release dates, certifications, external ids and watch providers have TMDB's shapes (the real
recorded body of /movie/12313 with everything appended) and its dirt: ratings TMDB's own list lacks, at the
realism profile's rate, movies without providers, '' certifications."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from pipelines.emulator import RealismConfig, fan
from tests.test_emulator import assert_same_shape, example, get, visible_id

REAL = example("movie_details_12313_append_all__c-eg.json")
APPENDS = "release_dates,external_ids,watch/providers"
OFFER_KEYS = set(fan.MONETIZATION_TYPES)


def _details(emulator: Any, movie_id: int) -> dict[str, Any]:
    answer = get(emulator, f"/movie/{movie_id}", append_to_response=APPENDS)
    assert answer.status_code == 200
    return answer.json()


def test_appended_bodies_have_the_shapes_of_the_real_recording(emulator):
    real_offer = REAL["watch/providers"]["results"]["AT"]["flatrate"][0]
    real_release = REAL["release_dates"]
    with_providers = 0
    for index in range(40):
        body = _details(emulator, int(emulator.simulation.catalog.ids[index]))
        assert_same_shape(body["release_dates"], real_release, "release_dates")
        assert set(body["external_ids"]) == set(REAL["external_ids"])
        assert all(v is None or isinstance(v, str) for v in body["external_ids"].values())
        providers = body["watch/providers"]
        assert set(providers) == {"results"} and isinstance(providers["results"], dict)
        for region, entry in providers["results"].items():
            assert len(region) == 2 and region.isupper()
            assert entry["link"].startswith(f"https://www.themoviedb.org/movie/{body['id']}-")
            assert set(entry) - {"link"} <= OFFER_KEYS and set(entry) != {"link"}
            for kind in set(entry) - {"link"}:
                for offer in entry[kind]:
                    assert_same_shape(offer, real_offer, f"{region}.{kind}")
                priorities = [o["display_priority"] for o in entry[kind]]
                assert priorities == sorted(priorities)
        with_providers += bool(providers["results"])
        if not body["release_date"]:
            assert body["release_dates"]["results"] == [] and providers["results"] == {}
    assert 10 < with_providers < 40, "most movies have providers somewhere, not all"


def test_sub_resources_and_reference_lists(emulator):
    movie_id = visible_id(emulator, where=lambda d: d["id"] == 19995)
    sub = get(emulator, f"/movie/{movie_id}/watch/providers").json()
    assert sub["id"] == movie_id and sub["results"] == _details(emulator, movie_id)["watch/providers"]["results"]
    assert set(get(emulator, f"/movie/{movie_id}/external_ids").json()) == {"id", *REAL["external_ids"]}

    certifications = get(emulator, "/certification/movie/list").json()["certifications"]
    assert [c["certification"] for c in certifications["US"]] == ["NR", "G", "PG", "PG-13", "R", "NC-17"]
    assert all([c["order"] for c in entries] == list(range(len(entries))) for entries in certifications.values())

    us = get(emulator, "/watch/providers/movie", watch_region="US").json()["results"]
    everywhere = get(emulator, "/watch/providers/movie").json()["results"]
    assert {p["provider_id"] for p in us} < {p["provider_id"] for p in everywhere}
    assert all(p["display_priority"] == p["display_priorities"]["US"] for p in us)
    stats = emulator.stats
    assert stats["endpoints"]["certifications"] == 1 and stats["endpoints"]["watch_providers"] == 2


def _certifications(realism: RealismConfig, emulator_factory: Any) -> list[tuple[str, str]]:
    emulator = emulator_factory(rate_limit=0, realism=realism)
    rated = []
    for movie_id in emulator.simulation.catalog.ids[:300]:
        answer = get(emulator, f"/movie/{int(movie_id)}", append_to_response="release_dates")
        if answer.status_code == 200:
            for country in answer.json()["release_dates"]["results"]:
                rated += [(country["iso_3166_1"], r["certification"]) for r in country["release_dates"]]
    return rated


@pytest.mark.parametrize("rate", [0.0, 0.3])
def test_ratings_outside_tmdbs_list_come_at_the_realism_rate(emulator_factory, rate):
    realism = dataclasses.replace(RealismConfig(), odd_certification_rate=rate)
    rated = [(country, c) for country, c in _certifications(realism, emulator_factory) if c]
    listed = {(country, c) for country, entries in fan.CERTIFICATIONS.items() for c, _ in entries}
    odd = sum((country, c) not in listed for country, c in rated) / len(rated)
    assert len(rated) > 300
    # a rating is '' 30% of the time before the odd draw, so the odd share of the rated ones is about rate
    assert odd == pytest.approx(rate, abs=0.06)


def test_trending_and_now_playing_have_the_list_shape_and_page(emulator):
    real_item = {**example("movie_popular__c-eg.json")["results"][0], "media_type": "movie"}
    emulator.advance(3)
    day = get(emulator, "/trending/movie/day").json()
    assert day["total_results"] == 1000 and day["total_pages"] == 50 and len(day["results"]) == 20
    for item in day["results"]:
        assert_same_shape(item, real_item)
    second = get(emulator, "/trending/movie/day", page=2).json()["results"]
    assert not {m["id"] for m in second} & {m["id"] for m in day["results"]}
    assert len(get(emulator, "/trending/movie/week").json()["results"]) == 20
    assert get(emulator, "/trending/movie/day", page=501).status_code == 400

    playing = get(emulator, "/movie/now_playing", region="GB").json()
    assert set(playing) == {"dates", "page", "results", "total_pages", "total_results"}
    assert playing["dates"]["maximum"] == emulator.today.isoformat()
    for item in playing["results"]:
        assert_same_shape(item, example("movie_popular__c-eg.json")["results"][0])
    stats = emulator.stats["endpoints"]
    assert stats["trending"] == 4 and stats["now_playing"] == 1


def test_reviews_page_oldest_first_and_new_ones_arrive_at_the_end(emulator):
    real = REAL["reviews"]["results"][0]
    movie_id = visible_id(emulator, where=lambda d: d["vote_count"] > 9000)
    first = get(emulator, f"/movie/{movie_id}/reviews").json()
    assert set(first) == {"id", "page", "results", "total_pages", "total_results"} and first["results"]
    for review in first["results"]:
        assert set(review) == set(real) and set(review["author_details"]) == set(real["author_details"])
    created = [r["created_at"] for r in first["results"]]
    assert created == sorted(created)
    emulator.advance(25)
    later = get(emulator, f"/movie/{movie_id}/reviews", page=first["total_pages"]).json()
    everything = later["total_results"]
    assert everything >= first["total_results"]
    appended = get(emulator, f"/movie/{movie_id}", append_to_response="reviews").json()["reviews"]
    assert appended["results"][: len(first["results"])] == first["results"]  # old reviews keep their place
    assert appended["total_results"] == everything
