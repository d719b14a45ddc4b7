"""User events from landing files into raw: the simulator's files (late, duplicated, malformed lines, unknown movie
ids, extra fields) loaded by the dlt source `events`; nothing lost, nothing counted twice, only new files read, a
load killed with SIGKILL converging on rerun, and an S3-compatible store (moto) as the landing location."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.events import parse, source
from pipelines.events.dedup import FirstCopies
from pipelines.events.load import PIPELINE_NAME, load_events
from pipelines.events.simulate import SimulationConfig, simulate
from pipelines.events.source import QUARANTINE_SCHEMA
from pipelines.ingest import make_pipeline, remove_replayed_rows
from pipelines.settings import Paths
from tests.test_backup import s3  # noqa: F401 - the moto S3 server fixture

REPO = Path(__file__).resolve().parent.parent
# Dirtier than the default, so every kind of bad line is there in a small run.
DIRTY = SimulationConfig(days=4, users=1500, malformed_rate=0.02, duplicate_rate=0.03, unknown_movie_rate=0.01)


def _paths(root: Path) -> Paths:
    return Paths(duckdb_path=root / "tmdb.duckdb", pipelines_dir=str(root / "dlt"))


def _rows(paths: Paths, sql: str) -> list[tuple]:
    with duckdb.connect(str(paths.working_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _input_lines(folder: Path) -> list[tuple[str, int, str]]:
    """(file name relative to the folder, 1-based line number, line) of every line of every landing file."""
    lines = []
    for path in sorted(folder.rglob("*.ndjson*")):
        text = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        name = path.relative_to(folder).as_posix()
        lines += [(name, n, line) for n, line in enumerate(text.decode("utf-8", "replace").splitlines(), 1)]
    return lines


def _event_id(line: str) -> str | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value.get("event_id") if isinstance(value, dict) else None


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Paths]:
    root = tmp_path_factory.mktemp("events")
    simulate(DIRTY, str(root / "landing"))
    paths = _paths(root / "warehouse")
    with pytest.MonkeyPatch.context() as patch:  # small Arrow tables: a run's copies of an event span several
        patch.setattr(source, "BATCH_ROWS", 1000)
        patch.setattr(parse, "FAST_MIN_BYTES", 0)  # small files too read by Arrow first (`test_events_parse`)
        load_events(str(root / "landing"), paths)
    return root / "landing", paths


def test_every_line_ends_in_exactly_one_table(loaded: tuple[Path, Paths]) -> None:
    landing, paths = loaded
    lines = _input_lines(landing)
    events = {row[0] for row in _rows(paths, "select event_id from raw.events")}
    quarantined = {(f, n) for f, n in _rows(paths, "select file_name, line_number from raw.events_quarantine")}
    reasons = {row[0].split(":")[0] for row in _rows(paths, "select reason from raw.events_quarantine")}
    assert len(lines) > 4000 and len(quarantined) > 50
    misplaced = []
    for file_name, number, line in lines:
        in_quarantine = (file_name, number) in quarantined
        in_events = _event_id(line) in events
        if in_quarantine == in_events:  # in neither table, or a quarantined line whose id was loaded too
            misplaced.append((file_name, number, in_quarantine, line[:80]))
    assert misplaced == []
    assert len(quarantined) + len(events) <= len(lines)
    assert {"not valid JSON", "not a JSON object but a JSON list", "required field user_id is missing"} <= reasons
    assert any(r.startswith("rating 7.5") for r in reasons) and any(r.startswith("client_ts") for r in reasons)


def test_a_redelivered_event_counts_once(loaded: tuple[Path, Paths]) -> None:
    landing, paths = loaded
    ids = [_event_id(line) for _, _, line in _input_lines(landing)]
    valid = [i for i in ids if i]
    assert len(valid) > len(set(valid))  # the simulator delivered some lines twice
    before = _rows(paths, "select count(*), count(distinct event_id) from raw.events")[0]
    assert before[0] == before[1]
    # the collector redelivers a whole file under a new name: nothing new is counted
    first = sorted(landing.rglob("*.ndjson.gz"))[0]
    (first.parent / ("again-" + first.name)).write_bytes(first.read_bytes())
    report = load_events(str(landing), paths)
    assert report.events > 0  # the new file was read...
    assert _rows(paths, "select count(*), count(distinct event_id) from raw.events")[0] == before  # ...and merged


def test_a_run_keeps_the_earliest_copy_once() -> None:
    """raw.events is merged insert-only, which would insert every staged copy of a new event: each run's tables
    must hold one copy, the earliest received inside a table (the copy stg_events__events keeps), the first seen
    across the run's tables."""
    at = [datetime(2025, 1, 1, hour, tzinfo=UTC) for hour in range(4)]
    first_copies = FirstCopies()
    first = first_copies(
        pa.table(
            {
                "event_id": ["a", "b", "a", "b"],
                "received_at": [at[2], at[1], at[0], at[1]],
                "file_name": ["f2", "f1", "f1", "f0"],
                "line_number": [1, 2, 3, 4],
            }
        )
    )
    assert sorted(first.to_pylist(), key=lambda row: row["event_id"]) == [
        {"event_id": "a", "received_at": at[0], "file_name": "f1", "line_number": 3},
        {"event_id": "b", "received_at": at[1], "file_name": "f0", "line_number": 4},
    ]
    second = first_copies(
        pa.table(
            {"event_id": ["a", "c"], "received_at": [at[3], at[3]], "file_name": ["f3", "f3"], "line_number": [1, 2]}
        )
    )
    assert second["event_id"].to_pylist() == ["c"]


