"""TMDB's daily movie listings: `/trending/movie/day`, `/trending/movie/week` and `/movie/now_playing`.

Trending ranks the visible (non-adult) movies by today's popularity weighted by its gain over the window (a day
or a week), so that a movie whose popularity jumps climbs the list, like TMDB's own, which weighs recent
activity. Now playing lists the movies in theatres: a theatrical release (in `region`, when given, else the
movie's release date) within the last 6 weeks, most popular first, with TMDB's `dates` object. Both are paged
20 a page; trending stops at 1,000 movies.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np

from pipelines.emulator import fan
from pipelines.emulator.catalog import Details
from pipelines.emulator.simulation import Simulation

TRENDING_WINDOWS = {"day": 1, "week": 7}
TRENDING_MAX = 1000
NOW_PLAYING_DAYS = 42


class Listings:
    def __init__(self, simulation: Simulation, details: Callable[[int, int], Details | None]) -> None:
        """``details(movie_id, day)`` is the movie as the API serves it that day (None: not served)."""
        self.simulation = simulation
        self.details = details
        self._lock = threading.Lock()
        self._cache: dict[tuple[Any, ...], list[int]] = {}

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], list[int]]) -> list[int]:
        with self._lock:
            if key not in self._cache:
                if len(self._cache) > 64:
                    self._cache.clear()
                self._cache[key] = compute()
            return self._cache[key]

    def trending(self, day: int, window: str) -> list[int]:
        """Movie ids, best first."""
        return self._cached(("trending", day, window), lambda: self._trending(day, TRENDING_WINDOWS[window]))

    def _trending(self, day: int, window_days: int) -> list[int]:
        sim = self.simulation
        before = sim.view(max(0, day - window_days)).popularity.copy()
        today = sim.view(day).popularity
        shown = np.flatnonzero(sim.visible_mask(day) & ~sim.adult)
        gain = np.clip((today[shown] - before[shown]) / np.maximum(before[shown], 1.0), -0.5, 5.0)
        score = today[shown] * (1.0 + gain)
        order = np.lexsort((sim.catalog.ids[shown], -score))
        return [int(i) for i in sim.catalog.ids[shown[order[:TRENDING_MAX]]]]

    def now_playing_window(self, day: int) -> tuple[date, date]:
        today = self.simulation.date_of(day)
        return today - timedelta(days=NOW_PLAYING_DAYS), today

    def now_playing(self, day: int, region: str | None) -> list[int]:
        return self._cached(("now_playing", day, region), lambda: self._now_playing(day, region))

    def _now_playing(self, day: int, region: str | None) -> list[int]:
        sim = self.simulation
        first, last = self.now_playing_window(day)
        # a regional release may come up to 120 days after the first (fan.release_dates): look that far back
        lo = (first - timedelta(days=120 if region else 0)).toordinal()
        ordinals = sim.release_ordinal
        candidates = np.flatnonzero((ordinals >= lo) & (ordinals <= last.toordinal()) & sim.visible_mask(day))
        playing = []
        for index in candidates:
            movie_id = int(sim.catalog.ids[index])
            details = self.details(movie_id, day)
            if details is None or details.get("adult"):
                continue
            if region is None:
                released = [date.fromisoformat(details["release_date"])] if details.get("release_date") else []
            else:
                released = [
                    date.fromisoformat(r["release_date"][:10])
                    for country in fan.release_dates(sim.seed, details)
                    if country["iso_3166_1"] == region
                    for r in country["release_dates"]
                    if r["type"] in (fan.THEATRICAL_LIMITED, fan.THEATRICAL)
                ]
            if any(first <= d <= last for d in released):
                playing.append((-float(details["popularity"]), movie_id))
        return [movie_id for _, movie_id in sorted(playing)]
