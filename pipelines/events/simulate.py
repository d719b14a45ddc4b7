"""`tmdb-warehouse events-simulate`: realistic user traffic for the emulator's catalog and days, as a collector
writes it (NDJSON, one file per producer per hour, optionally gzipped) into a folder or any fsspec URL.

Deterministic from the seed: users (their tastes, activity, devices) come from `default_rng([seed, user])` and
each user's days are drawn in order from that stream, so simulating more days later writes the same files for
the days already written plus the new ones (files that exist are left alone). What it models:

- users with tastes: a few favourite genres (Dirichlet) and a favourite mood (the genre-prior moods of
  `pipelines.moods.evaluate`), a rating bias; they sign up over the days;
- power-law activity (Pareto): a few heavy users, many light ones, who fade (churn) after signing up;
- sessions: 1 + Poisson(0.3 x activity, capped at 6) on an active day, at evening-heavy hours, events 10 s to
  25 min apart (idle gaps);
- views drawn by the emulator's popularity of that day, boosted for rising movies (3-day momentum) and by taste;
- rates (latest wins; some re-rates), watchlist adds and later removes, likes, dislikes, comments, searches;
- the dirt of a real collector: late events (received up to 3 days after they happened), duplicates (the same
  line again in a later file: at-least-once delivery), client clocks off by minutes to hours, malformed lines
  (truncated, not JSON, missing or wrong fields), unknown movie ids, extra fields some producers add;
- client session ids that cannot be trusted: one producer keeps one session id for the whole day.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from pipelines.backup.store import open_store
from pipelines.emulator.catalog import load_catalog
from pipelines.emulator.config import START_DATE
from pipelines.emulator.simulation import Simulation
from pipelines.moods.evaluate import GENRE_PRIORS

MOODS = sorted({mood for moods in GENRE_PRIORS.values() for mood in moods})
LATE_MAX = timedelta(days=3)
SIGNUP_HORIZON_DAYS = 28  # users who are not there on the first day sign up within this many days
SESSION_MAX_GAP_S = 25 * 60  # inside a simulated session; the warehouse splits sessions at 30 minutes
# producer -> (device, browser or app, app versions)
PRODUCERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "web": ("desktop", "chrome", ("web-2024.11", "web-2024.12")),
    "ios": ("mobile", "ios-app", ("3.2.0", "3.3.1")),
    "android": ("mobile", "android-app", ("3.2.2", "3.3.0")),
    "tv": ("tv", "tv-app", ("1.9.0",)),
}
BROWSERS = ("chrome", "firefox", "safari", "edge")
COUNTRIES = ("US", "GB", "DE", "FR", "BR", "IN", "JP", "CA", "ES", "MX", "AU", "KR")
COMMENT_WORDS = [
    "loved",
    "great",
    "boring",
    "slow",
    "twist",
    "ending",
    "acting",
    "score",
    "visuals",
    "cast",
    "plot",
    "again",
    "classic",
    "meh",
    "wow",
]
# hour-of-day weights (UTC), evening heavy
HOUR_WEIGHTS = np.array([2, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 5, 6, 5, 5, 5, 6, 8, 10, 12, 12, 10, 7, 4], float)


@dataclass(frozen=True)
class SimulationConfig:
    seed: int = 42
    start_date: date = START_DATE
    days: int = 14
    users: int = 2000
    gzip: bool = True
    late_rate: float = 0.02  # received 1 hour to 3 days after the event
    duplicate_rate: float = 0.01  # the line delivered again in a later file
    skewed_clock_rate: float = 0.05  # users whose device clock is off by 1 minute to 2 hours
    malformed_rate: float = 0.002  # lines that cannot be used (quarantined by the loader)
    unknown_movie_rate: float = 0.002  # events naming a movie id no catalog holds
    catalog: str = "tmdb5000"
    synthetic_size: int = 100_000


@dataclass
class SimulationReport:
    events: int = 0
    lines: int = 0
    files_written: int = 0
    files_kept: int = 0
    seconds: float = 0.0
    anomalies: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def summary(self) -> str:
        odd = ", ".join(f"{name} {count}" for name, count in sorted(self.anomalies.items()))
        return (
            f"events-simulate: {self.events:,} events in {self.lines:,} lines; {self.files_written} files written, "
            f"{self.files_kept} already there, in {self.seconds:.1f}s; {odd}"
        )


@dataclass(frozen=True)
class _Movies:
    """The catalog's movies as the simulator weighs them: ids, genre matrix, first genre's moods, quality."""

    ids: np.ndarray
    genres: np.ndarray  # movies x genres, 0/1
    moods: np.ndarray  # movies x MOODS, 0/1 (the moods of the movie's first genre)
    quality: np.ndarray  # 0.5-5: TMDB's vote average / 2 (3 when unknown)


@dataclass(frozen=True)
class _User:
    index: int
    user_id: str
    signup_day: int
    activity: float
    churn_days: float
    taste: np.ndarray  # genre weights, sums to 1
    mood: int
    bias: float
    producer: str
    browser: str
    country: str
    clock_skew_s: float


def user_id(seed: int, index: int) -> str:
    """A pseudonymous id: a hash of the seed and the user's number, nothing personal."""
    return "u_" + hashlib.sha256(f"users:{seed}:{index}".encode()).hexdigest()[:16]


