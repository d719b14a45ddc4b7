"""``/discover/movie`` ordering, fast on a million movies.

Movies are presorted once by release date, so a date window is two binary searches. The window's visible
movies are then sorted by the requested key (ties by ascending id, so paging is stable) and the result is
cached per (day, sort, window, include_adult): paging through 500 pages sorts once. Adult movies are left
out unless asked for, as TMDB does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from pipelines.emulator.simulation import DayView, Simulation

DEFAULT_SORT = "popularity.desc"
CACHE_MAX_ROWS = 20_000_000  # total cached positions (8 bytes each)

SortKey = Callable[[Simulation, DayView], np.ndarray]
SORT_KEYS: dict[str, SortKey] = {
    "popularity": lambda simulation, view: view.popularity,
    "primary_release_date": lambda simulation, view: simulation.release_ordinal,
    "vote_count": lambda simulation, view: view.vote_count,
}


def parse_sort(sort_by: str | None) -> tuple[str, bool]:
    """(key, descending); unknown values fall back to TMDB's default, popularity.desc."""
    key, _, direction = (sort_by or DEFAULT_SORT).partition(".")
    if key not in SORT_KEYS or direction not in ("asc", "desc"):
        key, direction = DEFAULT_SORT.split(".")
    return key, direction == "desc"


class DiscoverIndex:
    def __init__(self, simulation: Simulation) -> None:
        self.simulation = simulation
        catalog = simulation.catalog
        self.catalog = catalog
        ordinals = simulation.release_ordinal
        by_date = np.lexsort((catalog.ids, ordinals))
        self._dated = by_date[ordinals[by_date] > 0]
        self._dated_ordinals = ordinals[self._dated]
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[object, ...], np.ndarray] = OrderedDict()
        self._cached_rows = 0

    def query(
        self, day: int, sort_by: str | None, gte: int | None, lte: int | None, include_adult: bool = False
    ) -> np.ndarray:
        """Catalog positions of the visible movies in the window, in answer order.

        ``gte``/``lte`` are date ordinals (inclusive); with either, movies without a date are excluded.
        """
        key, descending = parse_sort(sort_by)
        cache_key = (day, key, descending, gte, lte, include_adult)
        with self._lock:
            hit = self._cache.get(cache_key)
            if hit is not None:
                self._cache.move_to_end(cache_key)
                return hit
        result = self._compute(day, key, descending, gte, lte, include_adult)
        with self._lock:
            self._cache[cache_key] = result
            self._cached_rows += result.size
            while self._cached_rows > CACHE_MAX_ROWS and len(self._cache) > 1:
                self._cached_rows -= self._cache.popitem(last=False)[1].size
        return result

    def _compute(
        self, day: int, key: str, descending: bool, gte: int | None, lte: int | None, include_adult: bool
    ) -> np.ndarray:
        if gte is None and lte is None:
            candidates = np.arange(len(self.catalog))
        else:
            ordinals = self._dated_ordinals
            lo = 0 if gte is None else int(np.searchsorted(ordinals, gte, side="left"))
            hi = ordinals.size if lte is None else int(np.searchsorted(ordinals, lte, side="right"))
            candidates = self._dated[lo:hi]
        shown = self.simulation.visible_mask(day)
        if not include_adult:
            shown &= ~self.simulation.adult
        candidates = candidates[shown[candidates]]
        values = SORT_KEYS[key](self.simulation, self.simulation.view(day))[candidates]
        if descending:
            values = -values.astype(np.float64)
        order = np.lexsort((self.catalog.ids[candidates], values))
        return candidates[order]
