"""People as the emulator serves them: `/person/{id}` (with `external_ids` appended), `/person/changes` and the
rows of the daily person export (`person_ids_MM_DD_YYYY.json.gz`).

The people are those credited in the catalog's movies (cast and crew), indexed on first use. Shapes follow TMDB's
documentation and the recorded body tests/fixtures/tmdb_api_examples/person_details_287__jdrouet.json. Everything
is a pure function of (seed, person id, day): a person changes on a day with probability `CHANGE_RATE` (the day's
`/person/changes` lists them, with a few ids of people no movie credits, as TMDB's feed is mostly people nobody
tracks), and a changed person's biography and popularity move. Like TMDB's data it is dirty: gender 0, null or ""
birthdays and deathdays, empty biographies, popularity 0, imdb ids null or "", external ids missing.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from pipelines.emulator.randomness import rng_for, uniform_hash

if TYPE_CHECKING:
    from pipelines.emulator.simulation import Simulation

CHANGE_RATE = 0.01
UNTRACKED_CHANGES = 7  # ids of people no catalog movie credits, in each day's /person/changes
UNTRACKED_ID_BASE = 80_000_000
_CHANGED, _DAILY, _ZERO = 0x9E45, 0x9E46, 0x9E47
_CITIES = ("Shawnee, Oklahoma, USA", "London, England, UK", "Lyon, France", "Tokyo, Japan", "Berlin, Germany")


@dataclass(frozen=True)
class Person:
    name: str
    gender: int
    department: str
    profile_path: str | None
    adult: bool
    base_popularity: float


class People:
    """The catalog's people, indexed lazily (thread-safe): the first person request parses every movie's credits."""

    def __init__(self, simulation: Simulation) -> None:
        self.simulation = simulation
        self.seed = simulation.seed
        self._lock = threading.Lock()
        self._people: dict[int, Person] | None = None
        self._ids = np.empty(0, dtype=np.int64)
        self._base = np.empty(0, dtype=np.float64)

    def index(self) -> dict[int, Person]:
        with self._lock:
            if self._people is None:
                credits_count: dict[int, int] = {}
                first: dict[int, dict[str, Any]] = {}
                catalog = self.simulation.catalog
                for movie_id in catalog.ids.tolist():
                    credits = catalog.credits(movie_id)
                    for item in [*credits.get("cast", []), *credits.get("crew", [])]:
                        person_id = item.get("id")
                        if person_id is None:
                            continue
                        credits_count[person_id] = credits_count.get(person_id, 0) + 1
                        first.setdefault(person_id, item)
                ids = np.array(sorted(first), dtype=np.int64)
                draws = uniform_hash(self.seed, _ZERO, ids)
                people = {}
                for person_id, draw in zip(ids.tolist(), draws.tolist(), strict=True):
                    item = first[person_id]
                    base = 0.0 if draw < 0.08 else round(0.6 + credits_count[person_id] * (0.5 + 3 * draw), 3)
                    people[person_id] = Person(
                        name=item.get("name") or "",
                        gender=int(item.get("gender") or 0),
                        department=item.get("known_for_department") or item.get("department") or "Acting",
                        profile_path=item.get("profile_path"),
                        adult=bool(item.get("adult")),
                        base_popularity=base,
                    )
                self._base = np.array([people[i].base_popularity for i in ids.tolist()], dtype=np.float64)
                self._people, self._ids = people, ids
            return self._people

    @property
    def ids(self) -> np.ndarray:
        self.index()
        return self._ids

    def popularity(self, day: int) -> np.ndarray:
        """Every person's popularity on `day` (aligned with `ids`, 3 decimals; 0 stays 0)."""
        self.index()
        return np.round(self._base * (0.7 + 0.6 * uniform_hash(self.seed, _DAILY, self._ids, day)), 3)

    def changed_ids(self, day: int) -> list[int]:
        """Ids `/person/changes` lists for `day` (day 0 lists none: the catalog's first state)."""
        if day < 1:
            return []
        ids = self.ids
        changed = ids[uniform_hash(self.seed, _CHANGED, ids, day) < CHANGE_RATE].tolist()
        untracked = [UNTRACKED_ID_BASE + day * 100 + n for n in range(UNTRACKED_CHANGES)]
        return sorted(changed + untracked)

    def versions(self, person_id: int, day: int) -> int:
        """How many times the person changed on days 1..day."""
        if day < 1:
            return 0
        return int((uniform_hash(self.seed, _CHANGED, person_id, np.arange(1, day + 1)) < CHANGE_RATE).sum())

    def details(self, person_id: int, day: int, append_external_ids: bool) -> dict[str, Any] | None:
        """`GET /3/person/{id}` on `day`; None (a 404) for an id no movie credits."""
        person = self.index().get(person_id)
        if person is None:
            return None
        rng = rng_for(self.seed, "person-details", person_id)
        version = self.versions(person_id, day)
        daily = 0.7 + 0.6 * float(uniform_hash(self.seed, _DAILY, person_id, day)[0])
        popularity = round(person.base_popularity * daily, 3)
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(70 * 365))
        birthday = None if rng.random() < 0.25 else born.isoformat()
        death_draw = rng.random()
        deathday: str | None = None
        if birthday and death_draw < 0.06:
            deathday = (born + timedelta(days=rng.randrange(40 * 365, 90 * 365))).isoformat()
        elif death_draw > 0.97:
            deathday = ""  # TMDB's data has "" where it means null
        imdb_draw = rng.random()
        imdb_id = f"nm{rng.randrange(10**7):07d}" if imdb_draw < 0.75 else (None if imdb_draw < 0.9 else "")
        biography = ""
        if rng.random() < 0.7:
            biography = f"{person.name} works in {person.department.lower()}."
            if version:
                biography += f" Revised {version} time{'s' if version > 1 else ''}."
        body: dict[str, Any] = {
            "adult": person.adult,
            "also_known_as": [person.name.upper()] if person.name and rng.random() < 0.2 else [],
            "biography": biography,
            "birthday": birthday,
            "deathday": deathday,
            "gender": person.gender,
            "homepage": None if rng.random() < 0.9 else f"https://example.org/{person_id}",
            "id": person_id,
            "imdb_id": imdb_id,
            "known_for_department": person.department,
            "name": person.name,
            "place_of_birth": rng.choice(_CITIES) if rng.random() < 0.6 else None,
            "popularity": popularity,
            "profile_path": person.profile_path,
        }
        if append_external_ids:
            body["external_ids"] = self.external_ids(person_id, person.name, imdb_id)
        return body

    def external_ids(self, person_id: int, name: str, imdb_id: str | None) -> dict[str, Any]:
        rng = rng_for(self.seed, "person-external-ids", person_id)
        slug = re.sub(r"[^a-z0-9]+", "", name.lower())[:20] or None
        return {
            "freebase_mid": None,
            "freebase_id": None,
            "imdb_id": imdb_id,
            "tvrage_id": None,
            "wikidata_id": f"Q{rng.randint(1000, 99_999_999)}" if rng.random() < 0.6 else None,
            "facebook_id": (slug if rng.random() < 0.4 else "") if slug else None,
            "instagram_id": slug if slug and rng.random() < 0.4 else None,
            "tiktok_id": slug if slug and rng.random() < 0.1 else None,
            "twitter_id": (slug if rng.random() < 0.3 else "") if slug else None,
            "youtube_id": None,
        }

    def export_rows(self, day: int) -> list[dict[str, Any]]:
        """The person export of `day`: `{"adult", "id", "name", "popularity"}` per person, ascending id."""
        people = self.index()
        popularity = self.popularity(day).tolist()
        return [
            {"adult": people[i].adult, "id": i, "name": people[i].name, "popularity": p}
            for i, p in zip(self._ids.tolist(), popularity, strict=True)
        ]
