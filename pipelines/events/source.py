"""The dlt source `events`: NDJSON files from a landing folder or fsspec URL into `raw.events` and
`raw.events_quarantine`.

dlt's filesystem resource lists the files (`**/*.ndjson` and `**/*.ndjson.gz`) incremental on their
modification time, so a run reads only files that appeared (or changed) since the last one; the cursor is dlt
state, committed with the data. `read_events` parses each file line by line (`parse.parse_file`, in worker
processes when `parse_workers` asks for them): a usable line becomes a row of
`events`, merged on `event_id` with dlt's `insert-only` strategy (an event delivered twice is one row: the copy
loaded first, each run's copies reduced to one before dlt sees them, `dedup.FirstCopies`), with its file and line;
any other line becomes a row of `events_quarantine` (file, line number, reason, the line), merged on file and
line number, so a re-read file never doubles anything. Rows go to dlt as Arrow tables (no per-row
normalisation), which is what makes millions of events a minute possible.
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import dlt
import pyarrow as pa
from dlt.common.storages.fsspec_filesystem import FileItemDict
from dlt.extract.items_transform import LimitItem
from dlt.sources.filesystem import filesystem

from pipelines.backup.store import open_store
from pipelines.events.dedup import FirstCopies
from pipelines.events.parse import EVENTS_SCHEMA, QUARANTINE_SCHEMA, parse_file, unreadable_file

__all__ = ["EVENTS_SCHEMA", "QUARANTINE_SCHEMA", "events_source", "shutdown_parse_pool"]

FILE_GLOB = "**/*.ndjson*"  # .ndjson and .ndjson.gz; the simulator's partial files end in .partial
BATCH_ROWS = 200_000  # rows per Arrow table handed to dlt
FILES_PER_PAGE = 100  # files listed per page handed to `read_events`
BYTES_PER_RUN = 32 << 20  # stored bytes of the files one dlt run reads (`sources.events.max_bytes`), about
# 700k events gzipped; a backlog takes several runs, memory follows one run (the page crossing it is read whole)
# Processes parsing files (`sources.events.parse_workers`); < 2: none, files are parsed in the loader. Off by
# default: on this project's shared 2-core machine they cost more CPU-seconds and memory than they saved (README,
# "bench-events"); on idle cores they would parse two files at once.
PARSE_WORKERS = 1
FILES_AHEAD = 2  # files handed to each worker ahead of the one being consumed (bounds memory)

QUARANTINE_HINTS = dlt.mark.make_hints(
    table_name="events_quarantine", write_disposition="merge", primary_key=["file_name", "line_number"]
)

_pool: dict[int, ProcessPoolExecutor] = {}


def _parse_pool(workers: int) -> ProcessPoolExecutor | None:
    """The worker processes parsing files, kept from one dlt run to the next (a backlog takes several) until
    `shutdown_parse_pool`. Spawned, not forked: the loader holds threads (dlt's, DuckDB's)."""
    if workers < 2:
        return None
    if workers not in _pool:
        shutdown_parse_pool()
        _pool[workers] = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=_exit_with, initargs=(os.getpid(),)
        )
    return _pool[workers]


def _exit_with(parent: int) -> None:
    """In a worker: exit as soon as the loader is gone. A loader killed with SIGKILL cannot end its workers, and
    they would wait for work forever (each holds both ends of its task queue, so it never sees the queue close)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def shutdown_parse_pool() -> None:
    """End the parsing processes (the next load starts new ones)."""
    while _pool:
        _pool.popitem()[1].shutdown(cancel_futures=True)


Parsed = tuple[pa.Table | None, pa.Table | None]


