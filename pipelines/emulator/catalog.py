"""The movie catalogs the emulator serves: one interface, two implementations.

A catalog holds the *base* (day 0) state. Whatever changes from day to day or is sorted on (ids, release
dates, popularity, votes) lives in columnar numpy arrays; the rest of a movie's details is built on demand
from its id, so a 1M-movie synthetic catalog costs a few tens of MB.
"""

from __future__ import annotations

import gzip
import json
from abc import ABC, abstractmethod
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

DATA_DIR = Path(__file__).parent / "data"
TMDB5000_PATH = DATA_DIR / "tmdb5000.jsonl.gz"

Details = dict[str, Any]


def date_ordinal(value: str) -> int:
    """``date.toordinal()`` of a "YYYY-MM-DD" string; 0 for TMDB's empty release date."""
    return date.fromisoformat(value).toordinal() if value else 0


class Catalog(ABC):
    """Base movie data. Subclasses fill the arrays (aligned, sorted by ascending id) in ``__init__``.

    ``details``/``credits``/``keywords`` return fresh objects the caller may mutate; they must only be
    called with ids of the catalog.
    """

    name: str
    ids: np.ndarray  # int64, ascending
    release_ordinal: np.ndarray  # int32, date.toordinal(); 0 = no release date
    popularity: np.ndarray  # float64, base popularity
    vote_count: np.ndarray  # int64
    vote_average: np.ndarray  # float64

    def __len__(self) -> int:
        return int(self.ids.size)

    def index_of(self, movie_id: int) -> int | None:
        """Position of ``movie_id`` in the arrays, or None when the catalog does not hold it."""
        i = int(np.searchsorted(self.ids, movie_id))
        return i if i < self.ids.size and int(self.ids[i]) == movie_id else None

    @abstractmethod
    def details(self, movie_id: int) -> Details:
        """The movie-details object of ``GET /3/movie/{id}`` with base (day 0) values."""

    @abstractmethod
    def credits(self, movie_id: int) -> dict[str, list[Details]]:
        """``{"cast": [...], "crew": [...]}``."""

    @abstractmethod
    def keywords(self, movie_id: int) -> list[Details]:
        """``[{"id", "name"}, ...]``."""


class Tmdb5000Catalog(Catalog):
    """The real TMDB 5000 movies, from the file ``build_catalog`` derives.

    Each movie is kept as three small JSON strings (details, credits, keywords) and parsed per request:
    parsing returns a fresh dict, which is cheaper and safer than deep-copying a shared one.
    """

    name = "tmdb5000"

    def __init__(self, path: Path = TMDB5000_PATH) -> None:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        records.sort(key=lambda r: r["id"])
        self._details: dict[int, str] = {}
        self._credits: dict[int, str] = {}
        self._keywords: dict[int, str] = {}
        for record in records:
            movie_id = record["id"]
            self._credits[movie_id] = _dumps(record.pop("credits"))
            self._keywords[movie_id] = _dumps(record.pop("keywords"))
            self._details[movie_id] = _dumps(record)
        self.ids = np.array([r["id"] for r in records], dtype=np.int64)
        self.release_ordinal = np.array([date_ordinal(r["release_date"]) for r in records], dtype=np.int32)
        self.popularity = np.array([r["popularity"] for r in records], dtype=np.float64)
        self.vote_count = np.array([r["vote_count"] for r in records], dtype=np.int64)
        self.vote_average = np.array([r["vote_average"] for r in records], dtype=np.float64)

    def details(self, movie_id: int) -> Details:
        return json.loads(self._details[movie_id])

    def credits(self, movie_id: int) -> dict[str, list[Details]]:
        return json.loads(self._credits[movie_id])

    def keywords(self, movie_id: int) -> list[Details]:
        return json.loads(self._keywords[movie_id])


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=2)
def _tmdb5000(path: Path) -> Tmdb5000Catalog:
    return Tmdb5000Catalog(path)


def load_catalog(kind: str, *, seed: int, start_date: date, synthetic_size: int) -> Catalog:
    """The catalog for a config. Catalogs are read-only, so identical ones are shared (cached)."""
    if kind == "tmdb5000":
        return _tmdb5000(TMDB5000_PATH)
    if kind == "synthetic":
        from pipelines.emulator.synthetic import synthetic_catalog

        return synthetic_catalog(synthetic_size, seed, start_date)
    raise ValueError(f"unknown catalog {kind!r}: expected 'tmdb5000' or 'synthetic'")
