"""The dlt ingestion against the TMDB emulator, into real DuckDB files."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from pipelines.ingest import IngestError, IngestOptions, make_pipeline, run_ingest
from pipelines.settings import Paths
from pipelines.tmdb.client import TMDBClient
from tests.cli_process import tmdb_warehouse
from tests.ingest_helpers import (
    column,
    connect,
    fast_http,
    ingest_day,
    make_paths,
    scalar,
    table_content,
    table_counts,
)

DAY1 = date(2017, 1, 20)
DAY2 = DAY1 + timedelta(days=1)
REPO = Path(__file__).resolve().parents[1]


def test_initial_load_counts(emulator_factory, tmp_path):
    emulator = emulator_factory(rate_limit=0)
    paths = make_paths(tmp_path)

    report = ingest_day(emulator, paths, DAY1, top_n=60)

    assert report.outcome == "succeeded"
    counts = table_counts(paths)
    assert counts["genres"] == 19
    assert counts["discover_results"] == 60
    assert counts["movie_details"] == 60
    assert counts["movie_status"] == 60
    assert counts["movie_details__credits__cast"] > 60
    assert counts["movie_details__genres"] >= 60
    # every discovered movie was requested once, with credits, keywords and release dates appended
    assert sorted(emulator.stats["movie_ids"]) == sorted(column(paths, "select id from raw.discover_results"))
    assert scalar(paths, "select count(*) from raw.movie_status where snapshot_date = ?", [DAY1]) == 60
    assert scalar(paths, "select count(*) from raw.movie_details__release_dates__results") > 0
    assert scalar(paths, "select count(*) from raw.movie_details__keywords__keywords") > 0


def test_second_day_fetches_only_changed_and_new_ids(emulator_factory, tmp_path):
    emulator = emulator_factory(rate_limit=0, edit_rate=0.05)
    paths = make_paths(tmp_path)
    ingest_day(emulator, paths, DAY1, top_n=60)
    tracked = set(column(paths, "select id from raw.movie_details"))
    emulator.reset_stats()

    ingest_day(emulator, paths, DAY2, top_n=60)

    discovered = set(column(paths, "select id from raw.discover_results where snapshot_date = ?", [DAY2]))
    changed = emulator.simulation.changed_ids(DAY2)
    expected = (changed & (tracked | discovered)) | (discovered - tracked)
    requested = emulator.stats["movie_ids"]
    assert len(requested) == len(set(requested)), "a movie was requested twice in one run"
    assert set(requested) == expected
    assert changed & tracked, "the test needs at least one tracked movie edited on day 2"
    # the feed also lists ids of movies the warehouse never saw (some adult): recorded, never requested
    feed = emulator.simulation.change_feed(DAY2)
    assert set(feed) - changed, "the test needs the realism profile's noise in the changes feed"
    assert set(column(paths, "select id from raw.movie_changes")) == set(feed)
    assert not (set(feed) - changed) & set(requested)


def test_rerunning_a_day_changes_no_counts(emulator_factory, tmp_path):
    emulator = emulator_factory(rate_limit=0)  # realism on: the reshuffle repeats movies across pages
    paths = make_paths(tmp_path)
    ingest_day(emulator, paths, DAY1, top_n=40)
    ingest_day(emulator, paths, DAY2, top_n=40)
    before = table_counts(paths)

    ingest_day(emulator, paths, DAY2, top_n=40)

    assert table_counts(paths) == before
    assert scalar(paths, "select count(*) from raw.movie_status where snapshot_date = ?", [DAY2]) >= 40
    assert scalar(paths, "select count(*) from raw.ingestion_log where outcome = 'succeeded'") == 3


def test_deleted_movie_becomes_a_tombstone(emulator_factory, tmp_path):
    emulator = emulator_factory(rate_limit=0, delete_rate=0.05)
    paths = make_paths(tmp_path)
    ingest_day(emulator, paths, DAY1, top_n=100)
    tracked = set(column(paths, "select id from raw.movie_details"))

    report = ingest_day(emulator, paths, DAY2, top_n=100)

    deleted_today = emulator.simulation.deleted_ids(DAY2) - emulator.simulation.deleted_ids(DAY1)
    assert report.outcome == "succeeded"
    assert deleted_today & tracked, "the test needs a tracked movie deleted on day 2"
    assert set(column(paths, "select movie_id from raw.movie_tombstones")) == deleted_today & tracked
    assert set(column(paths, "select distinct tmdb_status_code from raw.movie_tombstones")) == {34}


def _cli(args: list[str], env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return tmdb_warehouse(*args, **{**env_extra, "TMDB_PIPELINES_DIR": str(tmp_path / "pipelines")})


def test_bad_key_gives_one_clear_line_and_writes_nothing(emulator, tmp_path):
    db = tmp_path / "w.duckdb"
    result = _cli(
        ["ingest", "--date", "2017-01-20", "--duckdb-path", str(db)],
        {"TMDB_API_BASE_URL": emulator.base_url, "TMDB_API_KEY": "not-the-key"},
        tmp_path,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "HTTP 401" in lines[0] and "TMDB_API_KEY" in lines[0]
    assert "not-the-key" not in result.stderr + result.stdout
    assert not db.exists()


def test_missing_key_names_both_variables(tmp_path):
    db = tmp_path / "w.duckdb"
    result = _cli(["ingest", "--duckdb-path", str(db)], {"TMDB_API_BASE_URL": "http://127.0.0.1:9/3"}, tmp_path)
    assert result.returncode == 2
    assert "TMDB_API_KEY" in result.stderr and "TMDB_ACCESS_TOKEN" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db.exists()


def test_bearer_token_works_like_the_key(emulator, tmp_path):
    paths = make_paths(tmp_path)
    http = fast_http(emulator, api_key=None, access_token=emulator.config.access_token)
    report = ingest_day(emulator, paths, DAY1, top_n=20, http=http)
    assert report.outcome == "succeeded"
    assert table_counts(paths)["movie_details"] == 20


def _two_day_warehouse(emulator, paths, http=None):
    for day in (DAY1, DAY2):
        ingest_day(emulator, paths, day, top_n=60, http=http)


def assert_same_warehouse(left, right):
    assert table_counts(left) == table_counts(right)
    for table in table_counts(left):
        assert table_content(left, table) == table_content(right, table), table


def test_faulty_run_equals_clean_run(emulator_factory, tmp_path):
    clean = make_paths(tmp_path, "clean")
    _two_day_warehouse(emulator_factory(rate_limit=0), clean)

    faulty_emulator = emulator_factory(
        rate_limit=200,
        faults={
            "error_rate": 0.08,
            "storm_every": 150,
            "storm_length": 5,
            "slow_rate": 0.01,
            "slow_seconds": 1.5,
            "truncate_rate": 0.04,
            "drop_rate": 0.04,
        },
    )
    faulty = make_paths(tmp_path, "faulty")
    _two_day_warehouse(faulty_emulator, faulty, http=fast_http(faulty_emulator, timeout=1.0, max_attempts=10))

    injected = faulty_emulator.stats["faults"]
    assert sum(injected.values()) > 10, injected
    assert_same_warehouse(clean, faulty)
    assert scalar(faulty, "select sum(retries) from raw.ingestion_log") > 0


def test_malformed_body_is_retried_then_fails_with_the_url_and_without_the_key(emulator_factory, tmp_path, monkeypatch):
    emulator = emulator_factory(rate_limit=0, api_key="s3cret-key-123", faults={"truncate_rate": 1.0})
    paths = make_paths(tmp_path)
    # skip the credential check (its body would be truncated too) so that the failure happens mid-run
    monkeypatch.setattr(TMDBClient, "check_credentials", lambda self: None)
    emulator.set_date(DAY1)

    with pytest.raises(IngestError) as info:
        run_ingest(IngestOptions(snapshot_date=DAY1, top_n=20), fast_http(emulator, max_attempts=3), paths, False)

    message = str(info.value)
    assert "s3cret-key-123" not in message
    assert "/3/" in message and "\n" not in message
    assert emulator.stats["faults"].get("truncate", 0) >= 3
    with connect(paths) as con:
        outcome, error = con.execute("select outcome, error from raw.ingestion_log").fetchone()
    assert outcome == "failed" and "/3/" in error and "s3cret-key-123" not in error
    assert "movie_details" not in table_counts(paths)


def test_server_errors_before_the_run_fail_cleanly(emulator_factory, tmp_path):
    emulator = emulator_factory(rate_limit=0, faults={"error_rate": 1.0})
    db = tmp_path / "w.duckdb"
    result = _cli(
        ["ingest", "--date", "2017-01-20", "--duckdb-path", str(db)],
        {
            "TMDB_API_BASE_URL": emulator.base_url,
            "TMDB_API_KEY": emulator.config.api_key,
            "SOURCES__TMDB__REQUEST_MAX_ATTEMPTS": "2",
            "SOURCES__TMDB__REQUEST_BACKOFF_FACTOR": "0.01",
        },
        tmp_path,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "HTTP 5" in result.stderr and "/3/configuration" in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    ("secret", "leak"),
    # a one-character key is everywhere in any text: what must never appear is the key where it is carried
    [("k3y-that-must-not-leak", "k3y-that-must-not-leak"), ("x", "api_key=x")],
)
def test_api_key_never_reaches_logs_or_warehouse(emulator_factory, tmp_path, secret, leak):
    emulator = emulator_factory(
        rate_limit=0, api_key=secret, faults={"error_rate": 0.05, "drop_rate": 0.05, "truncate_rate": 0.05}
    )
    db = tmp_path / "w.duckdb"
    result = _cli(
        ["-v", "ingest", "--date", "2017-01-20", "--top-n", "40", "--duckdb-path", str(db), "--no-progress"],
        {"TMDB_API_BASE_URL": emulator.base_url, "TMDB_API_KEY": secret},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert leak not in result.stdout + result.stderr
    assert "*" not in result.stdout  # nothing mangled: the summary line is untouched
    assert leak.encode() not in Paths.from_env(db).working_path.read_bytes()  # where `ingest` writes
    for path in (tmp_path / "pipelines").rglob("*"):
        if path.is_file():
            assert leak.encode() not in path.read_bytes(), path


def test_backfill_slices_dates_to_reach_more_than_10000_movies(emulator_factory, tmp_path):
    emulator = emulator_factory(rate_limit=0, catalog="synthetic", synthetic_size=250_000)
    paths = make_paths(tmp_path)
    year = {"api_key": emulator.config.api_key, "primary_release_date.gte": "2016-01-01"}
    expected = requests.get(
        f"{emulator.base_url}/discover/movie", params={**year, "primary_release_date.lte": "2016-12-31"}, timeout=30
    ).json()
    assert expected["total_pages"] > 500, "the year must need more than 500 pages for this test to mean anything"

    ingest_day(emulator, paths, emulator.today, top_n=0, backfill_years=(2016, 2016), resources=["discover_results"])

    found = scalar(paths, "select count(distinct id) from raw.discover_results")
    assert found == expected["total_results"] > 10_000
    assert "400" not in emulator.stats["status_codes"] and 400 not in emulator.stats["status_codes"]


def test_duckdb_cli_opens_the_file_read_only(emulator, tmp_path):
    paths = make_paths(tmp_path)
    ingest_day(emulator, paths, DAY1, top_n=20)
    cli = Path(sys.executable).parent / "duckdb"
    result = subprocess.run(
        [str(cli), "-readonly", "-csv", str(paths.working_path), "-c", "select count(*) from raw.movie_details"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "20"


def test_dlt_pipeline_info_and_trace_work(emulator, tmp_path):
    paths = make_paths(tmp_path)
    ingest_day(emulator, paths, DAY1, top_n=20)
    dlt_cli = Path(sys.executable).parent / "dlt"
    output = {}
    for command in ("info", "trace"):
        result = subprocess.run(
            [str(dlt_cli), "--non-interactive", "pipeline", "--pipelines-dir", paths.pipelines_dir, "tmdb", command],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
        assert result.returncode == 0, result.stderr
        output[command] = result.stdout
    # info: the pipeline's state, its dataset and schema, the resources that ran and the changes cursor's slot
    info = output["info"]
    assert "pipeline_name: tmdb" in info and "dataset_name: raw" in info and "default_schema_name: tmdb" in info
    assert "movie_changes with 1 table(s) and 1 resource state slot(s)" in info
    assert "movie_details_discovered with " in info
    assert "Has 1 completed load packages" in info
    # trace: the last run's steps and the rows normalized per table, as the run log counted them
    trace = output["trace"]
    for step in ("extract", "normalize", "load"):
        assert f"Step {step} COMPLETED" in trace
    assert "- movie_details: 20 row(s)" in trace and "- discover_results: 20 row(s)" in trace
    assert "loaded to destination duckdb and into dataset raw" in trace
    assert str(paths.working_path.name) in trace


def test_two_clones_on_one_machine_keep_their_own_pipeline_state(tmp_path, monkeypatch):
    """The default paths are relative to the clone: dlt's per-machine folder made a second clone resume the first."""
    monkeypatch.delenv("TMDB_PIPELINES_DIR", raising=False)
    monkeypatch.delenv("TMDB_DUCKDB_PATH", raising=False)
    monkeypatch.delenv("TMDB_WORKING_DUCKDB_PATH", raising=False)
    for clone in ("first", "second"):
        (tmp_path / clone).mkdir()
        monkeypatch.chdir(tmp_path / clone)
        pipeline = make_pipeline(Paths.from_env(), "two_clones")
        pipeline.run([{"id": 1}], table_name="items")
        assert Path(pipeline.working_dir) == tmp_path / clone / "warehouse" / "work" / "dlt" / "two_clones"
        assert (tmp_path / clone / "warehouse" / "work" / "tmdb.duckdb").exists()