def _parse_files(items: list[FileItemDict], pool: ProcessPoolExecutor | None) -> Iterator[Parsed]:
    """(events, quarantine) of each file, in the order listed; parsed by `pool`'s processes when given, a few
    files ahead, else here."""
    window = FILES_AHEAD * pool._max_workers if pool else 0  # noqa: SLF001 - the size it was made with
    pending: deque[Future[Parsed] | Parsed] = deque()
    for item in items:
        name, modified = item["relative_path"], item["modification_date"]
        try:
            data = item.read_bytes()
        except (OSError, EOFError, zlib.error) as exc:
            pending.append((None, unreadable_file(name, modified, exc)))
        else:
            pending.append(pool.submit(parse_file, name, modified, data) if pool else parse_file(name, modified, data))
        while len(pending) > window:
            done = pending.popleft()
            yield done.result() if isinstance(done, Future) else done
    for done in pending:
        yield done.result() if isinstance(done, Future) else done


@dlt.transformer(
    name="events",
    primary_key="event_id",
    # insert-only: a MERGE inserting the ids raw.events lacks, not a delete and re-insert of every staged id
    write_disposition={"disposition": "merge", "strategy": "insert-only"},
    columns={"rating": {"data_type": "double", "nullable": True}},
)
def read_events(
    items: list[FileItemDict], first_copies: FirstCopies, parse_workers: int = PARSE_WORKERS
) -> Iterator[Any]:
    """Parse a page of listed files into Arrow tables for `events` (only the run's `first_copies` of each event)
    and `events_quarantine`."""
    events: list[pa.Table] = []
    quarantine: list[pa.Table] = []
    size = 0
    for parsed_events, parsed_quarantine in _parse_files(items, _parse_pool(parse_workers)):
        for tables, table in ((events, parsed_events), (quarantine, parsed_quarantine)):
            if table is not None:
                tables.append(table)
                size += table.num_rows
        if size >= BATCH_ROWS:
            yield from _flush(events, quarantine, first_copies)
            size = 0
    yield from _flush(events, quarantine, first_copies)


def _flush(events: list[pa.Table], quarantine: list[pa.Table], first_copies: FirstCopies) -> Iterator[Any]:
    if events:
        yield first_copies(pa.concat_tables(events).combine_chunks())
    if quarantine:
        yield dlt.mark.with_hints(pa.concat_tables(quarantine), QUARANTINE_HINTS, create_table_variant=True)
    events.clear()
    quarantine.clear()


class _BytesLimit(LimitItem):
    """dlt's `add_limit` counting the stored bytes of the listed files instead of pages. It follows the incremental
    step, so only new files count, and it stops the listing after the page that reaches the limit: the files of
    that page are read, the later ones are left for the next run (they are listed oldest first)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_items=max_bytes, max_time=None, count_rows=True)

    def __call__(self, item: Any, meta: Any = None) -> Any:
        if item is None or self.exhausted:
            return None
        self.count += sum(file["size_in_bytes"] or 0 for file in item)
        if self.count >= self.max_items:
            self.exhausted = True
            if inspect.isgenerator(self.gen):
                self.gen.close()
        return item


@dlt.source(name="events", section="events")
def events_source(
    url: str = dlt.config.value,
    file_glob: str = FILE_GLOB,
    files_per_page: int = FILES_PER_PAGE,
    max_bytes: int | None = BYTES_PER_RUN,
    parse_workers: int = PARSE_WORKERS,
) -> Any:
    """The landing location `url` (a folder or any fsspec URL; `TMDB_EVENTS_URL`), files new since the last run,
    oldest first, up to about `max_bytes` of them as stored (None: all), parsed by `parse_workers` processes."""
    store = open_store(url)
    files = filesystem(
        bucket_url=url if "://" in url else store.root,
        credentials=store.fs,
        file_glob=file_glob,
        files_per_page=files_per_page,
        # listed oldest first, so a run that stops early leaves exactly the newer files for the next one
        incremental=dlt.sources.incremental("modification_date", row_order="asc"),
    )
    if max_bytes:
        files.add_step(_BytesLimit(max_bytes))
    return files | read_events(first_copies=FirstCopies(), parse_workers=parse_workers)
