"""Where bench.ingest's extract time goes: every attempt the tmdb client makes, timed, by kind of request.

`recording()` wraps the client's token bucket and transport adapter (pipelines/tmdb/client.py) for the duration of
a benchmark run and keeps, per attempt, its kind (from the path: discover, changes, details, reviews, people,
listings, reference lists), thread, the time it waited for a token, the time on the wire and the status. `report()`
sets them against the extract step's wall time:

- per kind: attempts, 429s, seconds on the wire, seconds waiting for a token, and how many ran on dlt's main thread
  (one at a time, nothing else extracting meanwhile);
- the extract's wall time split into: time some request was on the wire or waiting for a token ("busy"), time
  nothing was (dlt's own work: running transformers, writing files; or threads that had nothing to ask), and in
  that the 429s' backoff sleeps (a thread waiting out `Retry-After`);
- the ratio of the limit reached while busy, which is what the client's pacing alone achieves.

The daily export downloads (catalog, people) do not go through this client: they are not API requests, and the
bench's default run loads none.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pipelines.tmdb import client as tmdb_client

_KINDS = (
    ("discover", re.compile(r"/discover/")),
    ("changes", re.compile(r"/(movie|person)/changes$")),
    ("reviews", re.compile(r"/movie/\d+/reviews$")),
    ("details", re.compile(r"/movie/\d+$")),
    ("people", re.compile(r"/person/\d+$")),
    ("listings", re.compile(r"/(trending/|movie/now_playing)")),
    ("reference", re.compile(r"/(genre|configuration|certification|watch/providers)")),
)


def kind_of(url: str) -> str:
    path = urlsplit(url).path
    for kind, pattern in _KINDS:
        if pattern.search(path):
            return kind
    return "other"


@dataclass
class Attempt:
    kind: str
    thread: str
    waited_from: float  # asked the token bucket
    sent_at: float  # got the token
    answered_at: float
    status: int | None


@dataclass
class Recorder:
    attempts: list[Attempt] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _local: threading.local = field(default_factory=threading.local)

    def add(self, attempt: Attempt) -> None:
        with self._lock:
            self.attempts.append(attempt)


@contextmanager
def recording() -> Iterator[Recorder]:
    """Record every attempt of every TMDBClient made while inside (the wrappers are removed on the way out)."""
    recorder = Recorder()
    acquire, send = tmdb_client.TokenBucket.acquire, tmdb_client.TMDBAdapter.send

    def timed_acquire(bucket: tmdb_client.TokenBucket) -> None:
        recorder._local.waited_from = time.monotonic()
        acquire(bucket)
        recorder._local.sent_at = time.monotonic()

    def timed_send(adapter: tmdb_client.TMDBAdapter, request: Any, *args: Any, **kwargs: Any) -> Any:
        status = None
        try:
            response = send(adapter, request, *args, **kwargs)
            status = response.status_code
            return response
        finally:
            now = time.monotonic()
            recorder.add(
                Attempt(
                    kind_of(request.url or ""),
                    threading.current_thread().name,
                    getattr(recorder._local, "waited_from", now),
                    getattr(recorder._local, "sent_at", now),
                    now,
                    status,
                )
            )

    tmdb_client.TokenBucket.acquire = timed_acquire  # type: ignore[method-assign]
    tmdb_client.TMDBAdapter.send = timed_send  # type: ignore[method-assign]
    try:
        yield recorder
    finally:
        tmdb_client.TokenBucket.acquire = acquire  # type: ignore[method-assign]
        tmdb_client.TMDBAdapter.send = send  # type: ignore[method-assign]


def _union(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for start, stop in sorted(intervals):
        if stop <= end:
            continue
        total += stop - max(start, end)
        end = stop
    return total


def _backoff_sleeps(attempts: list[Attempt]) -> float:
    """Per thread: the gap between a 429 (or a 5xx, or no answer) and that thread's next attempt."""
    by_thread: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_thread[attempt.thread].append(attempt)
    slept = 0.0
    for mine in by_thread.values():
        mine.sort(key=lambda a: a.waited_from)
        for before, after in zip(mine, mine[1:], strict=False):
            if before.status is None or before.status in tmdb_client.RETRY_STATUS_CODES:
                slept += max(after.waited_from - before.answered_at, 0.0)
    return slept


def _monotonic(extract: tuple[datetime, datetime]) -> tuple[float, float]:
    """The extract step's start and end (dlt's trace, wall clock) on the attempts' monotonic clock."""
    offset = time.time() - time.monotonic()
    return extract[0].timestamp() - offset, extract[1].timestamp() - offset


def attempts_in(recorder: Recorder, extract: tuple[datetime, datetime]) -> list[Attempt]:
    """The attempts made during the extract step."""
    start, end = _monotonic(extract)
    return [a for a in recorder.attempts if start <= a.waited_from <= end]


def accepted(attempts: list[Attempt]) -> int:
    """Attempts the server answered with anything but a 429 (a rejected attempt is not throughput)."""
    return sum(a.status != 429 for a in attempts)


def report(recorder: Recorder, extract: tuple[datetime, datetime], rate_limit: float) -> list[str]:
    """The breakdown's lines; `extract` is the extract step's start and end (dlt's trace, wall clock)."""
    start, end = _monotonic(extract)
    wall = end - start
    inside = attempts_in(recorder, extract)
    outside = len(recorder.attempts) - len(inside)
    lines = [
        f"extract breakdown ({len(inside):,} attempts inside extract's {wall:.1f}s; "
        f"{outside} before it: credential check, reference lists read while building the source):",
        f"  {'kind':<10} {'attempts':>8} {'429s':>5} {'on wire s':>9} {'token wait s':>12} {'on main thread':>14}",
    ]
    by_kind: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in inside:
        by_kind[attempt.kind].append(attempt)
    for kind, mine in sorted(by_kind.items(), key=lambda item: -len(item[1])):
        lines.append(
            f"  {kind:<10} {len(mine):>8,} {sum(a.status == 429 for a in mine):>5} "
            f"{sum(a.answered_at - a.sent_at for a in mine):>9.1f} "
            f"{sum(a.sent_at - a.waited_from for a in mine):>12.1f} "
            f"{sum(a.thread == 'MainThread' for a in mine):>14,}"
        )
    busy = _union([(a.waited_from, a.answered_at) for a in inside])
    first = min((a.waited_from for a in inside), default=start)
    last = max((a.answered_at for a in inside), default=end)
    done = accepted(inside)
    lines += [
        f"  wall {wall:.1f}s = busy {busy:.1f}s (some request waiting for a token or on the wire) "
        f"+ idle {wall - busy:.1f}s (no request at all: {first - start:.1f}s before the first, "
        f"{end - last:.1f}s after the last, {wall - busy - (first - start) - (end - last):.1f}s between)",
        f"  429 backoff sleeps: {_backoff_sleeps(inside):.1f}s summed over threads; "
        f"requests on dlt's main thread: {sum(a.thread == 'MainThread' for a in inside):,}",
        f"  accepted requests / busy time: {done / busy if busy else 0:.1f} req/s "
        f"(ratio {done / busy / rate_limit if busy else 0:.2f}): the client's pacing while it has requests to make",
    ]
    return lines
