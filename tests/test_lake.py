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
    # the people of tracked movies come along (the candidates are the credits already held, so from the second day
    # on), and the lake's person_details tell the third day whom it fetched: nobody is fetched again unless
    # /person/changes lists them
    third = ingest_day(emulator, paths, date(2017, 1, 22), top_n=40, destination="lake", lake_url=str(lake))
    assert "person_details" not in first.rows
    assert second.rows["person_details"] > 0 and third.rows["person_details"] > 0
    with duckdb.connect() as con:
        refetched_unchanged = con.execute(
            f"select id from read_parquet('{lake}/raw/person_details/*.parquet') group by id having count(*) > 1 "
            f"except select id from read_parquet('{lake}/raw/person_changes/*.parquet')"
        ).fetchall()
    assert refetched_unchanged == []


def test_the_lake_without_pyarrow_says_what_to_install(
    emulator: TMDBEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "pyarrow" else real_find_spec(name))
    with pytest.raises(IngestError, match=r"needs pyarrow: install the spark extra"):
        ingest_day(emulator, make_paths(tmp_path), DAY, destination="lake", lake_url=str(tmp_path / "lake"))
    assert not (tmp_path / "lake").exists()


def test_events_load_into_the_lake_holds_what_duckdb_holds_and_keeps_the_warehouse_untouched(tmp_path: Path) -> None:
    from pipelines.events.load import load_events
    from pipelines.events.simulate import SimulationConfig, simulate

    landing, lake = tmp_path / "events", tmp_path / "lake"
    simulate(SimulationConfig(start_date=DAY, days=2, users=40), str(landing))
    into_lake = load_events(str(landing), make_paths(tmp_path, "lake"), lake=str(lake))
    assert not make_paths(tmp_path, "lake").working_path.exists()  # nothing went to a DuckDB warehouse
    duck_paths = make_paths(tmp_path, "duck")
    into_duckdb = load_events(str(landing), duck_paths)
    assert into_lake.events == into_duckdb.events > 0
    with duckdb.connect(str(duck_paths.working_path), read_only=True) as con:
        duck_ids = con.execute("select event_id, user_id, rating from raw.events").fetchall()
    # the lake appends where DuckDB merges on event_id: its distinct events are DuckDB's rows
    lake_ids = lake_rows(lake, "events", "distinct event_id, user_id, rating")
    assert sorted(lake_ids, key=str) == sorted(duck_ids, key=str)
    # a second load of the same landing adds nothing
    assert load_events(str(landing), make_paths(tmp_path, "lake"), lake=str(lake)).events == 0
