"""The loader's vectorised fast path agrees with `schema.validate` line for line: the same events, typed the same,
and the same quarantine rows with the same reasons, on every kind of good and bad line (no dlt, no warehouse:
seconds)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pipelines.events.simulate import SimulationConfig, simulate
from pipelines.events.source import EVENTS_SCHEMA, _Batch, check_line
from pipelines.events.vectorised import FileText, VectorisedParser

MODIFIED = datetime(2026, 1, 1, tzinfo=UTC)
BASE = (
    '"event_id":"e{n}","event_type":"{type}","user_id":"u1","session_id":"s1","movie_id":{movie},'
    '"client_ts":"{ts}","received_at":"2017-01-20T10:00:01.500Z","device":"mobile","browser":"web",'
    '"country":"DE","app_version":"3.2.0"'
)

TIMES = '"client_ts":"2017-01-20T10:00:00Z","received_at":"2017-01-20T10:00:00Z"'


def _line(
    n: int, extra: str = "", type_: str = "view", movie: str = "550", ts: str = "2017-01-20T10:00:00.250Z"
) -> str:
    return "{" + BASE.format(n=n, type=type_, movie=movie, ts=ts) + extra + "}"


# Every kind of line, good and bad; the numbers only make event ids unique.
TRICKY = [
    _line(1),
    _line(2, ts="2017-01-20T10:00:00+02:00"),
    _line(3, ts="2017-01-20T10:00:00"),
    _line(4, ts="2017-01-20T10:00:00.1Z"),
    _line(5, ts="2017-01-20T10:00:00.1234567Z"),
    _line(6, ts="2017-01-20"),
    _line(7, ts="2017-01-20 10:00:00"),
    _line(8, ts="2017-01-20T24:00:00Z"),
    _line(9, ts="2017-02-30T10:00:00Z"),
    _line(10, ts="yesterday"),
    _line(11, movie="0"),
    _line(12, movie="-1"),
    _line(13, movie="1.0"),
    _line(14, movie='"550"'),
    _line(15, movie="true"),
    _line(16, type_="search", movie="null"),
    _line(17, type_="search", movie="550"),
    _line(18, type_="view", movie="null"),
    _line(19, type_="rate", extra=',"rating":4'),
    _line(20, type_="rate", extra=',"rating":4.5'),
    _line(21, type_="rate", extra=',"rating":4.25'),
    _line(22, type_="rate", extra=',"rating":0'),
    _line(23, type_="rate", extra=',"rating":5.5'),
    _line(24, type_="rate", extra=',"rating":"4"'),
    _line(25, type_="rate", extra=',"rating":true'),
    _line(26, type_="rate", extra=',"rating":NaN'),
    _line(27, type_="rate", extra=',"rating":Infinity'),
    _line(28, type_="rate", extra=',"rating":1e400'),
    _line(29, type_="rate"),
    _line(30, extra=',"rating":3.0'),  # a rating on a view is not kept
    _line(31, type_="teleport"),
    _line(32, extra=',"device":5'),
    _line(33, extra=',"device":null'),
    _line(34, extra=',"country":true'),
    _line(35, extra=',"x":1'),
    _line(36, extra=',"x":null,"y":{"z":[1,2.50,"a\\"b"]}'),
    _line(37, extra=',"x":1e300'),
    _line(38, extra=',"x":1e30'),
    _line(39, extra=',"we\\"ird":"\\u00e9"'),
    _line(40, extra=","),
    _line(41, extra=',"x":[1,]'),
    _line(42, extra=',"ids":[nan]'),
    '{"event_id":"e43","event_id":"e43b","event_type":"view","user_id":"u","movie_id":1,' + TIMES + "}",
    '{"event_id":"","event_type":"view","user_id":"u","movie_id":1,' + TIMES + "}",
    '{"event_id":"e45","event_type":"view","user_id":123,"movie_id":1,' + TIMES + "}",
    '{"event_id":"e46","event_type":"view","user_id":"\\u00fc \\"q\\"","movie_id":1,' + TIMES + "}",
    '{"event_id":"e47","event_type":"view","user_id":"u","movie_id":1,"client_ts":"2017-01-20T10:00:00Z"}',
    '{"event_id":"e48","event_type":"view","user_id":"u","movie_id":9223372036854775807,' + TIMES + "}",
    _line(49) + "\r",
    _line(50)[:60],
    "not json",
    "[1, 2]",
    '"a string"',
    "42",
    "   ",
    "",
    "\t{}",
]


def _rows(table: Any) -> list[dict[str, Any]]:
    rows = table.to_pylist()
    for row in rows:
        row["extra_fields"] = row["extra_fields"] and json.loads(row["extra_fields"])
    return sorted(rows, key=lambda row: (row["file_name"], row["line_number"]))


def _both_paths(files: list[FileText]) -> tuple[tuple[list, list], tuple[list, list], int]:
    """(events, quarantine) line by line in Python; the same through the fast path; lines the fast path typed."""
    slow = _Batch()
    for file in files:
        for number, line in enumerate(file.data.split(b"\n"), start=1):
            if line.strip() or number == 1:
                check_line(slow, file.file_name, number, line, file.modified)
    fast, parser = _Batch(), VectorisedParser()
    split = parser.split(files)
    parser.close()
    for name, number, line, modified in split.others:
        check_line(fast, name, number, line, modified)
    typed = split.events.select(EVENTS_SCHEMA.names).cast(EVENTS_SCHEMA)
    fast_events = _rows(typed) + _rows(_table(fast.events, EVENTS_SCHEMA))
    return (
        (_rows(_table(slow.events, EVENTS_SCHEMA)), sorted(zip(*slow.quarantine.values(), strict=True))),
        (
            sorted(fast_events, key=lambda row: (row["file_name"], row["line_number"])),
            sorted(zip(*fast.quarantine.values(), strict=True)),
        ),
        typed.num_rows,
    )


def _table(columns: dict[str, list[Any]], schema: Any) -> Any:
    import pyarrow as pa

    return pa.table(columns, schema=schema)


def test_fast_path_agrees_with_validate_on_every_kind_of_line() -> None:
    files = [
        FileText("a/tricky.ndjson", MODIFIED, ("\n".join(TRICKY) + "\n").encode()),
        FileText("b/empty.ndjson", MODIFIED, b""),
    ]
    slow, fast, typed = _both_paths(files)
    assert fast == slow
    events, quarantine = slow
    assert 20 <= len(events) < len(TRICKY) and len(quarantine) >= 25
    assert typed >= 10  # the plain lines took the fast path


def test_fast_path_agrees_on_simulated_traffic(tmp_path: Any) -> None:
    import gzip

    simulate(SimulationConfig(days=2, users=300, malformed_rate=0.05, unknown_movie_rate=0.02), str(tmp_path))
    files = [
        FileText(path.relative_to(tmp_path).as_posix(), MODIFIED, gzip.decompress(path.read_bytes()))
        for path in sorted(tmp_path.rglob("*.ndjson.gz"))
    ]
    slow, fast, typed = _both_paths(files)
    assert fast == slow
    assert typed >= 0.9 * len(slow[0]) and len(slow[1]) > 10
