"""Shared fixtures. Emulator fixtures: ``emulator_factory`` and ``emulator``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pipelines.emulator import EmulatorConfig, FaultConfig, TMDBEmulator

EmulatorFactory = Callable[..., TMDBEmulator]


@pytest.fixture
def emulator_factory() -> Iterator[EmulatorFactory]:
    """``emulator_factory(**config_overrides)`` starts an emulator, stopped at teardown.

    ``faults`` may be a ``FaultConfig`` or a dict of its fields.
    """
    started: list[TMDBEmulator] = []

    def start(**overrides: Any) -> TMDBEmulator:
        faults = overrides.pop("faults", None)
        if isinstance(faults, dict):
            faults = FaultConfig(**faults)
        config = EmulatorConfig(**overrides, **({"faults": faults} if faults is not None else {}))
        emulator = TMDBEmulator(config).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def emulator(emulator_factory: EmulatorFactory) -> TMDBEmulator:
    """The default emulator (tmdb5000 catalog, seed 42, no faults) without a rate limit."""
    return emulator_factory(rate_limit=0)
