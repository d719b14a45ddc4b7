"""The realism profile: real TMDB's dirt on top of the clean catalogs (the knobs are ``config.RealismConfig``).

What /discover filters or sorts on (release dates, the adult flag) is decided for the whole catalog at once,
as numpy arrays from ``uniform_hash``. Everything else is decided per served movie from the movie's own
``rng_for(seed, "realism", id)`` stream, with a fixed number of draws so that changing one rate never moves
another behaviour's choices. A 1M-movie synthetic catalog thus costs a few arrays and nothing per movie
that is never asked for.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Any

import numpy as np

from pipelines.emulator import reference, words
from pipelines.emulator.catalog import Details
from pipelines.emulator.config import LANGUAGE_RATES, RealismConfig
from pipelines.emulator.randomness import rng_for, uniform_hash

# uniform_hash salts (the simulation's own are 1..4)
_MISSING_DATE, _FUTURE_DATE, _FUTURE_DAY, _ADULT, _VOTE_DROP = 101, 102, 103, 104, 105

FUTURE_FROM = date(2030, 1, 1).toordinal()
FUTURE_SPAN_DAYS = 8 * 365
MISMATCH_LANGUAGES = ("ja", "ko", "fr", "de", "it", "es", "zh", "hi", "ru", "sv")
ODD_LANGUAGES = ("xx", "cn")
# Not in TMDB's /configuration/languages, yet codes like these turn up in its data.
UNKNOWN_LANGUAGES = ("zz", "qq", "xz")
NON_LATIN_TITLES = (
    "夜明けの約束",  # Japanese
    "東京の影",
    "그림자의 도시",  # Korean
    "마지막 여름",
    "مدينة الظلال",  # Arabic
    "الطريق الطويل",
    "Тени большого города",  # Cyrillic
    "Последний рубеж",
)
MARKUP_TITLES = (
    "<b>{title}</b>",
    "{title} &amp; Friends",
    '"{title}" <i>Director\'s Cut</i>',
    "{title}<script>alert(1)</script>",
)
MARKUP_OVERVIEW = "<script>alert(1)</script> <b>Bold claims</b> &amp; \"double\" 'single' quotes<br/>"
LONG_OVERVIEW_CHARS = 1000
MAX_RESHUFFLE_SWAPS = 2
RESHUFFLE_REACH = 5  # a swap trades one of the last 5 rows of page p-1 for one of the first 5 of page p
NOISE_ID_SPAN = 1_000_000


class Realism:
    """Applies a ``RealismConfig`` for one seed over one catalog's ids (ascending) and release dates."""

    def __init__(self, config: RealismConfig, seed: int, ids: np.ndarray, release_ordinal: np.ndarray) -> None:
        self.config = config
        self.seed = seed
        self._ids = ids
        self._max_id = int(ids.max()) if ids.size else 0
        self.missing_date = self._chosen(_MISSING_DATE, "missing_release_date_rate") & (release_ordinal > 0)
        self.future_date = self._chosen(_FUTURE_DATE, "future_release_rate") & ~self.missing_date
        if self.missing_date.any() or self.future_date.any():
            future = FUTURE_FROM + np.floor(uniform_hash(seed, _FUTURE_DAY, ids) * FUTURE_SPAN_DAYS)
            shown = np.where(self.future_date, future, release_ordinal)
            release_ordinal = np.where(self.missing_date, 0, shown).astype(np.int32)
        self.release_ordinal = release_ordinal
        self.adult = self._chosen(_ADULT, "adult_rate")

    def _chosen(self, salt: int, rate_name: str) -> np.ndarray:
        rate = self.config.rate(rate_name)
        if rate <= 0:
            return np.zeros(self._ids.size, dtype=bool)
        return uniform_hash(self.seed, salt, self._ids) < rate

    # --- one movie's details --------------------------------------------------------------------

    def apply(self, details: Details, index: int) -> None:
        """Dirty the base details of the movie at catalog position ``index`` in place."""
        if not self.config.enabled:
            return
        c = self.config
        r = rng_for(self.seed, "realism", details["id"])
        u = [r.random() for _ in range(16)]  # fixed draws: each behaviour owns its slots
        _text(details, c, u)
        if u[2] < c.no_genres_rate:
            details["genres"] = []
        if u[7] < c.zero_runtime_rate:
            details["runtime"] = None if u[5] < 0.5 else 0
        _language(details, c, u[0], u[1])
        if self.missing_date[index]:
            details["release_date"] = None if u[6] < 0.5 else ""
        elif self.future_date[index]:
            details["release_date"] = date.fromordinal(int(self.release_ordinal[index])).isoformat()
        details["adult"] = bool(self.adult[index])
        if u[8] < c.video_rate:
            details["video"] = True
        for name in c.null_fields:
            details[name] = None

    # --- the daily simulation and the listings --------------------------------------------------

    def vote_drops(self, day: int, vote_count: np.ndarray) -> np.ndarray | None:
        """Votes removed on ``day`` per movie (1% to 10% of a hit movie's votes, at least one); None = none."""
        rate = self.config.rate("vote_drop_rate")
        if rate <= 0:
            return None
        u = uniform_hash(self.seed, _VOTE_DROP, self._ids, day)
        hit = (u < rate) & (vote_count > 0)
        share = 0.01 + 0.09 * np.minimum(u / rate, 1.0)
        removed = np.clip(np.ceil(vote_count * share), 1, np.maximum(vote_count, 1))
        return np.where(hit, removed, 0).astype(np.int64)

    def page_rows(self, order: np.ndarray, page: int, page_size: int, day: int, listing: Hashable) -> np.ndarray:
        """Catalog positions page ``page`` of a popularity.desc listing shows.

        Real TMDB re-sorts by popularity between two page requests, so page p can repeat a movie of page p-1
        and skip one that moved up. Emulated as 1-2 swaps across the p-1 | p boundary, deterministic per
        (seed, day, page, listing); page p-1 itself is served unswapped at that boundary.
        """
        start = (page - 1) * page_size
        rows = order[start : start + page_size].copy()
        rate = self.config.rate("reshuffle_rate")
        if page < 2 or rate <= 0 or rows.size == 0:
            return rows
        r = rng_for(self.seed, "reshuffle", day, page, listing)
        happens, pick = r.random(), r.random()
        if happens >= rate:
            return rows
        swaps = min(1 + int(pick < 0.5), MAX_RESHUFFLE_SWAPS, rows.size)
        reach = min(RESHUFFLE_REACH, rows.size)
        replaced = r.sample(range(reach), swaps)
        moved_down = r.sample(range(1, RESHUFFLE_REACH + 1), swaps)
        for position, back in zip(replaced, moved_down, strict=True):
            rows[position] = order[start - back]
        return rows

    def change_noise(self, day: int, changed: int) -> dict[int, bool]:
        """{id: adult} that /movie/changes adds on ``day`` to its ``changed`` real ids: ids of no catalog movie."""
        r = rng_for(self.seed, "change-noise", day)
        noise: dict[int, bool] = {}
        for rate_name, adult in (("unknown_change_rate", False), ("adult_change_rate", True)):
            expected = self.config.rate(rate_name) * changed
            count = int(expected) + int(r.random() < expected - int(expected))
            for _ in range(count):
                noise.setdefault(self._max_id + 1 + r.randrange(NOISE_ID_SPAN), adult)
        return noise


