"""`tmdb-warehouse events-simulate`: the same seed writes the same files, and the traffic has the shape and the
dirt README promises (power-law activity, popular movies viewed most, late events within 3 days, duplicates,
skewed clocks, malformed lines, unknown movie ids)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from pipelines.emulator.catalog import load_catalog
from pipelines.events.simulate import LATE_MAX, SimulationConfig, simulate

CONFIG = SimulationConfig(days=4, users=800)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.ndjson*"))}


def _lines(folder: Path) -> list[str]:
    return [line for data in _files(folder).values() for line in gzip.decompress(data).decode().splitlines()]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("landing")
    simulate(CONFIG, str(folder))
    return folder


def test_the_same_seed_writes_the_same_files(landing: Path, tmp_path: Path) -> None:
    simulate(CONFIG, str(tmp_path / "again"))
    assert _files(tmp_path / "again") == _files(landing)
    simulate(SimulationConfig(days=4, users=800, seed=7), str(tmp_path / "other"))
    assert _files(tmp_path / "other") != _files(landing)


def test_the_traffic_has_the_documented_shape_and_dirt(landing: Path) -> None:
    lines = _lines(landing)
    events, malformed = [], 0
    for line in lines:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            malformed += 1
            continue
        if isinstance(event, dict) and "user_id" in event and str(event.get("client_ts", "")).endswith("Z"):
            events.append(event)
    assert malformed > 0 and len(events) > 2000
    # at-least-once delivery: some lines come twice
    assert max(Counter(lines).values()) >= 2
    # power-law activity: the busiest tenth of the users make well over a tenth of the events
    per_user = sorted(Counter(event["user_id"] for event in events).values(), reverse=True)
    assert sum(per_user[: len(per_user) // 10]) > 0.25 * sum(per_user)  # 0.34 with seed 42
    # popular movies get more views: the catalog's 5% most popular get three times their share or more of the views
    catalog = load_catalog(
        CONFIG.catalog, seed=CONFIG.seed, start_date=CONFIG.start_date, synthetic_size=CONFIG.synthetic_size
    )
    popular = set(catalog.ids[catalog.popularity >= np.quantile(catalog.popularity, 0.95)].tolist())
    views = [event["movie_id"] for event in events if event["event_type"] == "view"]
    assert sum(movie_id in popular for movie_id in views) > 3 * 0.05 * len(views)  # 0.20 of them with seed 42
    # late events: received up to 3 days after the client's time (plus its clock's skew, at most 2 hours)
    delays = [_at(event["received_at"]) - _at(event["client_ts"]) for event in events]
    assert max(delays) <= LATE_MAX + timedelta(hours=2)
    assert sum(delay > timedelta(hours=1) for delay in delays) > 0.005 * len(events)
    # skewed clocks: some client times are after their receipt
    assert any(delay < timedelta(0) for delay in delays)
    # unknown movie ids, and every event type
    assert any((event.get("movie_id") or 0) >= 900_000_000 for event in events)
    assert {event["event_type"] for event in events} >= {
        "view", "rate", "watchlist_add", "watchlist_remove", "comment", "like", "dislike", "search"
    }  # fmt: skip
