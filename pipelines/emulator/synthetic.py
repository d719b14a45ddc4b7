"""A synthetic TMDB-like catalog of any size (100k..1M+), deterministic from a seed.

Only the columns the emulator sorts or evolves are materialised (numpy arrays, ~40 bytes a movie); each
movie's details, credits and keywords are rebuilt from ``(seed, movie id)`` when asked for. The shapes
are the same as the real catalog's, with the same kinds of gaps: budget/revenue 0, empty overview,
tagline and homepage, null and zero runtimes, movies without release date, cast or crew.
"""

from __future__ import annotations

import random
from datetime import date
from functools import lru_cache

import numpy as np

from pipelines.emulator import words
from pipelines.emulator.catalog import Catalog, Details
from pipelines.emulator.randomness import credit_id, rng_for, stable_int
from pipelines.emulator.reference import GENRES, LANGUAGE_ENGLISH_NAMES

FIRST_YEAR = 1950
UPCOMING_DAYS = 365  # release dates reach this far past the start date (announced movies)
PERSON_ID_BASE = 5_000_000
COMPANY_ID_BASE = 200_000
KEYWORD_ID_BASE = 300_000
COLLECTION_ID_BASE = 9_500_000
NO_GENRE = 255

# (iso_639_1, native name, share of movies, production countries to pick from)
LANGUAGES: tuple[tuple[str, str, float, tuple[str, ...]], ...] = (
    ("en", "English", 0.62, ("US", "US", "US", "GB", "CA", "AU")),
    ("fr", "Français", 0.06, ("FR",)),
    ("es", "Español", 0.06, ("ES", "MX", "AR")),
    ("ja", "日本語", 0.05, ("JP",)),
    ("de", "Deutsch", 0.04, ("DE",)),
    ("it", "Italiano", 0.03, ("IT",)),
    ("ko", "한국어/조선말", 0.03, ("KR",)),
    ("zh", "普通话", 0.03, ("CN",)),
    ("hi", "हिन्दी", 0.03, ("IN",)),
    ("ru", "Pусский", 0.02, ("RU",)),
    ("pt", "Português", 0.02, ("BR", "PT")),
    ("sv", "svenska", 0.01, ("SE",)),
)
COUNTRY_NAMES = {
    "US": "United States of America",
    "GB": "United Kingdom",
    "CA": "Canada",
    "AU": "Australia",
    "FR": "France",
    "ES": "Spain",
    "MX": "Mexico",
    "AR": "Argentina",
    "JP": "Japan",
    "DE": "Germany",
    "IT": "Italy",
    "KR": "South Korea",
    "CN": "China",
    "IN": "India",
    "RU": "Russia",
    "BR": "Brazil",
    "PT": "Portugal",
    "SE": "Sweden",
}
# Relative genre frequencies, from the TMDB 5000 data (TV Movie raised a little).
GENRE_WEIGHTS = (1154, 790, 234, 1722, 696, 110, 2297, 513, 424, 197, 519, 185, 348, 894, 535, 60, 1274, 144, 82)
SUBTITLES = ("Resurrection", "The Return", "Reckoning", "Origins", "The Final Chapter", "Legacy")


def _weights(values: tuple[float, ...] | list[float]) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    return array / array.sum()


