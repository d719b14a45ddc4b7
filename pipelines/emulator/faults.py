"""Rate limiting and deterministic fault injection for the /3 endpoints."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from pipelines.emulator.config import FaultConfig
from pipelines.emulator.randomness import stable_int

WINDOW_SECONDS = 1.0
SERVER_ERROR_STATUSES = (500, 502, 503)


class RateLimiter:
    """At most ``limit`` accepted requests in any sliding one-second window (``limit`` 0 = no limit).

    Rejected requests do not count, so a client that backs off for ``Retry-After`` gets through.
    """

    def __init__(self, limit: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._accepted: deque[float] = deque()
        self._lock = threading.Lock()

    def allow(self) -> bool:
        if self.limit <= 0:
            return True
        with self._lock:
            now = self._clock()
            while self._accepted and self._accepted[0] <= now - WINDOW_SECONDS:
                self._accepted.popleft()
            if len(self._accepted) >= self.limit:
                return False
            self._accepted.append(now)
            return True


@dataclass(frozen=True)
class Fault:
    kind: str  # one of stats.FAULT_KINDS
    status: int = 0  # the HTTP status of "error" and "storm" faults


class FaultInjector:
    """Decides, request by request, whether to misbehave.

    The n-th /3 request always gets the same decision for a given (seed, config): one locked RNG makes
    a fixed number of draws per request, whatever the outcome.
    """

    def __init__(self, config: FaultConfig, seed: int) -> None:
        self.config = config
        self._rng = random.Random(stable_int(seed, "faults"))
        self._lock = threading.Lock()
        self._count = 0

    def decide(self) -> Fault | None:
        with self._lock:
            self._count += 1
            n = self._count
            drop, error, truncate, slow = (self._rng.random() for _ in range(4))
            status = self._rng.choice(SERVER_ERROR_STATUSES)
        c = self.config
        cycle = c.storm_every + c.storm_length
        if c.storm_every > 0 and c.storm_length > 0 and (n - 1) % cycle >= c.storm_every:
            return Fault("storm", 429)
        if drop < c.drop_rate:
            return Fault("drop")
        if error < c.error_rate:
            return Fault("error", status)
        if truncate < c.truncate_rate:
            return Fault("truncate")
        if slow < c.slow_rate:
            return Fault("slow")
        return None
