"""One landing file's bytes into two Arrow tables: the usable lines as typed rows of `events`, every other line as
a row of `events_quarantine` (file, line number, reason, the line).

Kept apart from the dlt source so that worker processes can run it: it imports neither dlt nor fsspec, takes the
file's bytes and returns Arrow tables (both travel between processes as buffers, not Python objects). What a
valid event is, and the reason a line is not, stays `schema.validate`'s: this module only splits lines and builds
columns.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np
import orjson
import pyarrow as pa

from pipelines.events.fast import line_bounds, read_plain_lines
from pipelines.events.schema import FIELDS, ROW_FIELDS, InvalidEvent, validate

MAX_LINE_KEPT = 2000  # characters of a quarantined line kept for the post-mortem
BLANK_LINE = "a blank line (no event)"
# Files smaller than this (decompressed) are parsed line by line: Arrow's reader costs about a millisecond a file
# more, paid back at about 130 KB (400 lines) of events (`python -m bench.events_parse`, README bench-events).
FAST_MIN_BYTES = 128 << 10

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
_NAIVE_UTC = pa.timestamp("us")  # `validate`'s timestamps: naive, in UTC; the column type says UTC


def _is_utf8(data: bytes) -> bool:
    if data.isascii():  # most files, checked at memory speed
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _column(name: str, values: Any) -> pa.Array:
    kind = EVENTS_SCHEMA.field(name).type
    if kind == pa.timestamp("us", "UTC"):
        return pa.array(values, _NAIVE_UTC).cast(kind)
    if name == "extra_fields":
        values = [None if extra is None else orjson.dumps(extra).decode() for extra in values]
    return pa.array(values, kind)


def _events_table(rows: list[tuple[Any, ...]], file_name: str, numbers: list[int]) -> pa.Table:
    columns = list(zip(*rows, strict=True))
    arrays = [_column(name, values) for name, values in zip(ROW_FIELDS, columns, strict=True)]
    arrays += [pa.array([file_name] * len(rows), pa.string()), pa.array(numbers, pa.int64())]
    return pa.Table.from_arrays(arrays, schema=EVENTS_SCHEMA)


class _Quarantine:
    """The quarantine rows of one file."""

    def __init__(self, file_name: str, modified: datetime) -> None:
        self.file_name, self.modified = file_name, modified
        self.numbers: list[int] = []
        self.reasons: list[str] = []
        self.lines: list[str | None] = []

    def add(self, number: int, reason: str, line: str | None) -> None:
        self.numbers.append(number)
        self.reasons.append(reason)
        self.lines.append(line and line[:MAX_LINE_KEPT])

    def table(self) -> pa.Table:
        count = len(self.numbers)
        return pa.table(
            {
                "file_name": [self.file_name] * count,
                "line_number": self.numbers,
                "reason": self.reasons,
                "line": self.lines,
                "file_modified_at": [self.modified] * count,
            },
            schema=QUARANTINE_SCHEMA,
        )


def unreadable_file(file_name: str, modified: datetime, error: BaseException) -> pa.Table:
    """The quarantine row (line 0) of a file that cannot be read or decompressed."""
    quarantine = _Quarantine(file_name, modified)
    quarantine.add(0, f"the file cannot be decompressed: {error}", None)
    return quarantine.table()


def parse_file(
    file_name: str, modified: datetime, data: bytes, fast_min_bytes: int | None = None
) -> tuple[pa.Table | None, pa.Table | None]:
    """Every line of one landing file (gzipped if its name ends in .gz) as (events, quarantine), either None when
    it has no row. A file that cannot be decompressed is one quarantine row, line 0.

    The plain lines are read at once by Arrow (`fast.read_plain_lines`), the others one by one by `schema.validate`
    (all of them in a file of fewer than `fast_min_bytes` decompressed, default FAST_MIN_BYTES, or not UTF-8): both
    make the same rows of the same lines."""
    if file_name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:  # a gzip file cut short or not gzip at all
            return None, unreadable_file(file_name, modified, exc)
    quarantine = _Quarantine(file_name, modified)
    utf8 = _is_utf8(data)
    tables: list[pa.Table] = []
    starts, ends = line_bounds(data)
    per_line: Iterable[int] = range(1, len(starts) + 1)
    if utf8 and len(data) >= (FAST_MIN_BYTES if fast_min_bytes is None else fast_min_bytes):
        plain, others = read_plain_lines(data)
        if plain is not None:
            tables.append(_with_file_name(plain, file_name))
        per_line = others.tolist()
    lines = ((n, data[starts[n - 1] : ends[n - 1]]) for n in per_line)
    rows, numbers = _per_line(lines, utf8, quarantine)
    if rows:
        tables.append(_events_table(rows, file_name, numbers))
    events = (tables[0] if len(tables) == 1 else pa.concat_tables(tables)) if tables else None
    return events, quarantine.table() if quarantine.numbers else None


def _with_file_name(table: pa.Table, file_name: str) -> pa.Table:
    """`fast.read_plain_lines`'s table in the columns and types of EVENTS_SCHEMA."""
    file_names = pa.array([file_name], pa.string()).take(pa.array(np.zeros(table.num_rows, dtype=np.int64)))
    columns = {name: table[name] for name in table.column_names} | {"file_name": file_names}
    return pa.table([columns[name] for name in EVENTS_SCHEMA.names], schema=EVENTS_SCHEMA)


def _per_line(
    lines: Iterable[tuple[int, bytes]], utf8: bool, quarantine: _Quarantine
) -> tuple[list[tuple[Any, ...]], list[int]]:
    """The rows (`validate`'s) and line numbers of the usable lines among (number, line) `lines`; the others go to
    `quarantine` with the reason."""
    rows: list[tuple[Any, ...]] = []
    numbers: list[int] = []
    loads, append_row, append_number = orjson.loads, rows.append, numbers.append
    for number, raw in lines:
        if not raw.strip():  # a line of no event: quarantined too, so every line of a file lands somewhere
            quarantine.add(number, BLANK_LINE, raw.decode("utf-8", "replace"))
            continue
        if not utf8:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                quarantine.add(number, "not UTF-8 text", raw.decode("utf-8", "replace"))
                continue
        try:
            append_row(validate(loads(raw)))
        except orjson.JSONDecodeError as exc:
            quarantine.add(number, f"not valid JSON: {exc}", raw.decode("utf-8"))
            continue
        except InvalidEvent as exc:
            quarantine.add(number, str(exc), raw.decode("utf-8"))
            continue
        append_number(number)
    return rows, numbers
