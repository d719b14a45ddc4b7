"""One load of user events: the `events` dlt source into the raw schema of the working copy (pipeline `events`), or
into the lake's raw folder as parquet (`lake`: pipeline `events_lake`, README "When one machine is not enough")."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

import dlt
from dlt.pipeline.exceptions import PipelineStepFailed

from pipelines.events.source import events_source, shutdown_parse_pool
from pipelines.ingest import finish_pending, make_pipeline
from pipelines.lake import LAKE_FILE_FORMAT
from pipelines.settings import Paths

log = logging.getLogger(__name__)

PIPELINE_NAME = "events"
EVENTS_URL_ENV = "TMDB_EVENTS_URL"
TEXT_RETENTION_ENV = "TMDB_EVENTS_TEXT_RETENTION_DAYS"
TEXT_RETENTION_DAYS = 90


class EventsLoadError(RuntimeError):
    """The events load failed or is not configured; the message is one line (what, where, how to fix)."""


@dataclass(frozen=True)
class EventsLoadReport:
    url: str
    events: int  # the events handed to the destination: one copy of each event per dlt run (pipelines/events/dedup.py)
    quarantined: int
    seconds: float

    def summary(self) -> str:
        return (
            f"events from {self.url}: {self.events:,} events (one copy of each per run), "
            f"{self.quarantined:,} quarantined, in {self.seconds:.1f}s"
        )


def events_url(given: str | None = None) -> str:
    url = given or os.environ.get(EVENTS_URL_ENV)
    if not url:
        raise EventsLoadError(f"no events location: set {EVENTS_URL_ENV} (a folder or fsspec URL) or pass --url")
    return url


def load_events(url: str, paths: Paths, lake: str | None = None) -> EventsLoadReport:
    """Load the files new since the last load (first finishing whatever a killed load left), into the warehouse's
    working copy, or as parquet files into `lake` (a folder or fsspec URL) when given.

    A backlog loads in several dlt runs of about `max_bytes` of files each (the source's setting), oldest first:
    each run is its own load package and state commit, so memory follows one run, not the backlog, and a kill
    loses at most the run in flight. Runs repeat until one finds no new file.

    The lake's files are append-only: a redelivered event adds a row there (staging keeps one per event id), and
    the free text is not blanked after the retention (that would rewrite files): the lake's own lifecycle rules
    must expire it."""
    started = time.monotonic()
    pipeline = make_pipeline(paths, PIPELINE_NAME, lake=lake)
    events = quarantined = 0
    try:
        finish_pending(pipeline)
        while True:
            pipeline.run(events_source(url=url), loader_file_format=LAKE_FILE_FORMAT if lake else None)
            info = pipeline.last_trace.last_normalize_info
            counts = info.row_counts if info else {}
            events += counts.get("events", 0)
            quarantined += counts.get("events_quarantine", 0)
            if not counts.get("events") and not counts.get("events_quarantine"):  # every file makes a row
                break
    except PipelineStepFailed as exc:
        cause = exc.__cause__ or exc
        raise EventsLoadError(f"loading events from {url} failed: {' '.join(str(cause).split())}") from exc
    finally:
        shutdown_parse_pool()
    if lake:
        log.warning("events in the lake %s: free text is kept (no retention purge on parquet files)", lake)
    else:
        purge_free_text(pipeline, int(os.environ.get(TEXT_RETENTION_ENV) or TEXT_RETENTION_DAYS))
    return EventsLoadReport(url=url, events=events, quarantined=quarantined, seconds=time.monotonic() - started)


def purge_free_text(pipeline: dlt.Pipeline, retention_days: int) -> None:
    """Blank the free text users typed (comments, searches, and the quarantined lines that may hold it) of events
    received more than `retention_days` before the newest event received: the retention README documents.

    Measured against the data's own clock (the newest received_at), so a warehouse that stops receiving events
    keeps its last days' text until new events arrive. Nothing else of the event changes.
    """
    with pipeline.sql_client() as client:
        existing = {
            row[0]
            for row in client.execute_sql(
                "select table_name from information_schema.tables where table_schema = %s", pipeline.dataset_name
            )
        }
        if "events" not in existing:
            return
        events = client.make_qualified_table_name("events")
        cutoff = f"(select max(received_at) from {events}) - to_days({int(retention_days)})"
        client.execute_sql(
            f"update {events} set comment_text = null, search_query = null where received_at < {cutoff} "
            "and (comment_text is not null or search_query is not null)"
        )
        if "events_quarantine" in existing:
            quarantine = client.make_qualified_table_name("events_quarantine")
            client.execute_sql(
                f"update {quarantine} set line = null where file_modified_at < {cutoff} and line is not null"
            )
