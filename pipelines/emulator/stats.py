"""Thread-safe request statistics, for tests and the demo ("day 2 fetched only the changed ids")."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

ENDPOINT_KINDS = (
    "genres",
    "configuration",
    "discover",
    "changes",
    "movie",
    "certifications",
    "watch_providers",
    "trending",
    "now_playing",
    "person_changes",
    "person",
    "unknown",
)
FAULT_KINDS = ("error", "storm", "slow", "truncate", "drop")


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._requests = 0
            self._endpoints: Counter[str] = Counter()
            self._statuses: Counter[int] = Counter()
            self._faults: Counter[str] = Counter()
            self._rate_limited = 0
            self._movie_ids: list[int] = []

    def request(self, kind: str) -> None:
        with self._lock:
            self._requests += 1
            self._endpoints[kind] += 1

    def status(self, code: int) -> None:
        with self._lock:
            self._statuses[code] += 1

    def fault(self, kind: str) -> None:
        with self._lock:
            self._faults[kind] += 1

    def rate_limited(self) -> None:
        with self._lock:
            self._rate_limited += 1

    def movie(self, movie_id: int) -> None:
        with self._lock:
            self._movie_ids.append(movie_id)

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy. ``movie_ids``: the id of every details request (/3/movie/{id}), in order."""
        with self._lock:
            return {
                "requests": self._requests,
                "endpoints": {kind: self._endpoints[kind] for kind in ENDPOINT_KINDS},
                "status_codes": {str(code): n for code, n in sorted(self._statuses.items())},
                "faults": {kind: self._faults[kind] for kind in FAULT_KINDS},
                "rate_limited": self._rate_limited,
                "movie_ids": list(self._movie_ids),
            }
