"""Backups for real: a warehouse built from the emulator goes through a local S3-compatible server (moto's server
mode) and comes back with the same rows; the next day's run on the restored warehouse equals the run on one that
never lost anything; partial backups are refused in one line; retention keeps the newest N; `--list` lists."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import boto3
import duckdb
import pytest
from moto.server import ThreadedMotoServer

from pipelines.backup import BackupError, backup, list_backups, open_store, restore
from pipelines.backup.database import table_sums
from pipelines.ingest import make_pipeline
from pipelines.run import RunOptions, run_chain
from pipelines.settings import Paths
from tests.cli_process import tmdb_warehouse
from tests.warehouse_compare import assert_same_warehouse, snapshot

DAYS = [date(2017, 1, 20), date(2017, 1, 21)]
NEXT_DAY = date(2017, 1, 22)
BUCKET = "tmdb-backups"
# Tables that record runs (they grow with every run) and columns recording the run's wall-clock time or dlt's
# load ids: left out when two runs are compared.
COMPARED_LAYERS = ("raw", "snapshots", "marts")


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 with one bucket; the environment points boto (and the CLI's children) at it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://{host}:{port}", AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing"
    )
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).create_bucket(Bucket=BUCKET)
    try:
        yield f"s3://{BUCKET}/tmdb-warehouse"
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _paths(root: Path) -> Paths:
    return Paths(duckdb_path=root / "tmdb.duckdb", pipelines_dir=str(root / "dlt"))


def _chain(paths: Paths, days: list[date], until: str) -> None:
    options = RunOptions(
        source="emulator",
        days=days,
        top_n=30,
        moods_provider="off",
        emulator_rate_limit=1000.0,
        site_dir=paths.duckdb_path.parent / "site",
        until=until,
    )
    run_chain(options, paths, echo=lambda _: None)


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """Two days of history through the chain up to its publish (quality results and publish log included)."""
    paths = _paths(tmp_path_factory.mktemp("original"))
    _chain(paths, DAYS, until="publish")
    return paths


def _sums(path: Path) -> dict[str, tuple[int, str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t.qualified: (t.rows, t.checksum) for t in table_sums(con)}


@pytest.mark.slow
def test_a_round_trip_through_s3_and_the_next_day_equals_a_run_that_lost_nothing(
    s3: str, original: Paths, tmp_path: Path
) -> None:
    made = backup(original, s3, keep=3, echo=lambda _: None)
    assert made.location.startswith(s3 + "/tmdb-") and made.manifest.dlt_pipelines == ["tmdb", "tmdb_run_log"]
    before = _sums(original.working_path)
    assert {t.qualified: (t.rows, t.checksum) for t in made.manifest.tables} == before
    assert any(name.startswith("snapshots.") for name in before) and before["raw.movie_status"][0] > 0

    restored = _paths(tmp_path / "restored")  # an empty folder: the Actions cache evicted
    result = restore(restored, s3, echo=lambda _: None)
    assert result.name == made.name and "published" in result.publish_line
    after = _sums(restored.working_path)
    # the restore's audit and publish append their rows to quality.*; everything else is the same, row for row
    assert after.keys() == before.keys()
    assert {k: v for k, v in after.items() if not k.startswith("quality.")} == {
        k: v for k, v in before.items() if not k.startswith("quality.")
    }
    assert all(after[k][0] >= before[k][0] for k in before if k.startswith("quality."))
    with duckdb.connect(str(restored.duckdb_path), read_only=True) as con:  # published, views bound
        assert con.execute("select count(*) from staging.stg_tmdb__movies").fetchone()[0] > 0

    # the next day's run: on the restored warehouse, and on the one that never lost anything
    _chain(restored, [NEXT_DAY], until="dbt")
    _chain(original, [NEXT_DAY], until="dbt")
    expected, got = snapshot(original.working_path, COMPARED_LAYERS), snapshot(restored.working_path, COMPARED_LAYERS)
    assert any(name.startswith("snapshots.") for name in got)
    assert_same_warehouse(got, expected)


def test_the_database_alone_gives_dlt_its_state_back(original: Paths, tmp_path: Path) -> None:
    """dlt also keeps its state in the destination (raw._dlt_pipeline_state): a warehouse restored without dlt's
    folder syncs it back, so the changes cursor survives even a backup whose dlt/ folder was lost."""
    made = backup(original, str(tmp_path / "local"), echo=lambda _: None)
    paths = _paths(tmp_path / "restored")
    restore(paths, str(tmp_path / "local"), name=made.name, audit=False, echo=lambda _: None)
    shutil.rmtree(Path(paths.pipelines_dir))  # dlt's folder gone
    pipeline = make_pipeline(paths)
    pipeline.sync_destination()
    kept = make_pipeline(original).state["sources"]
    assert pipeline.state["sources"] == kept and kept  # the changes cursor and the rest of the source state


def test_partial_backups_are_refused_in_one_line(s3: str, original: Paths, tmp_path: Path) -> None:
    store = open_store(s3)
    made = backup(original, s3, now=datetime(2030, 1, 1, tzinfo=UTC), echo=lambda _: None)
    parquet = next(f for f in made.manifest.files if f.path.endswith("raw_movie_status.parquet"))
    store.fs.pipe(store.path(made.name, parquet.path), b"short")
    target = tmp_path / "w" / "tmdb.duckdb"

    short = tmdb_warehouse("restore", "--from", s3, "--name", made.name, "--duckdb-path", str(target))
    assert short.returncode == 2 and len(short.stderr.splitlines()) == 1, short.stderr
    assert f"{parquet.path} has 5 bytes, its manifest says {parquet.bytes:,}; refusing" in short.stderr

    store.remove(made.name, parquet.path)
    with pytest.raises(BackupError) as missing:
        restore(_paths(target.parent), s3, name=made.name, echo=lambda _: None)
    assert str(missing.value) == (
        f"{store.display(made.name)} is a partial backup: {parquet.path} is missing; refusing to restore it"
    )

    store.remove(made.name, "manifest.json")
    unfinished = tmdb_warehouse("restore", "--from", s3, "--name", made.name, "--duckdb-path", str(target))
    assert unfinished.returncode == 2 and len(unfinished.stderr.splitlines()) == 1
    assert "is a partial backup (no manifest.json: it did not finish)" in unfinished.stderr
    assert not target.exists() and not target.parent.exists()  # nothing was touched
    store.remove(made.name)


def test_retention_keeps_the_newest_and_list_lists(original: Paths, tmp_path: Path) -> None:
    root = str(tmp_path / "backups")
    made = [
        backup(original, root, keep=2, now=datetime(2031, 1, day, 10, tzinfo=UTC), echo=lambda _: None)
        for day in (1, 2, 3)
    ]
    (tmp_path / "backups" / "tmdb-20301231T000000Z" / "database").mkdir(parents=True)  # a backup that died
    last = backup(original, root, keep=2, now=datetime(2031, 1, 4, 10, tzinfo=UTC), echo=lambda _: None)
    assert [b.name for b in list_backups(open_store(root))] == [made[2].name, last.name]
    assert last.removed == ["tmdb-20301231T000000Z", made[1].name]

    listed = tmdb_warehouse("backup", "--list", "--to", root)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == [made[2].name, last.name]
    assert all(" complete " in line and " MB " in line for line in lines[:-1])
    assert lines[-1] == f"2 backup(s) under {root}, 2 complete"

    with pytest.raises(BackupError, match="restore refuses to replace them; pass --force"):
        restore(original, root, echo=lambda _: None)
