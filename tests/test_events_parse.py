"""The two ways a landing file is parsed agree line for line: Arrow's reader for the plain lines (`fast.py`) and
`schema.validate` line by line, on the simulator's files (every kind of oddity it makes) and on a file of odd lines
written here, so that whichever path a line takes it lands in the same table with the same values or reason."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from pipelines.events.fast import read_plain_lines
from pipelines.events.parse import BLANK_LINE, parse_file
from pipelines.events.simulate import SimulationConfig, simulate

MODIFIED = datetime(2025, 1, 2, tzinfo=UTC)
FAST, PER_LINE = 0, 1 << 40  # `fast_min_bytes`: every file through Arrow first, or none

PLAIN = (
    '"event_id":"e{n}","event_type":"view","user_id":"u1","movie_id":603,"session_id":"s1",'
    '"client_ts":"2025-01-01T10:00:00.123Z","received_at":"2025-01-01T10:00:01Z","device":"tv"'
)
ODD_LINES = [
    '{"event_id":"r1","event_type":"rate","user_id":"u1","movie_id":603,"rating":4,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00.5Z"}',  # an integer rating
    '{"event_id":"r2","event_type":"rate","user_id":"u1","movie_id":603,"rating":2.25,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # off the half-star grid
    '{"event_id":"r3","event_type":"rate","user_id":"u1","movie_id":603,"rating":5.5,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"r4","event_type":"rate","user_id":"u1","movie_id":603,"rating":true,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"r5","event_type":"rate","user_id":"u1","movie_id":603,"rating":NaN,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"r6","event_type":"rate","user_id":"u1","movie_id":603,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # no rating
    '{"event_id":"v1","event_type":"view","user_id":"u1","movie_id":603,"rating":3.0,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # a rating beside a view: ignored
    '{"event_id":"v2","event_type":"view","user_id":"u1","movie_id":603,"rating":Infinity,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"v3","event_type":"view","user_id":"u1","movie_id":1.0,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"v4","event_type":"view","user_id":"u1","movie_id":"603",'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"v5","event_type":"view","user_id":"u1","movie_id":-0,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"v6","event_type":"view","user_id":"u1",'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # a view without a movie
    '{"event_id":"s1","event_type":"search","user_id":"u1","search_query":"matrix",'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # a search needs none
    '{"event_id":"d1","event_type":"view","user_id":"u1","movie_id":603,"device":5,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # a number where text belongs
    '{"event_id":"d2","event_type":"view","event_type":"like","user_id":"u1","movie_id":603,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # a key twice: the last counts
    '{"event_id":"t1","event_type":"view","user_id":"u1","movie_id":603,'
    '"client_ts":"2025-01-01T12:00:00+02:00","received_at":"2025-01-01T10:00:00"}',  # offset, naive
    '{"event_id":"t2","event_type":"view","user_id":"u1","movie_id":603,'
    '"client_ts":"2025-01-01","received_at":"2025-01-01T10:00:00.1234567Z"}',  # a date, 7 digits
    '{"event_id":"t3","event_type":"view","user_id":"u1","movie_id":603,'
    '"client_ts":"2025-02-30T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # no such day
    '{"event_id":"t4","event_type":"view","user_id":"u1","movie_id":603,'
    '"client_ts":"yesterday","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"t5","event_type":"view","user_id":"u1","movie_id":603,'
    '"client_ts":"2025-01-01T10:00:00.5z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"","event_type":"view","user_id":"u1","movie_id":603,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # an empty id
    '{"event_id":"m1","event_type":"poke","user_id":"u1","movie_id":603,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"m2","event_type":"view","user_id":"u1","movie_id":603,"client_ts":"2025-01-01T10:00:00Z"}',
    '{"event_id":"x1","event_type":"view","user_id":"u1","movie_id":603,"screen":{"name":"home","position":3},'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z","experiment":"recs_v2"}',
    '{"event_id":"x2","event_type":"view","user_id":"u1","movie_id":603,"note":null,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # an extra field, null
    '{"event_id":"x3","event_type":"view","user_id":"u1","movie_id":603,"\\u006eote":null,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # the same, its name escaped
    '{"event_id":"x4","event_type":"view","user_id":"u1","movie_id":603,"score":-Infinity,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"x5","event_type":"view","user_id":"u1","movie_id":603,"screen":7,'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # "screen" was an object above
    '{"event_id":"c1","event_type":"comment","user_id":"u1","movie_id":603,"comment_text":"caf\u00e9 \\u00e9 \\u0000",'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',
    '{"event_id":"c2","event_type":"comment","user_id":"u1","movie_id":603,"comment_text":"\\ud800",'
    '"client_ts":"2025-01-01T10:00:00Z","received_at":"2025-01-01T10:00:00Z"}',  # a lone surrogate
    "{" + PLAIN.format(n="w1") + "} ",  # a space after it
    "{" + PLAIN.format(n="w2") + "}\r",  # written on Windows
    "{" + PLAIN.format(n="w3") + "}{" + PLAIN.format(n="w4") + "}",  # two objects on one line
    "{" + PLAIN.format(n="w5")[:-12],  # cut short
    "{" + PLAIN.format(n="w6") + ',"screen":{"name":"home"}',  # cut short just after a brace
    "[{" + PLAIN.format(n="w7") + "}]",
    "",
    "   ",
    "<html>502 Bad Gateway</html>",
    "{}",
]


def _agree(name: str, data: bytes) -> tuple[pa.Table | None, pa.Table | None]:
    """Parse `data` both ways and assert the same rows; the fast path's result."""
    fast = parse_file(name, MODIFIED, data, fast_min_bytes=FAST)
    per_line = parse_file(name, MODIFIED, data, fast_min_bytes=PER_LINE)
    for got, want in zip(fast, per_line, strict=True):
        assert (got is None) == (want is None)
        if got is not None:
            got, want = got.sort_by("line_number"), want.sort_by("line_number")
            assert got.schema == want.schema
            assert got.to_pylist() == want.to_pylist()
    return fast


