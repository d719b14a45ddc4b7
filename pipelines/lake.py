"""The raw layer as a lake: the same raw tables dlt loads into DuckDB, written as parquet files to a folder or any
fsspec URL by dlt's filesystem destination (`tmdb-warehouse ingest --destination lake`). Engines other than
DuckDB read it: the dbt target `spark` declares each table folder an external parquet table (the on-run-start
macro `create_lake_tables`).

A table is a folder of parquet files, `<lake>/raw/<table>/<load id>.<file id>.parquet`. Plain parquet files have
no merge: dlt appends where the DuckDB destination merges (a re-fetched movie's details, a re-run day's status),
and staging keeps the latest load per key, as it does on DuckDB (its QUALIFY deduplication).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from typing import Any

import dlt
from dlt.common.destination import Destination
from dlt.destinations.impl.duckdb.sql_client import WithTableScanners

LAKE_URL_ENV = "TMDB_LAKE_URL"
DEFAULT_LAKE_URL = "warehouse/lake"
DESTINATIONS = ("duckdb", "lake")
# The lake pipelines keep their own state (the changes cursor), apart from the DuckDB warehouse's.
LAKE_PIPELINE_SUFFIX = "_lake"
LAKE_FILE_FORMAT = "parquet"


def lake_url(override: str | None = None) -> str:
    """Where the lake is: `override`, else $TMDB_LAKE_URL, else warehouse/lake (relative to the current folder)."""
    return override or os.environ.get(LAKE_URL_ENV) or DEFAULT_LAKE_URL


def lake_destination(url: str) -> Destination:
    """dlt's filesystem destination writing to `url` (a local folder or an fsspec URL: s3://, gs://, file://)."""
    if "://" not in url:
        url = os.path.abspath(url)
        os.makedirs(url, exist_ok=True)
    return dlt.destinations.filesystem(bucket_url=url)


def add_destination_arguments(parser: argparse.ArgumentParser) -> None:
    """`--destination duckdb|lake` and `--lake-url` of the commands that load raw tables (ingest, events-load)."""
    parser.add_argument(
        "--destination",
        choices=DESTINATIONS,
        default="duckdb",
        help="duckdb: the warehouse file (default); lake: the same raw tables as parquet files at --lake-url",
    )
    parser.add_argument(
        "--lake-url", help=f"the lake: a folder or fsspec URL (default: ${LAKE_URL_ENV} or {DEFAULT_LAKE_URL})"
    )


def declare_lake_views(sql: Any, tables: Iterable[str]) -> None:
    """On the lake, make each of `tables` that holds data a view of the sql client's DuckDB (a no-op on the DuckDB
    destination).

    The filesystem destination's sql client reads the parquet files through DuckDB views it makes only for the
    tables a query names, so `information_schema.tables` lists none before: a caller that asks which of its raw
    tables exist (the people already fetched, `read_known_people`) declares them first.
    """
    if isinstance(sql, WithTableScanners):
        sql.create_views_for_tables({table: table for table in tables})
