"""The vectorized path of `parse.parse_file`: the plain lines of a landing file read at once by Arrow's JSON reader.

`schema.validate` stays the one home of what a usable event is and of the reason a line is not: this module only
recognises lines that are certainly usable and hands back every other one, by its line number, to the per-line
path. A line is taken here when it is one JSON object that Arrow reads with the documented types (a text field
holding a number, a repeated key, a bad escape fail the read), with every required field non-empty, a known event
type, a positive `movie_id` where the type needs one, a rating on the half-star grid for `rate`, and both
timestamps in the plain UTC form `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` (any other ISO 8601 spelling goes per line).
Values taken here equal what `validate` makes of the same line (`tests/test_events_parse.py` checks it line by
line on the simulator's files and on a file of odd lines).

A file Arrow refuses (one truncated line is enough) is read again in halves, down to blocks of `HALVING_FLOOR`
lines that go per line, so a malformed line costs a few reads of its neighbourhood, not the whole file on the slow
path. A file whose every line Arrow refuses (say a producer sending a number where text belongs) costs about three
times the per-line path (measured: 13.7 against 4.9 us a line): the same bytes are read once per halving.
"""

from __future__ import annotations

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from pipelines.events.schema import (
    EVENT_TYPES,
    FIELDS,
    MOVIE_EVENT_TYPES,
    RATING_MAX,
    RATING_MIN,
    RATING_STEP,
    undocumented_fields,
)

_TYPES = {"text": pa.string(), "bigint": pa.int64(), "double": pa.float64(), "timestamp": pa.string()}
# What Arrow reads: the documented fields, timestamps as text (checked and converted below)
READ_SCHEMA = pa.schema([pa.field(name, _TYPES[kind]) for name, (kind, _, _) in FIELDS.items()])
_READ = pj.ReadOptions(use_threads=False, block_size=1 << 30)  # one block: threads cost more CPU than they save
_PARSE = pj.ParseOptions(explicit_schema=READ_SCHEMA, unexpected_field_behavior="infer")
# The one spelling of a timestamp taken here; Arrow and `datetime.fromisoformat` read it alike.
UTC_TIMESTAMP = r"^[12]\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$"
_TIMESTAMP = pa.timestamp("us", "UTC")
_REQUIRED_TEXT = [name for name, (kind, required, _) in FIELDS.items() if required and kind == "text"]
_TIMESTAMPS = [name for name, (kind, _, _) in FIELDS.items() if kind == "timestamp"]
_EVENT_TYPES = pa.array(EVENT_TYPES)
_MOVIE_EVENT_TYPES = pa.array(sorted(MOVIE_EVENT_TYPES))
_LEFT_BRACE, _RIGHT_BRACE, _NEWLINE = ord("{"), ord("}"), ord("\n")
HALVING_FLOOR = 32  # lines of a refused block left to the per-line path rather than halved again


