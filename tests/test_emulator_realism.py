"""The emulator's realism profile (TMDB's dirty data), its two configuration lists, and parity with real bodies."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests

from pipelines.emulator import RealismConfig, Simulation, reference
from pipelines.emulator.catalog import load_catalog
from pipelines.emulator.cli import add_arguments, config_from_args
from pipelines.emulator.synthetic import COUNTRY_NAMES, LANGUAGES

EXAMPLES = Path(__file__).parent / "fixtures" / "tmdb_api_examples"
KEY = {"api_key": "emulator-key"}
START = date(2017, 1, 20)
CLEAN = RealismConfig(enabled=False)
# Everything off: a test turns on the one behaviour it measures.
NONE = RealismConfig(**{name: 0.0 for name in RealismConfig.rate_names()}, null_fields=())
# Fields TMDB documents as nullable: an emulator null there matches any real value.
NULLABLE = {
    "backdrop_path",
    "belongs_to_collection",
    "homepage",
    "imdb_id",
    "logo_path",
    "original_language",
    "overview",
    "poster_path",
    "profile_path",
    "release_date",
    "runtime",
}

Details = dict[str, Any]


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def get(emulator: Any, path: str, **params: Any) -> requests.Response:
    return requests.get(emulator.base_url + path, params={**KEY, **params}, timeout=10)


def simulation(realism: RealismConfig | None, catalog: str = "tmdb5000", seed: int = 42) -> Simulation:
    return Simulation(
        load_catalog(catalog, seed=seed, start_date=START, synthetic_size=20_000),
        seed=seed,
        start_date=START,
        realism=realism,
    )


@cache
def clean_details(catalog: str = "tmdb5000") -> dict[int, Details]:
    sim = simulation(None, catalog)
    return {int(i): sim.movie_details(int(i), 0) for i in sim.catalog.ids[sim.visible_mask(0)]}


def served(realism: RealismConfig, catalog: str = "tmdb5000") -> list[tuple[Details, Details]]:
    """(served, clean) details of every movie visible on day 0."""
    sim = simulation(realism, catalog)
    return [(sim.movie_details(movie_id, 0), clean) for movie_id, clean in clean_details(catalog).items()]


def _non_latin(text: str) -> bool:
    return any(ord(ch) > 0x2FF for ch in text)


def _spoken(d: Details) -> set[str]:
    return {s["iso_639_1"] for s in d["spoken_languages"]}


# behaviour -> (was the clean movie eligible, does the served movie show it)
Check = tuple[Callable[[Details], bool], Callable[[Details, Details], bool]]
ANY: Callable[[Details], bool] = lambda clean: True  # noqa: E731
BEHAVIOURS: dict[str, Check] = {
    "language_mismatch_rate": (
        ANY,
        lambda d, c: (
            d["original_language"] != c["original_language"]
            and d["original_language"] in reference.language_codes()
            and d["original_language"] not in _spoken(d)
        ),
    ),
    "odd_language_rate": (
        lambda c: c["original_language"] not in ("xx", "cn"),
        lambda d, c: d["original_language"] in ("xx", "cn") and _spoken(d) == {d["original_language"]},
    ),
    "unknown_language_rate": (
        ANY,
        lambda d, c: d["original_language"] is not None and d["original_language"] not in reference.language_codes(),
    ),
    "null_language_rate": (ANY, lambda d, c: d["original_language"] is None),
    "no_genres_rate": (lambda c: c["genres"] != [], lambda d, c: d["genres"] == []),
    "empty_overview_rate": (lambda c: c["overview"] != "", lambda d, c: d["overview"] in ("", None)),
    "missing_release_date_rate": (lambda c: c["release_date"] != "", lambda d, c: d["release_date"] in ("", None)),
    "future_release_rate": (
        lambda c: c["release_date"] != "",
        lambda d, c: (d["release_date"] or "") >= "2030-01-01",
    ),
    "zero_runtime_rate": (lambda c: c["runtime"] not in (0, None), lambda d, c: d["runtime"] in (0, None)),
    "adult_rate": (ANY, lambda d, c: d["adult"] is True),
    "video_rate": (ANY, lambda d, c: d["video"] is True),
    "non_latin_title_rate": (
        lambda c: not _non_latin(c["title"]),
        lambda d, c: _non_latin(d["title"]) and d["title"] == d["original_title"],
    ),
    "long_overview_rate": (ANY, lambda d, c: len(d["overview"] or "") > 1000),
    "markup_rate": (
        ANY,
        lambda d, c: (
            d["title"] != c["title"]
            and any(m in d["title"] for m in ("<b>", "&amp;", "<script>", '"'))
            and "<script>alert(1)</script>" in (d["overview"] or "")
        ),
    ),
}


def share(realism: RealismConfig, name: str, catalog: str = "tmdb5000") -> float:
    eligible, shows = BEHAVIOURS[name]
    hits = [shows(d, c) for d, c in served(realism, catalog) if eligible(c)]
    return sum(hits) / len(hits)


def test_every_per_movie_behaviour_is_listed_here():
    per_day = {"vote_drop_rate", "reshuffle_rate", "unknown_change_rate", "adult_change_rate"}
    per_day.add("odd_certification_rate")  # per release, not per movie: tests/test_emulator_fan.py
    assert set(BEHAVIOURS) == set(RealismConfig.rate_names()) - per_day


@pytest.mark.parametrize("name", sorted(BEHAVIOURS))
def test_each_movie_behaviour_happens_at_its_rate_and_never_at_zero(name):
    assert share(dataclasses.replace(NONE, **{name: 0.2}), name) == pytest.approx(0.2, abs=0.03)
    assert share(NONE, name) == 0
    assert share(dataclasses.replace(NONE, enabled=False, **{name: 1.0}), name) == 0, "disabled: rates are ignored"


def test_defaults_are_on_and_show_every_movie_behaviour():
    assert RealismConfig().enabled
    pairs = served(RealismConfig())
    for name, (eligible, shows) in BEHAVIOURS.items():
        rate = getattr(RealismConfig(), name)
        hits = sum(shows(d, c) for d, c in pairs if eligible(c))
        assert 0 < hits < 4 * rate * len(pairs) + 10, name


def test_disabled_serves_the_clean_catalog():
    for d, c in served(dataclasses.replace(CLEAN, null_fields=("belongs_to_collection",))):
        assert d == c


def test_language_quirks_exclude_each_other_and_their_rates_sum_to_at_most_one():
    realism = dataclasses.replace(
        NONE, language_mismatch_rate=0.25, odd_language_rate=0.25, unknown_language_rate=0.25, null_language_rate=0.25
    )
    for name in ("language_mismatch_rate", "odd_language_rate", "unknown_language_rate", "null_language_rate"):
        assert share(realism, name) == pytest.approx(0.25, abs=0.04), name
    with pytest.raises(ValueError, match="sum to <= 1"):
        RealismConfig(language_mismatch_rate=0.6, null_language_rate=0.6)


def test_null_fields_are_null_in_every_movie():
    for d, _ in served(dataclasses.replace(NONE, null_fields=("belongs_to_collection", "homepage", "imdb_id"))):
        assert d["belongs_to_collection"] is None and d["homepage"] is None and d["imdb_id"] is None
    assert any(d["homepage"] for d, _ in served(NONE))


def test_config_validation():
    with pytest.raises(ValueError, match="must be in"):
        RealismConfig(markup_rate=1.5)
    with pytest.raises(ValueError, match="must be in"):
        RealismConfig(vote_drop_rate=-0.1)
    with pytest.raises(ValueError, match="null_fields"):
        RealismConfig(null_fields=("title",))


def test_synthetic_catalog_is_dirtied_too():
    realism = dataclasses.replace(NONE, no_genres_rate=0.2, empty_overview_rate=0.2, adult_rate=0.2)
    for name in ("no_genres_rate", "empty_overview_rate", "adult_rate"):
        assert share(realism, name, catalog="synthetic") == pytest.approx(0.2, abs=0.03), name


def test_same_seed_same_dirt_other_seed_other_dirt():
    def dirty_ids(seed: int) -> set[int]:
        sim = simulation(RealismConfig(null_fields=()), seed=seed)
        return {i for i, c in clean_details().items() if sim.movie_details(i, 0) != c}

    first = dirty_ids(42)
    assert first == dirty_ids(42) and len(first) > 100
    assert first != dirty_ids(7)


# --- per day: votes, changes ------------------------------------------------------------------------


def test_vote_counts_drop_at_the_rate_and_never_without_it():
    for rate in (0.05, 0.0):
        sim = simulation(dataclasses.replace(NONE, vote_drop_rate=rate))
        shares = []
        for day in range(1, 6):
            before, after = sim.view(day - 1).vote_count, sim.view(day).vote_count
            shares.append(((after < before) & (before > 0)).sum() / (before > 0).sum())
            assert (after >= 0).all()
        assert np.mean(shares) == pytest.approx(rate, abs=0.01)


def test_dropped_votes_agree_between_discover_and_details(emulator_factory):
    emulator = emulator_factory(rate_limit=0, realism={"vote_drop_rate": 0.5})
    sim = emulator.simulation
    emulator.advance(1)
    dropped = sim.view(1).vote_count < sim.view(0).vote_count
    page = get(emulator, "/discover/movie", sort_by="vote_count.desc").json()["results"]
    fell = [item for item in page if dropped[sim.catalog.index_of(item["id"])]]
    assert fell
    for item in fell:
        assert get(emulator, f"/movie/{item['id']}").json()["vote_count"] == item["vote_count"]


def test_changes_add_unknown_and_adult_ids_at_their_rates(emulator_factory):
    emulator = emulator_factory(rate_limit=0, edit_rate=0.05, realism={"unknown_change_rate": 0.2})
    emulator.advance(3)
    sim = emulator.simulation
    items = _all_changes(emulator)
    changed = sim.changed_ids(3)
    catalog_ids = set(sim.catalog.ids.tolist())
    noise = [item for item in items if item["id"] not in catalog_ids]
    assert {item["id"] for item in items} - {item["id"] for item in noise} == changed
    adult_noise = [item for item in noise if item["adult"]]
    assert len(noise) - len(adult_noise) == pytest.approx(0.2 * len(changed), abs=2)
    assert len(adult_noise) == pytest.approx(0.02 * len(changed), abs=2) and adult_noise
    for item in noise[:3]:
        assert get(emulator, f"/movie/{item['id']}").status_code == 404
    clean = emulator_factory(rate_limit=0, edit_rate=0.05, realism=CLEAN)
    clean.advance(3)
    assert {item["id"] for item in _all_changes(clean)} == changed


def _all_changes(emulator: Any) -> list[dict[str, Any]]:
    first = get(emulator, "/movie/changes").json()
    pages = [get(emulator, "/movie/changes", page=p).json() for p in range(2, first["total_pages"] + 1)]
    return [item for body in (first, *pages) for item in body["results"]]


def test_adult_movies_are_flagged_in_changes_and_hidden_from_discover_unless_asked(emulator_factory):
    emulator = emulator_factory(rate_limit=0, realism={"adult_rate": 0.5})
    sim = emulator.simulation
    emulator.advance(2)
    feed = get(emulator, "/movie/changes").json()["results"]
    for item in feed:
        index = sim.catalog.index_of(item["id"])
        if index is not None:
            assert item["adult"] == bool(sim.adult[index])
    assert any(item["adult"] and sim.catalog.index_of(item["id"]) is not None for item in feed)
    hidden = get(emulator, "/discover/movie", include_adult="false").json()
    shown = get(emulator, "/discover/movie", include_adult="true").json()
    assert not any(item["adult"] for item in hidden["results"])
    assert any(item["adult"] for item in shown["results"])
    assert shown["total_results"] > hidden["total_results"]


# --- the popularity reshuffle between pages ---------------------------------------------------------


def _pages(emulator: Any, count: int, **params: Any) -> list[list[int]]:
    return [
        [item["id"] for item in get(emulator, "/discover/movie", page=page, **params).json()["results"]]
        for page in range(1, count + 1)
    ]


def test_popularity_pages_repeat_and_skip_movies_by_default(emulator_factory):
    emulator = emulator_factory(rate_limit=0)
    pages = _pages(emulator, 15)
    seen = [movie_id for page in pages for movie_id in page]
    order = emulator.api.discover_index.query(0, "popularity.desc", None, None)
    expected = set(emulator.simulation.catalog.ids[order[: 15 * 20]].tolist())
    duplicates = len(seen) - len(set(seen))
    missed = expected - set(seen)
    assert duplicates >= 1 and missed
    assert duplicates <= 2 * 14 and len(missed) == duplicates, "bounded: each swap repeats one and skips one"
    assert all(len(page) == 20 == len(set(page)) for page in pages)
    assert pages == _pages(emulator, 15), "deterministic for a (seed, day, page)"
    assert _pages(emulator, 15, sort_by="popularity.desc") == pages


def test_no_reshuffle_at_rate_zero_or_for_other_sorts(emulator_factory):
    for emulator, params in (
        (emulator_factory(rate_limit=0, realism={"reshuffle_rate": 0.0}), {}),
        (emulator_factory(rate_limit=0, realism={"reshuffle_rate": 1.0}), {"sort_by": "vote_count.desc"}),
    ):
        seen = [movie_id for page in _pages(emulator, 10, **params) for movie_id in page]
        assert len(seen) == len(set(seen)) == 200


# --- the configuration lists ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fixture", "code", "historic"),
    [
        ("/configuration/languages", "configuration_languages__c-eg.json", "iso_639_1", {"xx", "cn", "sh"}),
        (
            "/configuration/countries",
            "configuration_countries__c-eg.json",
            "iso_3166_1",
            {"XC", "SU", "YU", "XG", "AN", "CS"},
        ),
    ],
)
def test_configuration_lists_are_tmdbs(emulator, path, fixture, code, historic):
    assert requests.get(emulator.base_url + path, timeout=10).status_code == 401
    answer = get(emulator, path)
    assert answer.status_code == 200
    body = answer.json()
    assert body == example(fixture)
    assert historic <= {entry[code] for entry in body}
    assert len(body) > 180 and all(isinstance(v, str) for entry in body for v in entry.values())


def test_configuration_list_quirks():
    by_code = {entry["iso_639_1"]: entry for entry in reference.languages()}
    assert by_code["xx"] == {"iso_639_1": "xx", "english_name": "No Language", "name": "No Language"}
    assert by_code["cn"]["name"] == "广州话 / 廣州話" and by_code["sh"]["english_name"] == "Serbo-Croatian"
    assert sum(entry["name"] == "" for entry in reference.languages()) > 50
    countries = {entry["iso_3166_1"]: entry["english_name"] for entry in reference.countries()}
    assert countries["SU"] == "Soviet Union" and countries["XC"] == "Czechoslovakia"


def test_every_catalog_code_is_in_tmdbs_lists():
    languages = reference.language_codes()
    countries = {entry["iso_3166_1"] for entry in reference.countries()}
    for details in clean_details().values():
        assert details["original_language"] in languages
        assert _spoken(details) <= languages
        assert {c["iso_3166_1"] for c in details["production_countries"]} <= countries
        assert set(details["origin_country"]) <= countries
    assert {lang[0] for lang in LANGUAGES} <= languages and set(COUNTRY_NAMES) <= countries
    dirty = {d["original_language"] for d, _ in served(RealismConfig())} - {None}
    assert dirty - languages, "only the deliberate unknown codes fall outside the list"
    assert all(len(code) == 2 for code in dirty - languages)


# --- CLI and control --------------------------------------------------------------------------------


def test_cli_realism_flags():
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert config_from_args(parser.parse_args([])).realism == RealismConfig()
    assert not config_from_args(parser.parse_args(["--no-realism"])).realism.enabled
    args = ["--realism-rate", "vote-drop=0.5", "--realism-rate", "adult_rate=0.1", "--realism-null-fields", ""]
    assert config_from_args(parser.parse_args(args)).realism == RealismConfig(
        vote_drop_rate=0.5, adult_rate=0.1, null_fields=()
    )
    with pytest.raises(SystemExit):
        parser.parse_args(["--realism-rate", "nonsense=1"])


def test_state_shows_the_realism_profile(emulator):
    state = requests.get(emulator.base_url.removesuffix("/3") + "/_emulator/state", timeout=10).json()
    assert state["realism"]["enabled"] is True and state["realism"]["reshuffle_rate"] == 0.3


# --- parity with real recorded bodies ---------------------------------------------------------------


def assert_includes(actual: Any, real: Any, where: str = "$") -> None:
    """Every key path of the real body exists in ``actual`` with a compatible JSON type.

    int and float are both numbers; null in the real body matches anything, and null in ``actual`` matches
    anything for the fields TMDB documents as nullable. List items are checked against every real item.
    """
    if real is None:
        return
    if isinstance(real, dict):
        assert isinstance(actual, dict), f"{where}: {type(actual).__name__} is not an object"
        for key, value in real.items():
            assert key in actual, f"{where}.{key} missing"
            if actual[key] is None and key in NULLABLE:
                continue
            assert_includes(actual[key], value, f"{where}.{key}")
    elif isinstance(real, list):
        assert isinstance(actual, list), f"{where}: {type(actual).__name__} is not an array"
        for i, item in enumerate(actual):
            for real_item in real:
                assert_includes(item, real_item, f"{where}[{i}]")
    else:
        assert _json_type(actual) == _json_type(real), f"{where}: {_json_type(actual)} != {_json_type(real)}"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def test_parity_with_real_bodies(emulator):
    for path, fixture in (
        ("/genre/movie/list", "genre_movie_list__c-eg.json"),
        ("/configuration", "configuration__c-eg.json"),
        ("/configuration/languages", "configuration_languages__c-eg.json"),
        ("/configuration/countries", "configuration_countries__c-eg.json"),
        ("/discover/movie", "discover_movie__c-eg.json"),
    ):
        assert_includes(get(emulator, path).json(), example(fixture), path)
    unauthorized = requests.get(emulator.base_url + "/movie/550", timeout=10)
    assert unauthorized.status_code == 401
    assert_includes(unauthorized.json(), example("error_401_invalid_api_key__jdrouet.json"), "401")
    missing = get(emulator, "/movie/1")
    assert missing.status_code == 404
    assert_includes(missing.json(), example("error_404_not_found__jdrouet.json"), "404")
    emulator.advance(2)
    assert_includes(get(emulator, "/movie/changes").json(), example("movie_changes__c-eg.json"), "changes")
    appends = ("credits", "keywords", "release_dates")
    real = example("movie_details_12313_append_all__c-eg.json")
    real = {k: v for k, v in real.items() if k in example("movie_details_550__c-eg.json") or k in appends}
    pairs = served(RealismConfig())
    dirty = [next(d["id"] for d, c in pairs if eligible(c) and shows(d, c)) for eligible, shows in BEHAVIOURS.values()]
    ids = [item["id"] for item in get(emulator, "/discover/movie").json()["results"]] + dirty
    for movie_id in ids:
        answer = get(emulator, f"/movie/{movie_id}", append_to_response=",".join(appends))
        if answer.status_code == 200:
            assert_includes(answer.json(), real, f"movie {movie_id}")
