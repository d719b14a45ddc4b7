"""The dlt source `events`: NDJSON files from a landing folder or fsspec URL into `raw.events` and
`raw.events_quarantine`.

dlt's filesystem resource lists the files (`**/*.ndjson` and `**/*.ndjson.gz`) incremental on their
modification time, so a run reads only files that appeared (or changed) since the last one; the cursor is dlt
state, committed with the data. `read_events` parses each file line by line: a usable line becomes a row of
`events`, merged on `event_id` (an event delivered twice is one row), with the file and line of the copy kept;
any other line becomes a row of `events_quarantine` (file, line number, reason, the line), merged on file and
line number, so a re-read file never doubles anything. Rows go to dlt as Arrow tables (no per-row
normalisation), which is what makes millions of events a minute possible.
"""

from __future__ import annotations

import gzip
import inspect
import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import dlt
import orjson
import pyarrow as pa
from dlt.common.storages.fsspec_filesystem import FileItemDict
from dlt.extract.items_transform import LimitItem
from dlt.sources.filesystem import filesystem

from pipelines.backup.store import open_store
from pipelines.events.schema import FIELDS, InvalidEvent, validate

FILE_GLOB = "**/*.ndjson*"  # .ndjson and .ndjson.gz; the simulator's partial files end in .partial
MAX_LINE_KEPT = 2000  # characters of a quarantined line kept for the post-mortem
BATCH_ROWS = 200_000  # rows per Arrow table handed to dlt
FILES_PER_PAGE = 100  # files listed per page handed to `read_events`
BYTES_PER_RUN = 32 << 20  # stored bytes of the files one dlt run reads (`sources.events.max_bytes`), about
# 700k events gzipped; a backlog takes several runs, memory follows one run (the page crossing it is read whole)

_ARROW_TYPES = {
    "text": pa.string(),
    "bigint": pa.int64(),
    "double": pa.float64(),
    "timestamp": pa.timestamp("us", "UTC"),
}
EVENTS_SCHEMA = pa.schema(
    [pa.field(name, _ARROW_TYPES[kind], nullable=not required) for name, (kind, required, _) in FIELDS.items()]
    + [
        pa.field("extra_fields", pa.string()),  # the fields the schema does not document, as a JSON object
        pa.field("file_name", pa.string(), nullable=False),
        pa.field("line_number", pa.int64(), nullable=False),
    ]
)
QUARANTINE_SCHEMA = pa.schema(
    [
        pa.field("file_name", pa.string(), nullable=False),
        pa.field("line_number", pa.int64(), nullable=False),  # 1-based; 0: the file as a whole
        pa.field("reason", pa.string(), nullable=False),
        pa.field("line", pa.string()),
        pa.field("file_modified_at", pa.timestamp("us", "UTC")),
    ]
)
QUARANTINE_HINTS = dlt.mark.make_hints(
    table_name="events_quarantine", write_disposition="merge", primary_key=["file_name", "line_number"]
)


def _lines(item: FileItemDict) -> Iterator[tuple[int, bytes]]:
    data = item.read_bytes()
    if item["file_name"].endswith(".gz"):
        data = gzip.decompress(data)
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.strip() or number == 1:  # the newline ending the last line is not a line
            yield number, line


class _Batch:
    """Rows of both tables collected column-wise, turned into Arrow tables when full."""

    def __init__(self) -> None:
        self.events: dict[str, list[Any]] = {name: [] for name in EVENTS_SCHEMA.names}
        self.quarantine: dict[str, list[Any]] = {name: [] for name in QUARANTINE_SCHEMA.names}
        self.size = 0

    def add_event(self, row: dict[str, Any], file_name: str, number: int) -> None:
        extra = row.pop("extra_fields")
        row["extra_fields"] = orjson.dumps(extra).decode() if extra is not None else None
        row["file_name"], row["line_number"] = file_name, number
        for name, values in self.events.items():
            values.append(row[name])
        self.size += 1

    def add_quarantine(self, file_name: str, number: int, reason: str, line: str | None, modified: datetime) -> None:
        for name, value in zip(
            QUARANTINE_SCHEMA.names, (file_name, number, reason, line and line[:MAX_LINE_KEPT], modified), strict=True
        ):
            self.quarantine[name].append(value)
        self.size += 1

    def flush(self) -> Iterator[Any]:
        if self.events["event_id"]:
            yield pa.table(self.events, schema=EVENTS_SCHEMA)
        if self.quarantine["file_name"]:
            yield dlt.mark.with_hints(
                pa.table(self.quarantine, schema=QUARANTINE_SCHEMA), QUARANTINE_HINTS, create_table_variant=True
            )
        self.__init__()  # type: ignore[misc]


def parse_file(item: FileItemDict, batch: _Batch) -> None:
    """Every line of one file into `batch`: an event, or a quarantine row with the reason."""
    name, modified = item["relative_path"], item["modification_date"]
    try:
        lines = list(_lines(item))
    except (OSError, EOFError, zlib.error) as exc:  # a gzip file cut short or not gzip at all
        batch.add_quarantine(name, 0, f"the file cannot be decompressed: {exc}", None, modified)
        return
    for number, raw in lines:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            batch.add_quarantine(name, number, "not UTF-8 text", raw.decode("utf-8", "replace"), modified)
            continue
        try:
            batch.add_event(validate(orjson.loads(raw)), name, number)
        except orjson.JSONDecodeError as exc:
            batch.add_quarantine(name, number, f"not valid JSON: {exc}", text, modified)
        except InvalidEvent as exc:
            batch.add_quarantine(name, number, str(exc), text, modified)


@dlt.transformer(
    name="events",
    primary_key="event_id",
    write_disposition="merge",
    columns={"rating": {"data_type": "double", "nullable": True}},
)
def read_events(items: list[FileItemDict]) -> Iterator[Any]:
    """Parse a page of listed files into Arrow tables for `events` and `events_quarantine`."""
    batch = _Batch()
    for item in items:
        parse_file(item, batch)
        if batch.size >= BATCH_ROWS:
            yield from batch.flush()
    yield from batch.flush()


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
) -> Any:
    """The landing location `url` (a folder or any fsspec URL; `TMDB_EVENTS_URL`), files new since the last run,
    oldest first, up to about `max_bytes` of them as stored (None: all)."""
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
    return files | read_events
