"""`ingest --destination lake`: the raw tables as parquet files through dlt's filesystem destination."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.emulator import TMDBEmulator
from pipelines.ingest import IngestError
from tests.ingest_helpers import ingest_day, make_paths

DAY = date(2017, 1, 20)


def lake_rows(lake: Path, table: str, columns: str = "count(*)") -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(f"select {columns} from read_parquet('{lake}/raw/{table}/*.parquet')").fetchall()


def test_the_lake_holds_the_raw_tables_and_a_second_day_fetches_only_what_changed(
    emulator: TMDBEmulator, tmp_path: Path
) -> None:
    paths, lake = make_paths(tmp_path), tmp_path / "lake"
    first = ingest_day(emulator, paths, DAY, top_n=40, destination="lake", lake_url=str(lake))
    second = ingest_day(emulator, paths, date(2017, 1, 21), top_n=40, destination="lake", lake_url=str(lake))

    tables = {p.name for p in (lake / "raw").iterdir() if any(p.glob("*.parquet"))}
    assert {"movie_details", "movie_status", "discover_results", "movie_details__credits__cast", "genres"} <= tables
    assert not paths.working_path.exists()  # nothing went to the DuckDB warehouse
    # the lake's movie_details told the second day which movies are tracked: only new or changed ones refetched
    assert first.rows["movie_details"] == 40
    assert 0 < second.rows.get("movie_details", 0) < 40
    assert lake_rows(lake, "movie_status", "count(distinct snapshot_date)") == [(2,)]
    # child rows carry the details row they belong to, as on DuckDB (staging joins on it)
    orphans = lake_rows(lake, "movie_details__genres", "count(*) filter (where _dlt_root_id is null)")
    assert orphans == [(0,)]


def test_the_lake_without_pyarrow_says_what_to_install(
    emulator: TMDBEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "pyarrow" else real_find_spec(name))
    with pytest.raises(IngestError, match=r"needs pyarrow: install the spark extra"):
        ingest_day(emulator, make_paths(tmp_path), DAY, destination="lake", lake_url=str(tmp_path / "lake"))
    assert not (tmp_path / "lake").exists()
