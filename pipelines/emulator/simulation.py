"""The simulated passage of time over a catalog, deterministic from (seed, day).

Day 0 is the start date and equals the catalog's base values (dirtied by the realism profile, see
``realism.py``). Two kinds of change happen each day:

- *Events* (edits, deletions, new movies appearing) are pure functions of (seed, movie, day) through
  ``uniform_hash``: nothing is stored, so they are the same in whatever order days are visited. These
  are what TMDB's ``/movie/changes`` feed reports.
- *Drift* of popularity and votes is a random walk, so day D needs day D-1. It is stepped forward for all
  movies at once with numpy (one ``default_rng([seed, day])`` per day, so stepping is a pure function of
  the previous state); the latest day and periodic checkpoints are cached, and going backwards restarts
  from the nearest earlier checkpoint (day 0 at worst). Drift is not a "change", as on TMDB.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from pipelines.emulator.catalog import Catalog, Details
from pipelines.emulator.config import RealismConfig
from pipelines.emulator.edits import apply_edit
from pipelines.emulator.randomness import rng_for, uniform_hash
from pipelines.emulator.realism import Realism

NEVER = int(np.iinfo(np.int32).max)
MAX_APPEAR_DAY = 60
# uniform_hash salts, one per independent decision
_APPEARS, _APPEAR_DAY, _DELETED, _EDITED = 1, 2, 3, 4

# Popularity: log-space walk pulled toward the base value, with a bump around the release date.
REVERSION = 0.1
VOLATILITY = 0.08
POPULARITY_FLOOR = 0.001
RELEASE_BUMP = 3.0  # target popularity is x(1 + bump) at release
BUMP_BEFORE_DAYS = 14
BUMP_DECAY_DAYS = 10.0
BUMP_AFTER_DAYS = 30
# Votes: new votes a day ~ Poisson(rate x popularity); unreleased movies get a trickle.
VOTES_PER_POPULARITY = 0.1
UNRELEASED_VOTE_FACTOR = 0.05

CHECKPOINT_EVERY = 30
MAX_CHECKPOINTS = 8
CHANGE_CACHE_DAYS = 64


@dataclass(frozen=True)
class DayState:
    """Popularity and votes of every movie (catalog order) on one day, at full precision."""

    day: int
    popularity: np.ndarray
    vote_count: np.ndarray
    vote_average: np.ndarray


@dataclass(frozen=True)
class DayView:
    """What the API shows on one day: popularity to 3 decimals, vote_average to 1, like TMDB."""

    day: int
    popularity: np.ndarray
    vote_count: np.ndarray
    vote_average: np.ndarray


class Simulation:
    def __init__(
        self,
        catalog: Catalog,
        *,
        seed: int,
        start_date: date,
        edit_rate: float = 0.01,
        delete_rate: float = 0.0005,
        new_release_rate: float = 0.01,
        realism: RealismConfig | None = None,
    ) -> None:
        """``realism`` None serves the catalog clean (``EmulatorConfig`` turns it on by default)."""
        for name, rate in (("edit_rate", edit_rate), ("delete_rate", delete_rate)):
            if not 0.0 <= rate < 1.0:
                raise ValueError(f"{name} must be in [0, 1)")
        if not 0.0 <= new_release_rate <= 1.0:
            raise ValueError("new_release_rate must be in [0, 1]")
        self.catalog = catalog
        self.seed = seed
        self.start_date = start_date
        self.edit_rate = edit_rate
        ids = catalog.ids
        self.realism = Realism(realism or RealismConfig(enabled=False), seed, ids, catalog.release_ordinal)
        # What the API shows: the realism profile moves some release dates and flags some movies adult.
        self.release_ordinal: np.ndarray = self.realism.release_ordinal
        self.adult: np.ndarray = self.realism.adult
        hidden = uniform_hash(seed, _APPEARS, ids) < new_release_rate
        appear = 1 + np.floor(uniform_hash(seed, _APPEAR_DAY, ids) * MAX_APPEAR_DAY)
        self.appear_day = np.where(hidden, appear, 0).astype(np.int32)
        self.delete_day = self._deletion_days(delete_rate)
        self._log_base = np.log(np.maximum(catalog.popularity, 0.01))
        self._vote_quality = np.where(catalog.vote_count > 0, catalog.vote_average, 6.0)
        self._released_from = np.where(self.release_ordinal > 0, self.release_ordinal, NEVER)
        self._lock = threading.RLock()
        initial = DayState(0, catalog.popularity.copy(), catalog.vote_count.copy(), catalog.vote_average.copy())
        self._latest = initial
        self._checkpoints: dict[int, DayState] = {0: initial}
        self._view: DayView | None = None
        self._changes: OrderedDict[int, np.ndarray] = OrderedDict()

    def _deletion_days(self, rate: float) -> np.ndarray:
        """Each movie's deletion day: geometric (``rate`` a day) from the day after it appears."""
        if rate <= 0:
            return np.full(self.catalog.ids.size, NEVER, dtype=np.int32)
        u = uniform_hash(self.seed, _DELETED, self.catalog.ids)
        wait = 1 + np.floor(np.log1p(-u) / np.log1p(-rate))
        return np.minimum(self.appear_day + wait, NEVER).astype(np.int32)

    # --- calendar -------------------------------------------------------------------------------

    def day_index(self, day: int | date) -> int:
        return (day - self.start_date).days if isinstance(day, date) else int(day)

    def date_of(self, day: int) -> date:
        return self.start_date + timedelta(days=day)

    # --- events ---------------------------------------------------------------------------------

    def visible_mask(self, day: int | date) -> np.ndarray:
        d = self.day_index(day)
        return (self.appear_day <= d) & (self.delete_day > d)

    def is_visible(self, index: int, day: int | date) -> bool:
        d = self.day_index(day)
        return bool(self.appear_day[index] <= d < self.delete_day[index])

    def visible_ids(self, day: int | date) -> set[int]:
        return set(self.catalog.ids[self.visible_mask(day)].tolist())

    def deleted_ids(self, up_to_day: int | date) -> set[int]:
        return set(self.catalog.ids[self.delete_day <= self.day_index(up_to_day)].tolist())

    def _edited_mask(self, d: int) -> np.ndarray:
        chosen = uniform_hash(self.seed, _EDITED, self.catalog.ids, d) < self.edit_rate
        return chosen & (self.appear_day <= d) & (self.delete_day > d)

    def changed_indices(self, day: int | date) -> np.ndarray:
        """Catalog positions (ascending) of the movies edited, deleted or appearing on ``day``."""
        d = self.day_index(day)
        if d < 1:
            return np.empty(0, dtype=np.int64)
        with self._lock:
            cached = self._changes.get(d)
            if cached is not None:
                self._changes.move_to_end(d)
                return cached
        changed = self._edited_mask(d) | (self.appear_day == d) | (self.delete_day == d)
        result = np.flatnonzero(changed)
        with self._lock:
            self._changes[d] = result
            if len(self._changes) > CHANGE_CACHE_DAYS:
                self._changes.popitem(last=False)
        return result

    def changed_ids(self, day: int | date) -> set[int]:
        return set(self.catalog.ids[self.changed_indices(day)].tolist())

    def change_feed(self, day: int | date) -> dict[int, bool]:
        """``/movie/changes`` of ``day`` as {id: adult}: the changed movies plus the realism profile's noise
        (ids of no catalog movie, some adult), as real TMDB lists ids a catalog crawl never sees."""
        indices = self.changed_indices(day)
        feed = self.realism.change_noise(self.day_index(day), int(indices.size)) if indices.size else {}
        feed.update(zip(self.catalog.ids[indices].tolist(), self.adult[indices].tolist(), strict=True))
        return feed

    def edit_days(self, index: int, up_to_day: int | date) -> list[int]:
        """The days (ascending, <= ``up_to_day``) on which the movie at ``index`` was edited."""
        first = max(1, int(self.appear_day[index]))
        last = min(self.day_index(up_to_day), int(self.delete_day[index]) - 1)
        if last < first:
            return []
        days = np.arange(first, last + 1)
        hits = uniform_hash(self.seed, _EDITED, self.catalog.ids[index], days) < self.edit_rate
        return days[hits].tolist()

    # --- drift ----------------------------------------------------------------------------------

    def _step(self, prev: DayState) -> DayState:
        day = prev.day + 1
        rng = np.random.default_rng([self.seed % 2**63, day, 0xD1CE])
        n = prev.popularity.size
        today = self.start_date.toordinal() + day
        since = (today - self.release_ordinal).astype(np.float64)
        since[self.release_ordinal == 0] = np.inf
        bump = np.zeros(n)
        rising = (since >= -BUMP_BEFORE_DAYS) & (since < 0)
        bump[rising] = RELEASE_BUMP * (since[rising] + BUMP_BEFORE_DAYS) / BUMP_BEFORE_DAYS
        falling = (since >= 0) & (since <= BUMP_AFTER_DAYS)
        bump[falling] = RELEASE_BUMP * np.exp(-since[falling] / BUMP_DECAY_DAYS)
        log_p = np.log(np.maximum(prev.popularity, POPULARITY_FLOOR))
        log_p += REVERSION * (self._log_base + np.log1p(bump) - log_p) + VOLATILITY * rng.standard_normal(n)
        popularity = np.exp(log_p)

        released = self._released_from <= today
        rate = VOTES_PER_POPULARITY * np.where(released, 1.0, UNRELEASED_VOTE_FACTOR)
        new_votes = rng.poisson(rate * popularity)
        spread = 1.5 / np.sqrt(np.maximum(new_votes, 1))
        new_mean = np.clip(self._vote_quality + spread * rng.standard_normal(n), 0.0, 10.0)
        total = prev.vote_count + new_votes
        average = np.where(
            new_votes > 0,
            (prev.vote_average * prev.vote_count + new_mean * new_votes) / np.maximum(total, 1),
            prev.vote_average,
        )
        removed = self.realism.vote_drops(day, prev.vote_count)
        if removed is not None:  # TMDB removes votes too (spam, deleted accounts): the count can go down
            dropped = removed > 0
            total = np.where(dropped, prev.vote_count - removed, total)
            average = np.where(dropped, prev.vote_average, average)
        return DayState(day, popularity, total, np.clip(average, 0.0, 10.0))

    def _state(self, day: int) -> DayState:
        if day < 0:
            raise ValueError(f"day {day} is before the start date {self.start_date}")
        with self._lock:
            if self._latest.day <= day:
                state = self._latest
            else:
                state = self._checkpoints[max(d for d in self._checkpoints if d <= day)]
            while state.day < day:
                state = self._step(state)
                if state.day % CHECKPOINT_EVERY == 0:
                    self._remember(state)
            self._latest = state
            return state

    def _remember(self, state: DayState) -> None:
        self._checkpoints[state.day] = state
        if len(self._checkpoints) > MAX_CHECKPOINTS:
            del self._checkpoints[min(d for d in self._checkpoints if d > 0)]

    def view(self, day: int | date) -> DayView:
        """Today's popularity and votes as the API shows them (cached for the last day asked)."""
        d = self.day_index(day)
        with self._lock:
            if self._view is not None and self._view.day == d:
                return self._view
            state = self._state(d)
            view = DayView(
                d,
                np.round(state.popularity, 3),
                state.vote_count,
                np.where(state.vote_count > 0, np.round(state.vote_average, 1), 0.0),
            )
            self._view = view
            return view

    # --- a movie as of a day --------------------------------------------------------------------

    def movie_details(self, movie_id: int, day: int | date) -> Details | None:
        """``GET /3/movie/{id}`` on ``day``: base details + that day's edits and drift; None = 404."""
        index = self.catalog.index_of(movie_id)
        if index is None or not self.is_visible(index, day):
            return None
        details = self.catalog.details(movie_id)
        self.realism.apply(details, index)
        for d in self.edit_days(index, day):
            apply_edit(details, rng_for(self.seed, "edit", movie_id, d))
        view = self.view(day)
        details["popularity"] = float(view.popularity[index])
        details["vote_average"] = float(view.vote_average[index])
        details["vote_count"] = int(view.vote_count[index])
        return details