def line_bounds(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the lines of `data` numbered as `parse.parse_file` numbers them (the newline ending
    the last line does not start another)."""
    buffer = np.frombuffer(data, np.uint8)
    newlines = np.flatnonzero(buffer == _NEWLINE)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(buffer)]))
    if len(starts) > 1 and starts[-1] == len(buffer):
        starts, ends = starts[:-1], ends[:-1]
    return starts, ends


def read_plain_lines(data: bytes) -> tuple[pa.Table | None, np.ndarray]:
    """The usable lines of `data` this path is sure of, as a table of `parse.EVENTS_SCHEMA`'s event columns (file
    name left out), and the 1-based numbers of all other lines, for the per-line path."""
    starts, ends = line_bounds(data)
    buffer = np.frombuffer(data, np.uint8)
    filled = ends > starts
    candidate = np.zeros(len(starts), dtype=bool)
    candidate[filled] = (buffer[starts[filled]] == _LEFT_BRACE) & (buffer[ends[filled] - 1] == _RIGHT_BRACE)
    lines = np.flatnonzero(candidate)
    if not len(lines):
        return None, np.arange(1, len(starts) + 1)
    if candidate.all():
        text = data
    else:  # the other lines blanked out: Arrow skips blank lines, so its rows stay the candidate lines in order
        blanked = bytearray(data)
        for line in np.flatnonzero(~candidate):
            blanked[starts[line] : ends[line]] = b" " * int(ends[line] - starts[line])
        text = bytes(blanked)
    tables: list[pa.Table] = []
    refused: list[np.ndarray] = [np.flatnonzero(~candidate)]
    _read_halving(memoryview(text), starts, ends, lines, tables, refused)
    offsets = np.concatenate((starts, [len(text)])).astype(np.int64)
    lines_text = pa.Array.from_buffers(
        pa.large_binary(), len(starts), [None, pa.py_buffer(offsets), pa.py_buffer(text)]
    )
    taken: list[pa.Table] = []
    for table in tables:
        table, rest = _checked(table, lines_text)
        taken.append(table)
        refused.append(rest)
    rest_lines = np.sort(np.concatenate(refused)) + 1
    taken = [table for table in taken if table.num_rows]
    return (pa.concat_tables(taken) if taken else None), rest_lines


def _read_halving(
    text: memoryview,
    starts: np.ndarray,
    ends: np.ndarray,
    lines: np.ndarray,
    tables: list[pa.Table],
    refused: list[np.ndarray],
) -> None:
    """Read lines `lines` (indexes, ascending) with Arrow; if it refuses them, each half again, down to
    `HALVING_FLOOR` lines, which are `refused`. Read tables get a `line` column (0-based index)."""
    try:
        table = pj.read_json(
            pa.BufferReader(pa.py_buffer(text[starts[lines[0]] : ends[lines[-1]]])),
            read_options=_READ,
            parse_options=_PARSE,
        )
    except pa.ArrowInvalid:
        table = None
    if table is not None and table.num_rows == len(lines):  # two objects on one line make two rows
        tables.append(table.append_column("line", pa.array(lines)))
        return
    if len(lines) <= HALVING_FLOOR:
        refused.append(lines)
        return
    half = len(lines) // 2
    _read_halving(text, starts, ends, lines[:half], tables, refused)
    _read_halving(text, starts, ends, lines[half:], tables, refused)


def _checked(table: pa.Table, lines_text: pa.Array) -> tuple[pa.Table, np.ndarray]:
    """The rows of one read table that are certainly usable, typed as the events table, and the indexes of the
    other lines. `lines_text`: every line of the file (with its newline), by index."""
    event_type = table["event_type"]
    ok = pc.is_in(event_type, value_set=_EVENT_TYPES)
    for name in _REQUIRED_TEXT:
        ok = pc.and_(ok, pc.not_equal(table[name], ""))
    for name in _TIMESTAMPS:
        ok = pc.and_(ok, pc.match_substring_regex(table[name], UTC_TIMESTAMP))
    movie_id = table["movie_id"]
    without_movie = pc.invert(pc.is_in(event_type, value_set=_MOVIE_EVENT_TYPES))
    ok = pc.and_(ok, pc.if_else(pc.is_null(movie_id), without_movie, pc.greater(movie_id, 0)))
    rating = table["rating"]
    steps = pc.divide(rating, RATING_STEP)
    on_grid = pc.and_(
        pc.and_(pc.greater_equal(rating, RATING_MIN), pc.less_equal(rating, RATING_MAX)),
        pc.equal(steps, pc.floor(steps)),
    )
    is_rate = pc.equal(event_type, "rate")
    # a rating beside another event type is ignored, unless NaN or infinite (not JSON: the per-line path says so)
    ok = pc.and_(ok, pc.if_else(is_rate, on_grid, pc.or_kleene(pc.is_null(rating), pc.is_finite(rating))))
    keep = pc.fill_null(ok, False).combine_chunks()
    lines = table["line"].combine_chunks()
    extra = _extra_fields(table, lines, lines_text)
    if extra is not None:
        keep = pc.and_(keep, pc.invert(extra[1]))
    table = table.append_column("extra_fields", extra[0] if extra is not None else pa.nulls(len(lines), pa.string()))
    rest = [lines.filter(pc.invert(keep)).to_numpy()]
    table = table.filter(keep)
    stamps = {name: _timestamps(table[name]) for name in _TIMESTAMPS}
    if any(stamp is None for stamp in stamps.values()):  # a day or hour that does not exist: rare, looked at singly
        fine = np.ones(table.num_rows, dtype=bool)
        for name in _TIMESTAMPS:
            fine &= [_timestamps(pa.array([value])) is not None for value in table[name].to_pylist()]
        rest.append(table["line"].to_numpy()[~fine])
        table = table.filter(fine)
        stamps = {name: pc.cast(table[name], _TIMESTAMP) for name in _TIMESTAMPS}
    is_rate = pc.equal(table["event_type"], "rate")
    columns = {name: table[name] for name in FIELDS} | stamps
    columns["rating"] = pc.if_else(is_rate, table["rating"], pa.scalar(None, pa.float64()))
    columns["extra_fields"] = table["extra_fields"]
    columns["line_number"] = pc.add(table["line"], 1)
    return pa.table(columns), np.concatenate(rest)


def _timestamps(texts: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray | None:
    """`UTC_TIMESTAMP` texts as UTC timestamps; None if one of them names no real time (Arrow fails them all)."""
    try:
        return pc.cast(texts, _TIMESTAMP)
    except pa.ArrowInvalid:
        return None


def _extra_fields(table: pa.Table, lines: pa.Array, lines_text: pa.Array) -> tuple[pa.Array, pa.Array] | None:
    """For a table whose lines hold undocumented fields: their JSON per row, as `validate` makes it (null for
    rows without), and which rows orjson cannot read (those go per line). None when no line has one."""
    unknown = [name for name in table.column_names if name not in READ_SCHEMA.names and name != "line"]
    if not unknown:
        return None
    maybe = np.zeros(len(lines), dtype=bool)
    for name in unknown:
        maybe |= table[name].is_valid().to_numpy(zero_copy_only=False)
    # an undocumented field given as null reads as absent: the lines spelling a null are looked at too
    if any(table[name].null_count for name in unknown) and pc.any(pc.match_substring(lines_text, "null")).as_py():
        maybe |= pc.match_substring(lines_text.take(lines), "null").to_numpy(zero_copy_only=False)
    values: list[str | None] = [None] * len(lines)
    unreadable = np.zeros(len(lines), dtype=bool)
    rows = np.flatnonzero(maybe)
    for row, line in zip(rows, lines_text.take(lines.take(pa.array(rows))).to_pylist(), strict=True):
        try:
            event = orjson.loads(line)
        except orjson.JSONDecodeError:  # NaN or Infinity inside an undocumented field: Arrow reads it, JSON not
            unreadable[row] = True
            continue
        found = undocumented_fields(event) if isinstance(event, dict) else None
        values[row] = None if found is None else orjson.dumps(found).decode()
    return pa.array(values, pa.string()), pa.array(unreadable)
