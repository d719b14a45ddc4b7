"""TMDB's certification list (`/certification/movie/list`): each country's age ratings, their meaning and order.

TMDB keys the list by country; the rows here are one per (country, certification), so that the warehouse can say
what "FSK 12" means and how a country's ratings rank. Replaced on every run (one request a day).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import dlt
from dlt.common.schema.typing import TColumnSchema

from pipelines.tmdb.client import TMDBClient, TMDBError

log = logging.getLogger(__name__)

CERTIFICATION_COLUMNS: dict[str, TColumnSchema] = {
    "iso_3166_1": {"data_type": "text", "nullable": False},
    "certification": {"data_type": "text", "nullable": False},
    "meaning": {"data_type": "text"},
    "order": {"data_type": "bigint"},
}


def certification_rows(body: Any) -> list[dict[str, Any]]:
    """`{"certifications": {"US": [{certification, meaning, order}, ...]}}` as one row per country and rating.

    Entries without a certification text are dropped (nothing to join on); a country's list may be empty.
    """
    if not isinstance(body, dict) or not isinstance(body.get("certifications"), dict):
        raise TMDBError("TMDB answered /certification/movie/list without a `certifications` object")
    rows = []
    for country, entries in body["certifications"].items():
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get("certification") not in (None, ""):
                rows.append(
                    {
                        "iso_3166_1": country,
                        "certification": entry["certification"],
                        "meaning": entry.get("meaning"),
                        "order": entry.get("order"),
                    }
                )
    return rows


def fetch_certifications(client: TMDBClient) -> list[dict[str, Any]] | None:
    """The list's rows; None when TMDB answers 404 (an old recording, a proxy) or a body without the list (one
    warning line): the list loaded before stays."""
    body = client.get_json_unless_missing("/certification/movie/list")
    try:
        return None if body is None else certification_rows(body)
    except TMDBError as exc:
        log.warning("%s: keeping the list loaded before (if any)", exc)
        return None


@dlt.resource(
    name="certifications",
    write_disposition="replace",
    primary_key=["iso_3166_1", "certification"],
    columns=CERTIFICATION_COLUMNS,
)
def certifications(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    yield rows