def _movies(simulation: Simulation) -> _Movies:
    catalog = simulation.catalog
    names = sorted(GENRE_PRIORS) + ["Other"]
    genres = np.zeros((len(catalog), len(names)), np.float32)
    moods = np.zeros((len(catalog), len(MOODS)), np.float32)
    for i, movie_id in enumerate(catalog.ids.tolist()):
        listed = [g["name"] for g in catalog.details(movie_id).get("genres") or []]
        for name in listed:
            genres[i, names.index(name) if name in GENRE_PRIORS else len(names) - 1] = 1
        for mood in GENRE_PRIORS.get(listed[0], ()) if listed else ():
            moods[i, MOODS.index(mood)] = 1
    quality = np.where(catalog.vote_count > 0, np.clip(catalog.vote_average / 2, 0.5, 5), 3.0)
    return _Movies(catalog.ids, genres, moods, quality)


def _make_user(config: SimulationConfig, index: int, genres: int) -> _User:
    rng = np.random.default_rng([config.seed, 1, index])
    founders = rng.random() < 0.4  # 40% are there on the first day, the others sign up over 4 weeks
    producer = rng.choice(list(PRODUCERS), p=[0.4, 0.25, 0.25, 0.1])
    skewed = rng.random() < config.skewed_clock_rate
    return _User(
        index=index,
        user_id=user_id(config.seed, index),
        # a day within a fixed horizon, not within config.days: a longer simulation keeps the same users
        signup_day=0 if founders else int(rng.integers(0, SIGNUP_HORIZON_DAYS)),
        activity=float(min(rng.pareto(1.5) + 0.2, 20.0)),
        churn_days=float(rng.choice([3.0, 10.0, 1e9], p=[0.3, 0.3, 0.4])),
        taste=rng.dirichlet(np.full(genres, 0.3)),
        mood=int(rng.integers(len(MOODS))),
        bias=float(rng.normal(0, 0.4)),
        producer=str(producer),
        browser=str(rng.choice(BROWSERS)) if producer == "web" else PRODUCERS[str(producer)][1],
        country=str(rng.choice(COUNTRIES)),
        clock_skew_s=float(rng.choice([-1, 1]) * rng.uniform(60, 7200)) if skewed else 0.0,
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Traffic:
    """Draws every user's events day by day; `events()` yields (received_at, producer, line) in no order."""

    def __init__(self, config: SimulationConfig) -> None:
        self.config = config
        catalog = load_catalog(
            config.catalog, seed=config.seed, start_date=config.start_date, synthetic_size=config.synthetic_size
        )
        self.simulation = Simulation(catalog, seed=config.seed, start_date=config.start_date)
        self.movies = _movies(self.simulation)
        self.day_weights = [self._day_weights(day) for day in range(config.days)]
        self.report = SimulationReport()

    def _day_weights(self, day: int) -> np.ndarray:
        """Popularity of the day, boosted for rising movies (popularity against 3 days before), 0 if not visible."""
        today = self.simulation.view(day).popularity
        before = self.simulation.view(max(day - 3, 0)).popularity
        momentum = np.clip((today + 1) / (before + 1), 0.5, 3.0)
        visible = self.simulation.visible_mask(day)
        return np.where(visible, np.power(np.maximum(today, 0.01), 0.8) * momentum, 0.0)

    def events(self) -> Iterator[tuple[datetime, str, str]]:
        genres = self.movies.genres.shape[1]
        for index in range(self.config.users):
            user = _make_user(self.config, index, genres)
            yield from self._user_events(user)

    def _user_events(self, user: _User) -> Iterator[tuple[datetime, str, str]]:
        config, movies = self.config, self.movies
        rng = np.random.default_rng([config.seed, 2, user.index])
        affinity = 0.2 + movies.genres @ user.taste * 3 + movies.moods[:, user.mood]
        rated: dict[int, float] = {}
        watchlist: list[int] = []
        for day in range(user.signup_day, config.days):
            age = day - user.signup_day
            p_active = min(0.9, 0.15 * user.activity) * np.exp(-age / user.churn_days)
            if rng.random() >= p_active:
                continue
            weights = self.day_weights[day] * affinity
            cumulative = np.cumsum(weights)
            midnight = datetime.combine(config.start_date + timedelta(days=day), datetime.min.time(), UTC)
            day_session = f"s_{rng.integers(1 << 62):x}"  # the client's id, reused all day by one producer
            for _ in range(1 + rng.poisson(0.3 * min(user.activity, 6))):
                hour = rng.choice(24, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
                moment = midnight + timedelta(hours=int(hour), seconds=float(rng.uniform(0, 3600)))
                session = day_session if user.producer == "ios" else f"s_{rng.integers(1 << 62):x}"
                for event in self._session(user, rng, cumulative, rated, watchlist):
                    event.update(session_id=session)
                    yield from self._deliver(user, rng, event, moment)
                    moment += timedelta(seconds=float(min(rng.exponential(120) + 10, SESSION_MAX_GAP_S)))

    def _session(
        self,
        user: _User,
        rng: np.random.Generator,
        cumulative: np.ndarray,
        rated: dict[int, float],
        watchlist: list[int],
    ) -> Iterator[dict[str, Any]]:
        movies = self.movies
        if rng.random() < 0.2:
            yield {"event_type": "search", "search_query": " ".join(rng.choice(COMMENT_WORDS, 2))}
        for _ in range(1 + rng.geometric(0.35)):
            i = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
            i = min(i, len(cumulative) - 1)
            movie_id = int(movies.ids[i])
            if rng.random() < self.config.unknown_movie_rate:
                movie_id = 900_000_000 + int(rng.integers(1_000_000))
                self.report.anomalies["unknown movie ids"] += 1
            yield {"event_type": "view", "movie_id": movie_id}
            liking = movies.quality[i] + user.bias + 0.3 * float(movies.genres[i] @ user.taste) * 3
            if rng.random() < 0.35:
                rating = float(np.clip(np.round((liking + rng.normal(0, 0.6)) * 2) / 2, 0.5, 5.0))
                rated[movie_id] = rating
                yield {"event_type": "rate", "movie_id": movie_id, "rating": rating}
            if rng.random() < 0.1:
                yield {"event_type": "like" if liking >= 3.2 else "dislike", "movie_id": movie_id}
            if rng.random() < 0.08 and movie_id not in watchlist:
                watchlist.append(movie_id)
                yield {"event_type": "watchlist_add", "movie_id": movie_id}
            if rng.random() < 0.03:
                text = " ".join(rng.choice(COMMENT_WORDS, int(rng.integers(2, 8))))
                yield {"event_type": "comment", "movie_id": movie_id, "comment_text": text}
        if rated and rng.random() < 0.05:  # changing one's mind: the latest rating counts
            movie_id = int(rng.choice(list(rated)))
            rated[movie_id] = float(np.clip(rated[movie_id] + rng.choice([-1.0, -0.5, 0.5, 1.0]), 0.5, 5.0))
            yield {"event_type": "rate", "movie_id": movie_id, "rating": rated[movie_id]}
        if watchlist and rng.random() < 0.15:
            yield {"event_type": "watchlist_remove", "movie_id": watchlist.pop(int(rng.integers(len(watchlist))))}

    def _deliver(
        self, user: _User, rng: np.random.Generator, event: dict[str, Any], happened: datetime
    ) -> Iterator[tuple[datetime, str, str]]:
        config, report = self.config, self.report
        device, browser, versions = PRODUCERS[user.producer]
        received = happened + timedelta(seconds=float(rng.uniform(0.05, 3)))
        if rng.random() < config.late_rate:  # an offline client sending its backlog
            received = happened + timedelta(seconds=float(rng.uniform(3600, LATE_MAX.total_seconds())))
            report.anomalies["late"] += 1
        body = {
            "event_id": f"{rng.integers(1 << 63):016x}",
            "event_type": event["event_type"],
            "user_id": user.user_id,
            **{k: v for k, v in event.items() if k != "event_type"},
            "client_ts": _iso(happened + timedelta(seconds=user.clock_skew_s)),
            "received_at": _iso(received),
            "device": device if user.producer != "web" or rng.random() < 0.8 else "tablet",
            "browser": user.browser,
            "country": user.country,
            "app_version": versions[user.index % len(versions)],
        }
        if user.producer == "android" and body["app_version"] >= "3.3":  # a newer client sends more than documented
            body["experiment"] = "recs_v2"
            body["screen"] = {"name": "home", "position": int(rng.integers(1, 20))}
        report.events += 1
        line = json.dumps(body, separators=(",", ":"))
        if rng.random() < config.malformed_rate:
            line = _malformed(rng, body, line)
            report.anomalies["malformed"] += 1
        yield received, user.producer, line
        if rng.random() < config.duplicate_rate:
            report.anomalies["duplicates"] += 1
            yield received + timedelta(seconds=float(rng.uniform(3600, 6 * 3600))), user.producer, line


def _malformed(rng: np.random.Generator, body: dict[str, Any], line: str) -> str:
    """One of the ways a line goes wrong between a client and the landing folder."""
    kind = int(rng.integers(6))
    if kind == 0:
        return line[: int(rng.integers(1, len(line) - 1))]  # truncated
    if kind == 1:
        return "\ufffd\ufffd<html>502 Bad Gateway</html>"
    if kind == 2:
        return json.dumps([body])
    broken = dict(body)
    if kind == 3:
        del broken["user_id"]
    elif kind == 4:
        broken.update(event_type="rate", rating=7.5, movie_id=broken.get("movie_id") or 19995)
    else:
        broken["client_ts"] = "yesterday"
    return json.dumps(broken, separators=(",", ":"))


def file_name(producer: str, hour: datetime, compressed: bool) -> str:
    """`<day>/<producer>-<YYYYMMDDTHH>.ndjson[.gz]`: one file per producer per hour received."""
    return f"{hour:%Y-%m-%d}/{producer}-{hour:%Y%m%dT%H}.ndjson" + (".gz" if compressed else "")


def simulate(config: SimulationConfig, url: str) -> SimulationReport:
    """Write the traffic of `config.days` days from `config.start_date` under `url` (a folder or fsspec URL).

    Lines received after the last day are left for a later, longer simulation; files already there are kept
    (the same seed writes the same files). Returns counts of events, lines and anomalies.
    """
    started = time.monotonic()
    traffic = _Traffic(config)
    end = datetime.combine(config.start_date + timedelta(days=config.days), datetime.min.time(), UTC)
    files: dict[tuple[str, datetime], list[tuple[datetime, str]]] = defaultdict(list)
    for received, producer, line in traffic.events():
        if received < end:
            files[producer, received.replace(minute=0, second=0, microsecond=0)].append((received, line))
    report = traffic.report
    store = open_store(url)
    fs, root = store.fs, store.root
    for (producer, hour), lines in sorted(files.items()):
        lines.sort(key=lambda item: item[0])
        report.lines += len(lines)
        path = f"{root.rstrip('/')}/{file_name(producer, hour, config.gzip)}"
        if fs.exists(path):
            report.files_kept += 1
            continue
        data = "".join(line + "\n" for _, line in lines).encode()
        _write_atomically(fs, path, gzip.compress(data, mtime=0) if config.gzip else data)
        report.files_written += 1
    report.seconds = time.monotonic() - started
    return report


def _write_atomically(fs: Any, path: str, data: bytes) -> None:
    """Write beside the final name (a name the loader's glob ignores), then rename: no reader sees half a file."""
    folder, _, name = path.rpartition("/")
    partial = f"{folder}/.{name.split('.')[0]}.partial"
    fs.makedirs(folder, exist_ok=True)
    with fs.open(partial, "wb") as handle:
        handle.write(data)
    fs.mv(partial, path)
