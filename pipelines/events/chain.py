"""User events in the chain (`tmdb-warehouse run` and `demo`): after the TMDB days, load the new event files.

With the emulator and `users` > 0 (the CLI's default: DEMO_USERS), the users' traffic for the same days is
simulated first (into `TMDB_EVENTS_URL`, else `events/` beside the working copy), so the demo has users alongside
its TMDB days. Against TMDB, events are
loaded only when `TMDB_EVENTS_URL` (or `--events-url`) names a landing location; otherwise the step is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

from pipelines.events.load import EVENTS_URL_ENV, load_events
from pipelines.events.simulate import SimulationConfig, simulate
from pipelines.settings import Paths

DEMO_USERS = 2000


def chain_user_events(
    source: str, days: Sequence[date], paths: Paths, *, seed: int, url: str | None = None, users: int = DEMO_USERS
) -> str | None:
    """Simulate (emulator only) and load the user events of `days`; the summary line, or None when skipped."""
    url = url or os.environ.get(EVENTS_URL_ENV) or None
    lines = []
    if source == "emulator" and users > 0:
        url = url or str(paths.working_path.parent / "events")
        span = (max(days) - days[0]).days + 1
        lines.append(simulate(SimulationConfig(seed=seed, start_date=days[0], days=span, users=users), url).summary())
    if url is None:
        return None
    lines.append(load_events(url, paths).summary())
    return "; ".join(lines)
