"""The fast path of the events loader: whole files split, checked and typed in DuckDB, not line by line in Python.

`schema.validate` stays the one home of what a valid event is and of the reason a line is not. This module only
recognises, in one vectorised query, the lines that are certainly valid (a strict subset: any doubt sends the line
to `validate`) and types them exactly as `validate` would. Every other line comes back untouched, with its file and
number, for `validate` to accept or quarantine with its reason. The subset is conservative where DuckDB's JSON
parser is more lenient than orjson's (NaN and Infinity literals, trailing commas, numbers that overflow a double,
duplicate keys) and where DuckDB's timestamp cast is (only `YYYY-MM-DDTHH:MM:SS[.f][Z|+HH:MM]` is taken);
`tests/test_events_vectorised.py` checks both paths agree on every kind of line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.events.schema import EVENT_TYPES, FIELDS, KNOWN_FIELDS, MOVIE_EVENT_TYPES, RATING_MAX, RATING_MIN

_TEXT = [name for name, (kind, _, _) in FIELDS.items() if kind == "text"]
_REQUIRED_TEXT = [name for name in _TEXT if FIELDS[name][1]]
_TIMESTAMPS = [name for name, (kind, _, _) in FIELDS.items() if kind == "timestamp"]
# What fromisoformat and DuckDB's cast read alike; anything else (dates alone, other separators, hour 24) goes to
# `validate`, which decides.
_ISO = r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$"
# Lines DuckDB's JSON parser accepts and orjson does not (or may read otherwise); matched anywhere, strings too.
_LENIENT = r"[:\[,]\s*[-+]?([nN][aA][nN]|[iI][nN][fF])|,\s*[\]}]"
# A number too large for a double (orjson refuses it; DuckDB reads infinity). The typed fields' checks refuse
# it anyway; in the extra fields, an exponent of three digits sends the line to `validate`.
_HUGE = r"[eE][-+]?\d{3}"
BATCH_LINES = 20_000  # lines per record batch DuckDB reads (its threads take batches)
_BLANK = r"[ \t\r\x0b\x0c]*"  # a line of what bytes.strip() strips (the newline aside) is no line


def _sql_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(f"'{value}'" for value in values) + "]"


def _query() -> str:
    fields = list(FIELDS)
    position = {name: i + 1 for i, name in enumerate(fields)}  # 1-based, into the lists of types and values

    def text(name: str) -> str:  # the value as text (a string unescaped, a number as written); NULL if missing
        return f"s[{position[name]}]"

    def kind(name: str) -> str:  # the JSON type, 'MISSING' if the key is not there
        return f"coalesce(t[{position[name]}], 'MISSING')"

    optional_ok = [f"{kind(name)} in ('VARCHAR', 'NULL', 'MISSING')" for name in _TEXT if name not in _REQUIRED_TEXT]
    required_ok = [f"{kind(name)} = 'VARCHAR' and {text(name)} <> ''" for name in _REQUIRED_TEXT]
    ts_ok = [
        f"{kind(name)} = 'VARCHAR' and regexp_full_match({text(name)}, '{_ISO}')"
        f" and try_cast({text(name)} as timestamptz) is not null"
        for name in _TIMESTAMPS
    ]
    event_type, rating = text("event_type"), f"try_cast({text('rating')} as double)"
    checks = [
        *required_ok,
        *ts_ok,
        *optional_ok,
        f"list_contains({_sql_list(EVENT_TYPES)}, {event_type})",
        f"({kind('movie_id')} in ('NULL', 'MISSING') and {event_type} = 'search')"
        f" or ({kind('movie_id')} in ('BIGINT', 'UBIGINT') and try_cast({text('movie_id')} as bigint) > 0)",
        f"{event_type} <> 'rate' or ({kind('rating')} in ('BIGINT', 'UBIGINT', 'DOUBLE')"
        f" and {rating} between {RATING_MIN} and {RATING_MAX} and {rating} * 2 = floor({rating} * 2))",
    ]
    typed = []
    for name, (data_type, _, _) in FIELDS.items():
        if name == "rating":
            value = f"case when {event_type} = 'rate' then {rating} end"
        elif data_type == "bigint":
            value = f"try_cast({text(name)} as bigint)"
        elif data_type == "timestamp":
            value = f"try_cast({text(name)} as timestamptz)"
        else:
            value = text(name)
        typed.append(f"case when clean then {value} end as {name}")
    drop_known = "'{" + ", ".join(f'"{name}": null' for name in sorted(KNOWN_FIELDS)) + "}'"
    paths = "[" + ", ".join(f"'$.\"{name}\"'" for name in fields) + "]"
    assert set(MOVIE_EVENT_TYPES) == set(EVENT_TYPES) - {"search"}  # the movie rule above names search alone
    # `unknown` counts the keys beyond the documented ones present: extra fields, or a key given twice. A line
    # with them is taken only without duplicate keys (orjson keeps the last, DuckDB the first).
    return f"""
        with lines as (
            select * from files where line_number = 1 or not regexp_full_match(line, '{_BLANK}')
        ), objects as (
            select *, case when ok then json_type(line, {paths}) end as t,
                case when ok then json_extract_string(line, {paths}) end as s,
                case when ok then json_keys(line) end as keys
            from (
                select *, regexp_matches(line, '^[ \t\r]*[{{]') and json_valid(line)
                    and not regexp_matches(line, '{_LENIENT}') as ok
                from lines
            )
        ), checked as (
            select *, coalesce(ok and {" and ".join(f"({c})" for c in checks)}, false) as typed_ok,
                len(keys) - len(list_filter(t, x -> x is not null)) as unknown
            from objects
        ), extras as (
            select *, case when typed_ok and unknown > 0 and list_unique(keys) = len(keys)
                then json_merge_patch(line, {drop_known})::varchar end as extra_fields
            from checked
        ), final as (
            select *, coalesce(typed_ok and (unknown = 0 or not regexp_matches(extra_fields, '{_HUGE}')), false)
                as clean
            from extras
        )
        select clean, file_name, line_number, modified,
            case when not clean then line end as line,
            {", ".join(typed)},
            case when clean then extra_fields end as extra_fields
        from final
    """


_QUERY = _query()


@dataclass(frozen=True)
class FileText:
    """One landing file's content, already known to be UTF-8 text."""

    file_name: str
    modified: datetime
    data: bytes


