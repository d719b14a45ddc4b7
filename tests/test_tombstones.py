"""A movie tombstoned twice in one load (absent from the day's ID export, and a 404 on its details) keeps the 404's
row whichever came first: the tombstone declaration's `dedup_sort` makes the merge deterministic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dlt
import duckdb
import pytest

from pipelines.tmdb.tombstones import tombstone_columns

DAY = date(2017, 1, 22)
FROM_EXPORT = {
    "movie_id": 808,
    "detected_on": DAY,
    "http_status": None,
    "tmdb_status_code": None,
    "tmdb_status_message": "absent from TMDB's daily ID export",
}
FROM_404 = {
    "movie_id": 808,
    "detected_on": DAY,
    "http_status": 404,
    "tmdb_status_code": 34,
    "tmdb_status_message": "The resource you requested could not be found.",
}


@pytest.mark.parametrize("rows", [[FROM_EXPORT, FROM_404], [FROM_404, FROM_EXPORT]], ids=["export-first", "404-first"])
def test_the_404_row_wins_in_either_order(tmp_path: Path, rows: list[dict]) -> None:
    database = tmp_path / "tombstones.duckdb"
    pipeline = dlt.pipeline(
        pipeline_name="tombstones",
        pipelines_dir=str(tmp_path / "dlt"),
        destination=dlt.destinations.duckdb(str(database)),
        dataset_name="raw",
    )
    resource = dlt.resource(
        rows,
        name="movie_tombstones",
        write_disposition="merge",
        primary_key="movie_id",
        columns=tombstone_columns("movie_id"),
    )
    pipeline.run(resource)
    with duckdb.connect(str(database), read_only=True) as con:
        kept = con.execute("select movie_id, http_status, tmdb_status_code from raw.movie_tombstones").fetchall()
    assert kept == [(808, 404, 34)]