class SyntheticCatalog(Catalog):
    name = "synthetic"

    def __init__(self, size: int, seed: int, start_date: date) -> None:
        if size < 1:
            raise ValueError("a synthetic catalog needs at least one movie")
        self.seed = seed
        self.start_ordinal = start_date.toordinal()
        self._persons = max(2_000, size // 3)
        self._companies = max(500, size // 20)
        rng = np.random.default_rng([seed, 0x5EED])
        # Sparse, ascending ids like TMDB's (deleted and adult ids leave gaps).
        self.ids = 1 + np.cumsum(rng.integers(1, 4, size, dtype=np.int64))
        self.release_ordinal = self._release_dates(rng, size)
        self.popularity = self._popularity(rng)
        self.vote_count, self.vote_average = self._votes(rng)
        self._language = rng.choice(len(LANGUAGES), size, p=_weights([lang[2] for lang in LANGUAGES])).astype(np.uint8)
        self._genres = rng.choice(len(GENRES), (size, 3), p=_weights(GENRE_WEIGHTS)).astype(np.uint8)
        genre_count = rng.choice(4, size, p=[0.01, 0.35, 0.40, 0.24])
        self._genres[np.arange(3)[None, :] >= genre_count[:, None]] = NO_GENRE

    # --- columns -------------------------------------------------------------------------------

    def _release_dates(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Dates from 1950 to a year after the start, each year ~6% denser than the one before."""
        last = self.start_ordinal + UPCOMING_DAYS
        years = np.arange(FIRST_YEAR, date.fromordinal(last).year + 1)
        year = rng.choice(years, size, p=_weights(np.exp((years - FIRST_YEAR) / 16.0).tolist()))
        january_first = np.array([date(int(y), 1, 1).toordinal() for y in years], dtype=np.int64)
        ordinal = np.minimum(january_first[year - FIRST_YEAR] + rng.integers(0, 365, size), last)
        ordinal[rng.random(size) < 0.004] = 0
        return ordinal.astype(np.int32)

    def _popularity(self, rng: np.random.Generator) -> np.ndarray:
        days_since = (self.start_ordinal - self.release_ordinal).astype(np.float64)
        days_since[self.release_ordinal == 0] = 10_000.0
        # Recent releases and soon-to-be-released movies are the popular ones.
        boost = np.where(days_since >= 0, 1 + 8 * np.exp(-days_since / 550.0), 1 + 4 * np.exp(days_since / 60.0))
        return np.round(rng.lognormal(0.0, 1.1, days_since.size) * boost, 3)

    def _votes(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        released = (self.release_ordinal > 0) & (self.release_ordinal <= self.start_ordinal)
        years = np.clip((self.start_ordinal - self.release_ordinal) / 365.25, 0, 30)
        count = rng.poisson(np.where(released, 6.0 * self.popularity**1.3 * np.sqrt(years + 0.1), 0.0))
        spread = 0.9 + 2.0 / np.sqrt(count + 1.0)
        average = rng.normal(6.2, 1.0, count.size) + rng.normal(0, 1, count.size) * spread
        average = np.clip(np.round(average, 1), 0, 10)
        return count.astype(np.int64), np.where(count > 0, average, 0.0)

    # --- lazily built objects ------------------------------------------------------------------

    def details(self, movie_id: int) -> Details:
        i = self.index_of(movie_id)
        if i is None:
            raise KeyError(movie_id)
        r = rng_for(self.seed, "movie", movie_id)
        lang, native, _, countries = LANGUAGES[int(self._language[i])]
        title, franchise = _title(r)
        ordinal = int(self.release_ordinal[i])
        released = 0 < ordinal <= self.start_ordinal
        budget = 0 if r.random() < 0.55 else int(min(4e8, round(np.exp(r.gauss(16.3, 1.2)), -5)))
        production_countries = _countries(r, countries)
        return {
            "adult": False,
            "backdrop_path": None,
            "belongs_to_collection": self._collection(franchise),
            "budget": budget,
            "genres": [{"id": GENRES[g][0], "name": GENRES[g][1]} for g in dict.fromkeys(self._genre_idx(i))],
            "homepage": f"https://www.{_slug(title)}-movie.com/" if r.random() < 0.25 else "",
            "id": movie_id,
            "imdb_id": None,
            "origin_country": [production_countries[0]["iso_3166_1"]] if production_countries else [],
            "original_language": lang,
            "original_title": title if lang == "en" or r.random() < 0.3 else _foreign_title(r, lang),
            "overview": _overview(r),
            "popularity": float(self.popularity[i]),
            "poster_path": None,
            "production_companies": [
                self._company(r.randrange(self._companies)) for _ in range(r.choice((0, 1, 1, 2, 2, 3)))
            ],
            "production_countries": production_countries,
            "release_date": date.fromordinal(ordinal).isoformat() if ordinal else "",
            "revenue": _revenue(r, budget) if released else 0,
            "runtime": _runtime(r),
            "spoken_languages": [_spoken(code, name) for code, name in _languages(r, lang, native)],
            "status": _status(r, ordinal, self.start_ordinal),
            "tagline": "" if r.random() < 0.45 else r.choice(words.TAGLINES),
            "title": title,
            "video": False,
            "vote_average": float(self.vote_average[i]),
            "vote_count": int(self.vote_count[i]),
        }

    def _genre_idx(self, i: int) -> list[int]:
        return [int(g) for g in self._genres[i] if g != NO_GENRE]

    def _collection(self, franchise: str | None) -> Details | None:
        if franchise is None:
            return None
        return {
            "id": COLLECTION_ID_BASE + stable_int(self.seed, "collection", franchise) % 400_000,
            "name": f"{franchise} Collection",
            "poster_path": None,
            "backdrop_path": None,
        }

    def _company(self, n: int) -> Details:
        r = rng_for(self.seed, "company", n)
        name = f"{r.choice(words.ADJECTIVES)} {r.choice(words.NOUNS)} {r.choice(words.COMPANY_SUFFIXES)}"
        country = "" if r.random() < 0.3 else r.choice(tuple(COUNTRY_NAMES))
        return {"id": COMPANY_ID_BASE + n, "logo_path": None, "name": name, "origin_country": country}

    def _person(self, r: random.Random) -> tuple[int, str, int]:
        """(person id, name, gender); a skewed pick, so some people work a lot."""
        n = int(self._persons * r.random() ** 2.5)
        p = rng_for(self.seed, "person", n)
        gender = p.choice((0, 1, 1, 2, 2, 2))
        first = p.choice(words.FIRST_NAMES_FEMALE if gender == 1 else words.FIRST_NAMES_MALE)
        return PERSON_ID_BASE + n, f"{first} {p.choice(words.LAST_NAMES)}", gender

    def credits(self, movie_id: int) -> dict[str, list[Details]]:
        r = rng_for(self.seed, "credits", movie_id)
        cast = []
        for position in range(0 if r.random() < 0.01 else r.randint(4, 12)):
            person_id, name, gender = self._person(r)
            character = _character(r)
            cast.append(
                {
                    "adult": False,
                    "gender": gender,
                    "id": person_id,
                    "known_for_department": "Acting",
                    "name": name,
                    "original_name": name,
                    "popularity": 0.0,
                    "profile_path": None,
                    "cast_id": position + 1,
                    "character": character,
                    "credit_id": credit_id(movie_id, position),
                    "order": position,
                }
            )
        crew = []
        for position, (department, job) in enumerate(_crew_jobs(r), start=100):
            person_id, name, gender = self._person(r)
            crew.append(
                {
                    "adult": False,
                    "gender": gender,
                    "id": person_id,
                    "known_for_department": department,
                    "name": name,
                    "original_name": name,
                    "popularity": 0.0,
                    "profile_path": None,
                    "credit_id": credit_id(movie_id, position),
                    "department": department,
                    "job": job,
                }
            )
        return {"cast": cast, "crew": crew}

    def keywords(self, movie_id: int) -> list[Details]:
        r = rng_for(self.seed, "keywords", movie_id)
        picked = sorted(r.sample(range(len(words.KEYWORDS)), r.randint(0, 8)))
        return [{"id": KEYWORD_ID_BASE + k, "name": words.KEYWORDS[k]} for k in picked]


# --- per-movie helpers (all draw from the movie's own random.Random) -------------------------------


def _title(r: random.Random) -> tuple[str, str | None]:
    """(title, franchise base or None): about 6% are sequels of an invented franchise."""
    adjective, noun = r.choice(words.ADJECTIVES), r.choice(words.NOUNS)
    base = r.choice(
        (
            f"The {adjective} {noun}",
            f"{noun} of {r.choice(words.PLACES)}",
            f"{r.choice(words.FIRST_NAMES_FEMALE + words.FIRST_NAMES_MALE)}'s {noun}",
            f"{adjective} {noun}s",
            f"The {noun}",
            f"{adjective} {r.choice(words.PLACES)}",
        )
    )
    if r.random() >= 0.06:
        return base, None
    return base + r.choice((" 2", " 3", " II", f": {r.choice(SUBTITLES)}")), base


def _foreign_title(r: random.Random, lang: str) -> str:
    vocabulary = words.FOREIGN_WORDS.get(lang)
    if vocabulary is None:
        return "".join(r.choice("aeiou") + r.choice("klmnrstv") for _ in range(r.randint(2, 4))).title()
    joiner = "" if lang in ("ja", "zh") else " "
    return joiner.join(r.sample(vocabulary, r.randint(1, 3)))


def _overview(r: random.Random) -> str:
    if r.random() < 0.02:
        return ""
    hero = f"{r.choice(words.FIRST_NAMES_FEMALE + words.FIRST_NAMES_MALE)} {r.choice(words.LAST_NAMES)}"
    role = f"a {r.choice(words.ADJECTIVES).lower()} {r.choice(words.ROLES)}"
    sentences = [f"{hero}, {role}, {r.choice(words.ACTIONS)}."]
    sentences += r.sample(words.COMPLICATIONS, r.randint(0, 3))
    # A very few overviews carry a bare carriage return, as three real TMDB 5000 ones do.
    return ("\r" if r.random() < 0.001 else " ").join(sentences)


def _character(r: random.Random) -> str:
    u = r.random()
    if u < 0.03:
        return ""
    if u < 0.2:
        return r.choice(words.ROLES).title()
    return f"{r.choice(words.FIRST_NAMES_FEMALE + words.FIRST_NAMES_MALE)} {r.choice(words.LAST_NAMES)}"


def _revenue(r: random.Random, budget: int) -> int:
    if r.random() < 0.62:
        return 0
    if budget:
        return int(budget * np.exp(r.gauss(0.7, 0.9)))
    return int(np.exp(r.gauss(16.0, 1.5)))


def _runtime(r: random.Random) -> int | None:
    u = r.random()
    if u < 0.003:
        return None
    if u < 0.013:
        return 0
    return int(min(240.0, max(40.0, r.gauss(102, 20))))


def _status(r: random.Random, ordinal: int, start_ordinal: int) -> str:
    if ordinal == 0:
        return r.choice(("Rumored", "Planned"))
    if ordinal <= start_ordinal:
        return "Released"
    return r.choice(("Post Production", "Post Production", "In Production", "Planned"))


def _countries(r: random.Random, choices: tuple[str, ...]) -> list[Details]:
    if r.random() < 0.03:
        return []
    codes = [r.choice(choices)]
    if r.random() < 0.2:
        codes.append(r.choice(tuple(COUNTRY_NAMES)))
    return [{"iso_3166_1": code, "name": COUNTRY_NAMES[code]} for code in dict.fromkeys(codes)]


def _languages(r: random.Random, lang: str, native: str) -> list[tuple[str, str]]:
    spoken = [(lang, native)]
    if r.random() < 0.15:
        code, name, _, _ = r.choice(LANGUAGES)
        if code != lang:
            spoken.append((code, name))
    return spoken


def _spoken(code: str, name: str) -> Details:
    return {"english_name": LANGUAGE_ENGLISH_NAMES.get(code, name), "iso_639_1": code, "name": name}


def _crew_jobs(r: random.Random) -> list[tuple[str, str]]:
    if r.random() < 0.02:
        return []
    jobs = [("Directing", "Director")] * (2 if r.random() < 0.05 else 1)
    jobs.append(("Writing", r.choice(("Screenplay", "Writer"))))
    jobs += [("Writing", "Story")] * (r.random() < 0.2) + [("Writing", "Novel")] * (r.random() < 0.1)
    jobs += [("Production", "Producer")] * r.randint(1, 3)
    jobs += [("Production", "Executive Producer")] * r.randint(0, 2)
    jobs += [("Sound", "Original Music Composer"), ("Camera", "Director of Photography")]
    jobs.append(("Editing", "Editor"))
    return jobs


def _slug(title: str) -> str:
    return "".join(c for c in title.lower() if c.isalnum()) or "movie"


@lru_cache(maxsize=2)
def synthetic_catalog(size: int, seed: int, start_date: date) -> SyntheticCatalog:
    """A shared (cached) synthetic catalog: catalogs are read-only once built."""
    return SyntheticCatalog(size, seed, start_date)