# --- per-movie helpers: ``u`` holds the movie's fixed uniform draws ---------------------------------


def _text(details: Details, c: RealismConfig, u: list[float]) -> None:
    """Non-Latin, markup-laden and very long titles and overviews, then empty ones (which win)."""
    if u[9] < c.non_latin_title_rate:
        details["title"] = details["original_title"] = _pick(NON_LATIN_TITLES, u[10])
    if u[13] < c.markup_rate:
        details["title"] = _pick(MARKUP_TITLES, u[14]).format(title=details["title"])
        details["overview"] = f"{details['overview']} {MARKUP_OVERVIEW}".strip()
    if u[11] < c.long_overview_rate:
        details["overview"] = _long_text(details["overview"], LONG_OVERVIEW_CHARS + int(u[12] * 2000))
    if u[3] < c.empty_overview_rate:
        details["overview"] = None if u[4] < 0.5 else ""


def _language(details: Details, c: RealismConfig, slot: float, pick: float) -> None:
    """At most one language quirk a movie: ``slot`` falls in one of the consecutive rate intervals, or none."""
    quirk = _slot(slot, [getattr(c, name) for name in LANGUAGE_RATES])
    if quirk is None:
        return
    name = LANGUAGE_RATES[quirk]
    if name == "language_mismatch_rate":
        spoken = {s["iso_639_1"] for s in details["spoken_languages"]} | {details["original_language"]}
        details["original_language"] = _pick([code for code in MISMATCH_LANGUAGES if code not in spoken], pick)
    elif name == "odd_language_rate":
        code = _pick(ODD_LANGUAGES, pick)
        entry = reference.language_entry(code) or {"english_name": "", "name": ""}
        details["original_language"] = code
        spoken = {"english_name": entry["english_name"], "iso_639_1": code, "name": entry["name"]}
        details["spoken_languages"] = [spoken]
    elif name == "unknown_language_rate":
        details["original_language"] = _pick(UNKNOWN_LANGUAGES, pick)
    else:
        details["original_language"] = None


def _slot(u: float, rates: list[float]) -> int | None:
    edge = 0.0
    for i, rate in enumerate(rates):
        edge += rate
        if u < edge:
            return i
    return None


def _pick(options: Any, u: float) -> Any:
    return options[min(int(u * len(options)), len(options) - 1)]


def _long_text(text: str | None, length: int) -> str:
    parts = [text or ""]
    size = len(parts[0])
    rng = rng_for("long-overview", length)
    while size <= length:
        sentence = rng.choice(words.EDIT_SENTENCES + words.COMPLICATIONS)
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(p for p in parts if p)