def test_extra_fields_kept_and_unknown_movies_loaded(loaded: tuple[Path, Paths]) -> None:
    _, paths = loaded
    extra = _rows(paths, "select extra_fields from raw.events where extra_fields is not null limit 1")[0][0]
    assert json.loads(extra)["experiment"] == "recs_v2" and "position" in json.loads(extra)["screen"]
    assert _rows(paths, "select count(*) from raw.events where movie_id >= 900000000")[0][0] > 0


def test_only_new_files_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    landing, paths = tmp_path / "landing", _paths(tmp_path / "warehouse")
    simulate(SimulationConfig(days=2, users=150), str(landing))
    first = load_events(str(landing), paths)
    assert first.events > 0 and load_events(str(landing), paths).events == 0
    simulate(SimulationConfig(days=3, users=150), str(landing))  # the same 2 days (files kept) and a third
    third_day = load_events(str(landing), paths)
    assert 0 < third_day.events < first.events
    once = _paths(tmp_path / "once")  # the same files loaded in one go, parsed by two worker processes
    monkeypatch.setenv("SOURCES__EVENTS__PARSE_WORKERS", "2")
    load_events(str(landing), once)
    monkeypatch.delenv("SOURCES__EVENTS__PARSE_WORKERS")
    for sql in SAME_ROWS:
        assert sorted(_rows(paths, sql), key=str) == sorted(_rows(once, sql), key=str)
    # a backlog bigger than one run's bytes loads in several runs (oldest files first), to the same rows
    stored = sum(path.stat().st_size for path in landing.rglob("*.ndjson*"))
    monkeypatch.setenv("SOURCES__EVENTS__MAX_BYTES", str(stored // 4))
    monkeypatch.setenv("SOURCES__EVENTS__FILES_PER_PAGE", "5")
    runs = _paths(tmp_path / "runs")
    load_events(str(landing), runs)
    assert _rows(runs, "select count(*) from raw._dlt_loads")[0][0] >= 4
    for sql in SAME_ROWS:
        assert sorted(_rows(runs, sql), key=str) == sorted(_rows(once, sql), key=str)


def _load_command(landing: Path, paths: Paths) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipelines",
        "events-load",
        "--url",
        str(landing),
        "--duckdb-path",
        str(paths.duckdb_path),
    ]


# event columns compared between two loads (which copy of a duplicate is kept, file and line, may differ)
EVENT_COLUMNS = "event_id, event_type, user_id, session_id, movie_id, rating, client_ts, received_at, extra_fields"
# quarantine columns compared between two loads (not dlt's load ids)
QUARANTINE_COLUMNS = ", ".join(QUARANTINE_SCHEMA.names)
SAME_ROWS = (f"select {EVENT_COLUMNS} from raw.events", f"select {QUARANTINE_COLUMNS} from raw.events_quarantine")


@pytest.mark.slow
def test_kill_and_rerun_converges(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    simulate(SimulationConfig(days=7, users=3000), str(landing))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMDB_")}
    clean = _paths(tmp_path / "clean")
    started = time.monotonic()  # the same command uninterrupted: how long a whole load takes on this machine
    subprocess.run(
        _load_command(landing, clean), cwd=REPO, env=env | {"TMDB_PIPELINES_DIR": clean.pipelines_dir}, check=True
    )
    whole = time.monotonic() - started

    killed = _paths(tmp_path / "killed")
    env["TMDB_PIPELINES_DIR"] = killed.pipelines_dir
    kills = 0
    for share in (0.5, 0.6, 0.7, 0.8, 0.9):  # each run resumes what the killed ones left
        process = subprocess.Popen(
            _load_command(landing, killed), cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(share * whole)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
    finished = subprocess.run(_load_command(landing, killed), cwd=REPO, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert kills >= 2, "the loads finished before they could be killed: simulate more users"
    for sql in SAME_ROWS:
        assert sorted(_rows(killed, sql), key=str) == sorted(_rows(clean, sql), key=str)


def test_a_replayed_load_job_leaves_one_row_per_event(tmp_path: Path) -> None:
    """A resumed package whose load job had committed before a kill inserts its rows again (dlt's resume replays
    the job; raw.events' insert-only merge copies both). The repair after a resumed run keeps one row per event id
    and per quarantined line: the kill test saw every event twice once."""
    landing, paths = tmp_path / "landing", _paths(tmp_path / "warehouse")
    simulate(SimulationConfig(days=1, users=150, malformed_rate=0.02), str(landing))
    load_events(str(landing), paths)
    counts = "select (select count(*) from raw.events), (select count(*) from raw.events_quarantine)"
    once = _rows(paths, counts)[0]
    assert once[0] > 0 and once[1] > 0
    with duckdb.connect(str(paths.working_path)) as con:  # what the replayed job did
        con.execute("insert into raw.events select * from raw.events")
        con.execute("insert into raw.events_quarantine select * from raw.events_quarantine")
    assert _rows(paths, counts)[0] == (2 * once[0], 2 * once[1])
    remove_replayed_rows(make_pipeline(paths, PIPELINE_NAME))
    assert _rows(paths, counts)[0] == once


def test_s3_landing_location(s3: str, tmp_path: Path) -> None:  # noqa: F811 - the fixture imported above
    url = s3.replace("tmdb-warehouse", "events")
    report = simulate(SimulationConfig(days=1, users=100), url)
    paths = _paths(tmp_path)
    loaded = load_events(url, paths)
    assert report.files_written > 0 and loaded.events > 0
    assert _rows(paths, "select count(*) from raw.events")[0][0] + loaded.quarantined <= report.lines
    assert load_events(url, paths).events == 0  # incremental on S3's modification times too


def test_no_landing_location_is_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TMDB_EVENTS_URL"}
    for command in (["events-load", "--duckdb-path", str(tmp_path / "tmdb.duckdb")], ["events-simulate"]):
        result = subprocess.run(
            [sys.executable, "-m", "pipelines", *command], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 2
        assert result.stderr.splitlines() == [
            "error: no events location: set TMDB_EVENTS_URL (a folder or fsspec URL) or pass --url"
        ]
    assert not (tmp_path / "tmdb.duckdb").exists()


def test_free_text_is_blanked_after_its_retention(tmp_path: Path) -> None:
    landing, paths = tmp_path / "landing", _paths(tmp_path / "warehouse")
    simulate(SimulationConfig(days=4, users=300), str(landing))
    load_events(str(landing), paths)  # the default retention, 90 days: 4 days of text all kept
    texts = "select count(*) from raw.events where (comment_text is not null or search_query is not null)"
    assert _rows(paths, texts)[0][0] > 0
    newest = _rows(paths, "select max(received_at) from raw.events")[0][0]

    # the quarantined lines (which may hold the same text) go by their file's modification time: all but one made old
    with duckdb.connect(str(paths.working_path)) as con:
        con.execute(
            "update raw.events_quarantine set file_modified_at = timestamptz '2000-01-01 00:00:00+00' "
            "where (file_name, line_number) <> (select max((file_name, line_number)) from raw.events_quarantine)"
        )
    lines = "select count(*) filter (where file_modified_at < '2001-01-01'), count(*) from raw.events_quarantine"
    lines += " where line is not null"
    old_lines, all_lines = _rows(paths, lines)[0]
    assert old_lines >= 1 and all_lines == old_lines + 1

    os.environ["TMDB_EVENTS_TEXT_RETENTION_DAYS"] = "1"
    try:
        load_events(str(landing), paths)  # nothing new; the retention applies all the same
    finally:
        del os.environ["TMDB_EVENTS_TEXT_RETENTION_DAYS"]
    old = _rows(paths, f"{texts} and received_at < timestamptz '{newest}' - interval 1 day")[0][0]
    recent = _rows(paths, f"{texts} and received_at >= timestamptz '{newest}' - interval 1 day")[0][0]
    assert old == 0 and recent > 0
    assert _rows(paths, "select count(*) from raw.events where event_type = 'comment'")[0][0] > 0  # events stay
    assert _rows(paths, lines)[0] == (0, 1)  # the old files' lines blanked, the recent one's kept
