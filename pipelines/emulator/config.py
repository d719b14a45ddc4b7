"""Emulator settings (the defaults are what ``TMDBEmulator(EmulatorConfig())`` runs with)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class FaultConfig:
    """Injected failures, all off by default; rates are per /3 request, in [0, 1].

    ``storm_every``/``storm_length``: after every ``storm_every`` requests served normally, the next
    ``storm_length`` requests get 429 (a cycle of ``storm_every + storm_length``).
    ``slow_seconds``: how long a slow answer sleeps before answering (set it past the client's timeout).
    """

    error_rate: float = 0.0
    storm_every: int = 0
    storm_length: int = 0
    slow_rate: float = 0.0
    slow_seconds: float = 15.0
    truncate_rate: float = 0.0
    drop_rate: float = 0.0

    def __post_init__(self) -> None:
        for name in ("error_rate", "slow_rate", "truncate_rate", "drop_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        if self.storm_every < 0 or self.storm_length < 0 or self.slow_seconds < 0:
            raise ValueError("storm_every, storm_length and slow_seconds must be >= 0")


@dataclass
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = 0  # 0 = pick a free port
    seed: int = 42
    start_date: date = date(2017, 1, 20)
    api_key: str = "emulator-key"
    access_token: str = "emulator-token"
    rate_limit: float = 40.0  # requests per second, 0 = no limit
    faults: FaultConfig = field(default_factory=FaultConfig)
    catalog: str = "tmdb5000"  # or "synthetic"
    synthetic_size: int = 100_000
    edit_rate: float = 0.01  # share of movies edited a day
    delete_rate: float = 0.0005  # share of movies deleted a day
    new_release_rate: float = 0.01  # share of the catalog hidden until its appear day (1..60)
