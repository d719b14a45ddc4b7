"""dim_person's details and external ids equal what TMDB (the emulator) served for each fetched person on the day of
the fetch, with TMDB's "" and unknowns as NULL; people never fetched keep NULL details. Uses the warehouse
test_dbt_build.py builds (the session fixture `dbt_warehouse`, ingested with the tests' `people_per_run`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pipelines.emulator import TMDBEmulator
from tests.conftest import TEST_PEOPLE_PER_RUN
from tests.dbt_helpers import emulator_config

SAMPLE = 60


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def test_dim_person_details_equal_what_tmdb_served(dbt_warehouse):
    rows = dbt_warehouse.rows(
        "select person_id, details_fetched_on, birthday, deathday, place_of_birth, homepage, imdb_id, wikidata_id, "
        f"facebook_id, twitter_id, is_deleted from marts.dim_person where has_details order by person_id limit {SAMPLE}"
    )
    assert len(rows) >= TEST_PEOPLE_PER_RUN
    emulator = TMDBEmulator(emulator_config())
    for person_id, fetched_on, *loaded in rows:
        emulator.set_date(fetched_on)
        body = emulator.api.handle(f"/3/person/{person_id}", {"append_to_response": "external_ids"}).body
        ids = body["external_ids"]
        expected = [
            _date(body["birthday"]),
            _date(body["deathday"]),  # TMDB's "" is NULL
            _text(body["place_of_birth"]),
            _text(body["homepage"]),
            _text(ids["imdb_id"]),
            _text(ids["wikidata_id"]),
            _text(ids["facebook_id"]),
            _text(ids["twitter_id"]),
            False,
        ]
        assert loaded == expected, person_id


def test_people_without_details_have_none(dbt_warehouse):
    counts = dbt_warehouse.rows(
        "select count(*) filter (where has_details), count(*) filter (where not has_details), "
        "count(*) filter (where not has_details and coalesce(imdb_id, wikidata_id, biography) is not null) "
        "from marts.dim_person"
    )[0]
    assert counts[0] > 0 and counts[1] > counts[0] and counts[2] == 0
