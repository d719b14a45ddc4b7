"""TMDB's "Daily ID Exports" as the emulator serves them: one gzipped JSON-lines file per simulated day.

TMDB publishes `https://files.tmdb.org/p/exports/movie_ids_MM_DD_YYYY.json.gz` (and `person_ids_...`: `{"adult",
"id","name","popularity"}` per person, pipelines/emulator/people.py) every day (by 08:00 UTC, kept
for 3 months, no API key): one line per valid movie id, `{"adult":false,"id":3924,"original_title":"Blondie",
"popularity":2.4,"video":false}`. The emulator builds the file of a day from its simulation, so it agrees with
discover and details of that day: the ids visible that day (deleted and not-yet-added movies absent), the
popularity the API shows (3 decimals), the adult flag. Days after the emulator's current date, before its start
date or older than the retention answer 404, as an unpublished or expired file does.

Faults (`ExportConfig`, all off by default): days never published, today's file not yet published, truncated
gzip bodies (on given days, or per request at a rate), a slow body, ids missing from one day's file and back the
next (TMDB's exports do that), odd lines (null popularity, a line that is not JSON).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np

from pipelines.emulator.randomness import rng_for, stable_int, uniform_hash

if TYPE_CHECKING:
    from pipelines.emulator.people import People
    from pipelines.emulator.simulation import Simulation

EXPORTS_PATH = "/p/exports"
EXPORT_FILE = re.compile(r"^/p/exports/(?P<kind>movie|person)_ids_(?P<m>\d{2})_(?P<d>\d{2})_(?P<y>\d{4})\.json\.gz$")
# Catalogs up to this size get each line's original_title from the movie's full details of that day (edits and
# the realism profile included); bigger (synthetic) catalogs get a cheap stand-in title (the rest agrees).
EXACT_TITLES_MAX = 20_000
_FLICKER = 0xF11C
NO_SUCH_KEY = b"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"


@dataclass
class ExportConfig:
    """How the daily ID exports behave. Dates are simulated days.

    - ``retention_days``: files older than this many days before the current date answer 404 (TMDB: 3 months).
    - ``missing_days``: days whose file is never published (404 forever).
    - ``unpublished_today``: the current day's file answers 404 (before TMDB's 08:00 UTC publication).
    - ``truncate_days``: days whose file is always served truncated (a gzip without its end).
    - ``truncate_rate``: chance that any file request is served truncated (seeded, per request).
    - ``slow_seconds``: a file's body is sent in chunks spread over this many seconds.
    - ``flicker_rate``: share of the day's movies missing from that day's file (deterministic per movie and day).
    - ``odd_lines``: this many lines with a null popularity and as many lines that are not JSON, per file.
    """

    retention_days: int = 90
    missing_days: tuple[date, ...] = ()
    unpublished_today: bool = False
    truncate_days: tuple[date, ...] = ()
    truncate_rate: float = 0.0
    slow_seconds: float = 0.0
    flicker_rate: float = 0.0
    odd_lines: int = 0

    def __post_init__(self) -> None:
        self.missing_days = tuple(self.missing_days)
        self.truncate_days = tuple(self.truncate_days)
        for name in ("truncate_rate", "flicker_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"exports {name} must be in [0, 1]")
        if self.retention_days < 1 or self.slow_seconds < 0 or self.odd_lines < 0:
            raise ValueError("exports retention_days must be >= 1, slow_seconds and odd_lines >= 0")


def export_file_name(day: date) -> str:
    return f"movie_ids_{day:%m_%d_%Y}.json.gz"


def parse_export_path(path: str) -> date | None:
    """The day of an export file path (`/p/exports/movie_ids_MM_DD_YYYY.json.gz`, or `person_ids_...`), None for
    any other path."""
    match = EXPORT_FILE.match(path)
    if match is None:
        return None
    try:
        return datetime.strptime(f"{match['y']}-{match['m']}-{match['d']}", "%Y-%m-%d").date()
    except ValueError:
        return None


def export_kind(path: str) -> str:
    """`movie` or `person`: which export a (valid) file path names."""
    match = EXPORT_FILE.match(path)
    return match["kind"] if match else "movie"


@dataclass(frozen=True)
class ExportAnswer:
    status: int  # 200 or 404
    body: bytes  # the gzip file, or a small error text
    truncated: bool = False
    slow_seconds: float = 0.0


class ExportFiles:
    """Builds (and caches, a few days) the export files of a simulation, and decides each request's faults."""

    def __init__(
        self, simulation: Simulation, config: ExportConfig, seed: int, cache_days: int = 3, people: People | None = None
    ) -> None:
        self.simulation = simulation
        self.people = people  # the person export's rows (TMDB's person_ids_MM_DD_YYYY.json.gz); None: not served
        self.config = config
        self.seed = seed
        self._cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._cache_days = cache_days
        self._lock = threading.Lock()
        self._rng = random.Random(stable_int(seed, "export-faults"))
        self.requests = 0
        self.served: dict[str, int] = {"200": 0, "404": 0, "truncated": 0}

    # --- what a day's file holds ----------------------------------------------------------------

    def rows(self, day: date) -> list[dict[str, object]]:
        """The export objects of ``day`` (ascending id), odd lines excluded."""
        sim = self.simulation
        d = sim.day_index(day)
        mask = sim.visible_mask(d)
        if self.config.flicker_rate > 0:
            mask &= ~(uniform_hash(self.seed, _FLICKER, sim.catalog.ids, d) < self.config.flicker_rate)
        indices = np.flatnonzero(mask)
        ids = sim.catalog.ids[indices].tolist()
        popularity = sim.view(d).popularity[indices].tolist()
        adult = sim.adult[indices].tolist()
        exact = len(sim.catalog) <= EXACT_TITLES_MAX
        titles = None if exact else _stand_in_titles(self.seed, sim.catalog.ids[indices])
        rows = []
        for n, (movie_id, pop, is_adult) in enumerate(zip(ids, popularity, adult, strict=True)):
            if titles is None:
                details = sim.movie_details(movie_id, d) or {}
                title, video = details.get("original_title"), bool(details.get("video"))
            else:
                title, video = titles[n], False
            rows.append(
                {"adult": bool(is_adult), "id": movie_id, "original_title": title, "popularity": pop, "video": video}
            )
        return rows

    def file(self, day: date, kind: str = "movie") -> bytes:
        """The gzipped file of ``day`` (cached): the movie export, or (``kind`` "person") the person export."""
        d = self.simulation.day_index(day)
        key = (kind, d)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        rows = self.rows(day) if kind == "movie" else self.people.export_rows(d) if self.people else []
        lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
        odd = rng_for(self.seed, "export-odd", d)
        for n in range(self.config.odd_lines):
            lines.insert(odd.randrange(len(lines) + 1), f'{{"adult":false,"id":{9_000_000_000 + n},"popularity":null}}')
            lines.insert(odd.randrange(len(lines) + 1), '{"adult":false,"id":12,"original_title":"Bro')
        body = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=5, mtime=0)
        with self._lock:
            self._cache[key] = body
            if len(self._cache) > self._cache_days:
                self._cache.popitem(last=False)
        return body

    # --- a request ------------------------------------------------------------------------------

    def answer(self, path: str, today: date) -> ExportAnswer:
        """The answer to a GET of ``path`` when the emulator's current date is ``today``."""
        c = self.config
        day = parse_export_path(path)
        kind = export_kind(path)
        with self._lock:
            self.requests += 1
            truncate_draw = self._rng.random()
        unavailable = (
            day is None
            or day > today
            or day < self.simulation.start_date
            or (today - day).days >= c.retention_days
            or day in c.missing_days
            or (c.unpublished_today and day == today)
            or (kind == "person" and self.people is None)
        )
        if unavailable:
            with self._lock:
                self.served["404"] += 1
            return ExportAnswer(404, NO_SUCH_KEY)
        assert day is not None
        body = self.file(day, kind)
        truncated = day in c.truncate_days or truncate_draw < c.truncate_rate
        with self._lock:
            self.served["200"] += 1
            self.served["truncated"] += int(truncated)
        return ExportAnswer(200, body, truncated=truncated, slow_seconds=c.slow_seconds)

    def stats(self) -> dict[str, object]:
        with self._lock:
            return {"requests": self.requests, **self.served}


def _stand_in_titles(seed: int, ids: np.ndarray) -> list[str]:
    """Titles for a big synthetic catalog, two words drawn per id (vectorised): cheap, not the details' title."""
    from pipelines.emulator import words

    adjectives, nouns = np.array(words.ADJECTIVES), np.array(words.NOUNS)
    a = (uniform_hash(seed, 0x7171, ids) * adjectives.size).astype(np.int64)
    b = (uniform_hash(seed, 0x7172, ids) * nouns.size).astype(np.int64)
    return np.char.add(np.char.add("The ", np.char.add(adjectives[a], " ")), nouns[b]).tolist()
