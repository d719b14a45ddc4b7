"""One load of user events: the `events` dlt source into the raw schema of the working copy (pipeline `events`)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from dlt.pipeline.exceptions import PipelineStepFailed

from pipelines.events.source import events_source
from pipelines.ingest import finish_pending, make_pipeline
from pipelines.settings import Paths

PIPELINE_NAME = "events"
EVENTS_URL_ENV = "TMDB_EVENTS_URL"


class EventsLoadError(RuntimeError):
    """The events load failed or is not configured; the message is one line (what, where, how to fix)."""


@dataclass(frozen=True)
class EventsLoadReport:
    url: str
    events: int
    quarantined: int
    seconds: float

    def summary(self) -> str:
        return (
            f"events from {self.url}: {self.events:,} event lines, "
            f"{self.quarantined:,} quarantined, in {self.seconds:.1f}s"
        )


def events_url(given: str | None = None) -> str:
    url = given or os.environ.get(EVENTS_URL_ENV)
    if not url:
        raise EventsLoadError(f"no events location: set {EVENTS_URL_ENV} (a folder or fsspec URL) or pass --url")
    return url


def load_events(url: str, paths: Paths) -> EventsLoadReport:
    """Load the files new since the last load (first finishing whatever a killed load left)."""
    started = time.monotonic()
    pipeline = make_pipeline(paths, PIPELINE_NAME)
    try:
        finish_pending(pipeline)
        pipeline.run(events_source(url=url))
    except PipelineStepFailed as exc:
        cause = exc.__cause__ or exc
        raise EventsLoadError(f"loading events from {url} failed: {' '.join(str(cause).split())}") from exc
    counts = pipeline.last_trace.last_normalize_info.row_counts if pipeline.last_trace.last_normalize_info else {}
    return EventsLoadReport(
        url=url,
        events=counts.get("events", 0),
        quarantined=counts.get("events_quarantine", 0),
        seconds=time.monotonic() - started,
    )