def test_odd_lines_land_alike_both_ways() -> None:
    plain = ["{" + PLAIN.format(n=n) + "}" for n in range(400)]
    lines = plain[:200] + ODD_LINES + plain[200:]
    data = ("\n".join(lines) + "\n").encode()
    events, quarantine = _agree("odd.ndjson", data)
    assert events is not None and quarantine is not None
    assert events.num_rows + quarantine.num_rows == len(lines)  # every line lands, blank ones too
    reasons = dict(zip(quarantine["line_number"].to_pylist(), quarantine["reason"].to_pylist(), strict=True))
    assert reasons[202].startswith("rating 2.25") and reasons[234].startswith("not valid JSON")
    assert reasons[237] == reasons[238] == BLANK_LINE  # "" and "   "
    kept = {row["event_id"]: row for row in events.to_pylist()}
    assert kept["d1"]["device"] == "5" and kept["d2"]["event_type"] == "like" and kept["v1"]["rating"] is None
    assert kept["x2"]["extra_fields"] == '{"note":null}' == kept["x3"]["extra_fields"]
    # the plain lines away from the odd ones were read by Arrow, the odd ones went line by line
    taken, others = read_plain_lines(data)
    assert taken is not None and {*range(1, 151), *range(291, 441)} <= set(taken["line_number"].to_pylist())
    odd = {*range(22, 27), *range(28, 33), *range(34, 44), 47, *range(50, 57), 59, 60}
    assert {line + 180 for line in odd} <= set(others.tolist())


def test_the_simulators_files_land_alike_both_ways(tmp_path: Path) -> None:
    config = SimulationConfig(days=1, users=800, malformed_rate=0.03, duplicate_rate=0.03, unknown_movie_rate=0.01)
    simulate(config, str(tmp_path))
    lines = quarantined = read_by_arrow = 0
    for path in sorted(tmp_path.rglob("*.ndjson*")):
        data = path.read_bytes()
        events, quarantine = _agree(path.name, data)
        text = gzip.decompress(data) if path.suffix == ".gz" else data
        taken, _ = read_plain_lines(text)
        lines += text.count(b"\n")
        quarantined += quarantine.num_rows if quarantine is not None else 0
        read_by_arrow += taken.num_rows if taken is not None else 0
    assert quarantined > 0.02 * lines  # the oddities were there...
    assert read_by_arrow > 0.9 * lines  # ...and the rest took the fast path
