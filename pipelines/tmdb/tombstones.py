"""Tombstones: the rows that record a movie or person TMDB no longer has (a 404 on its details, or, for movies,
its absence from the daily ID export). One declaration of their columns and one transformer for the 404s of
`source.fetch_object`'s answers serve movies and people alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import dlt
from dlt.common.schema.typing import TColumnSchema
from dlt.extract.resource import DltResource


def tombstone_columns(key: str) -> dict[str, TColumnSchema]:
    """The declared columns of a tombstones table keyed by `key` (movie_id, person_id).

    One movie can be tombstoned twice in one load, by its absence from the day's ID export and by a 404 on its
    details (both merge on `key`): `dedup_sort` keeps the 404's row (dlt sorts by `http_status` descending, and
    DuckDB puts the export's null last), whichever of the two dlt's threads wrote first."""
    return {
        key: {"data_type": "bigint", "nullable": False},
        "detected_on": {"data_type": "date", "nullable": False},
        "http_status": {"data_type": "bigint", "dedup_sort": "desc"},
        "tmdb_status_code": {"data_type": "bigint"},
        "tmdb_status_message": {"data_type": "text"},
    }


def tombstone_transformer(kind: str) -> DltResource:
    """The transformer writing `<kind>_tombstones` (merge on `<kind>_id`) from the answers of
    `fetch_object(client, kind, ...)`: one row per answer with an `error` (TMDB no longer has the object)."""
    key = f"{kind}_id"

    @dlt.transformer(
        table_name=f"{kind}_tombstones", write_disposition="merge", primary_key=key, columns=tombstone_columns(key)
    )
    def tombstone_rows(answers: list[dict[str, Any]], detected_on: date) -> Iterator[list[dict[str, Any]]]:
        yield [{key: a[key], "detected_on": detected_on, **a["error"]} for a in answers if a["error"]]

    return tombstone_rows