@dataclass(frozen=True)
class Split:
    """The certainly valid lines as typed columns, and the others (file, number, line, modified) for `validate`."""

    events: pa.Table
    others: list[tuple[str, int, str, datetime]]


def _lines(files: Sequence[FileText]) -> pa.Table:
    """Every line of `files` (split on newlines by Arrow) with its file, 1-based number and the file's time, in
    record batches small enough for DuckDB to share among its threads."""
    sizes = np.fromiter((len(f.data) for f in files), np.int64, len(files))
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    texts = pa.LargeStringArray.from_buffers(  # one copy of the bytes; UTF-8 was checked by the caller
        len(files), pa.py_buffer(offsets), pa.py_buffer(b"".join(f.data for f in files))
    )
    bodies = pc.split_pattern(texts, "\n")
    starts = np.asarray(bodies.offsets)
    counts = np.diff(starts)
    parents = np.repeat(np.arange(len(files)), counts)
    numbers = np.arange(starts[-1]) - np.repeat(starts[:-1], counts) + 1
    table = pa.table(
        {
            "file_name": pa.array([f.file_name for f in files], pa.string()).take(parents),
            "modified": pa.array([f.modified for f in files], pa.timestamp("us", "UTC")).take(parents),
            "line": pc.list_flatten(bodies),
            "line_number": pa.array(numbers, pa.int64()),
        }
    )
    return pa.Table.from_batches(table.to_batches(max_chunksize=BATCH_LINES))


class VectorisedParser:
    """One in-memory DuckDB connection reused for every page of files of one extract."""

    def __init__(self) -> None:
        self._con = duckdb.connect(config={"threads": 2})

    def split(self, files: Sequence[FileText]) -> Split:
        self._con.register("files", _lines(files))
        try:
            result = self._con.execute(_QUERY).to_arrow_table()
        finally:
            self._con.unregister("files")
        clean = result.column("clean")
        events = result.filter(clean)
        others = result.filter(pc.invert(clean)).select(["file_name", "line_number", "line", "modified"])
        return Split(events=events, others=list(zip(*(others.column(i).to_pylist() for i in range(4)), strict=True)))

    def close(self) -> None:
        self._con.close()
