"""Where to watch: TMDB's watch-provider data (sourced from JustWatch, who must be credited wherever it is shown).

Two shapes: the `watch/providers` appended to a movie's details, keyed by region (`{"results": {"US": {"link",
"flatrate": [...], "rent": [...], ...}}}`), and the reference list `/watch/providers/movie?watch_region=XX`.
A region-keyed object would become one column (or child table) per region in dlt, so the appended object is
reshaped into a list, `watch_providers`: one item per region, monetization type and provider, with the region's
link. Nothing is dropped but entries without a provider id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
from dlt.common.schema.typing import TColumnSchema

from pipelines.tmdb.client import TMDBClient, TMDBError

log = logging.getLogger(__name__)

APPENDED_KEY = "watch/providers"
MONETIZATION_TYPES = ("flatrate", "rent", "buy", "free", "ads")
DEFAULT_WATCH_REGIONS = ("US", "GB", "DE", "FR")

# TMDB's provider object, in a movie's offers and in the provider lists alike.
PROVIDER_FIELDS: dict[str, TColumnSchema] = {
    "provider_id": {"data_type": "bigint"},
    "provider_name": {"data_type": "text"},
    "logo_path": {"data_type": "text"},
    "display_priority": {"data_type": "bigint"},
}
OFFER_COLUMNS: dict[str, TColumnSchema] = {
    "region": {"data_type": "text"},
    "link": {"data_type": "text"},
    "monetization_type": {"data_type": "text"},
    **PROVIDER_FIELDS,
}
PROVIDER_COLUMNS: dict[str, TColumnSchema] = {
    "watch_region": {"data_type": "text", "nullable": False},
    **PROVIDER_FIELDS,
    "provider_id": {"data_type": "bigint", "nullable": False},  # the list's key
}


def watch_offers(appended: Any) -> list[dict[str, Any]]:
    """The appended `watch/providers` object as a flat list of offers (region, type, provider, priority, link).

    Types TMDB may add later (beyond flatrate, rent, buy, free, ads) are kept under their own name.
    """
    results = appended.get("results") if isinstance(appended, dict) else None
    offers: list[dict[str, Any]] = []
    for region, entry in (results or {}).items() if isinstance(results, dict) else ():
        if not isinstance(entry, dict):
            continue
        for kind, providers in entry.items():
            if kind == "link" or not isinstance(providers, list):
                continue
            for provider in providers:
                if isinstance(provider, dict) and provider.get("provider_id") is not None:
                    offers.append(
                        {
                            "region": region,
                            "link": entry.get("link"),
                            "monetization_type": kind,
                            "provider_id": provider["provider_id"],
                            "provider_name": provider.get("provider_name"),
                            "logo_path": provider.get("logo_path"),
                            "display_priority": provider.get("display_priority"),
                        }
                    )
    return offers


def with_watch_offers(body: dict[str, Any]) -> dict[str, Any]:
    """A details body with its appended `watch/providers` replaced by the `watch_providers` list."""
    if APPENDED_KEY not in body:
        return body
    reshaped = {key: value for key, value in body.items() if key != APPENDED_KEY}
    reshaped["watch_providers"] = watch_offers(body[APPENDED_KEY])
    return reshaped


def provider_rows(body: Any, region: str) -> list[dict[str, Any]]:
    """`/watch/providers/movie?watch_region=XX` as one row per provider, with its priority in that region."""
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list):
        raise TMDBError(f"TMDB answered /watch/providers/movie?watch_region={region} without a `results` list")
    rows = []
    for item in results:
        if not isinstance(item, dict) or item.get("provider_id") is None:
            continue
        priorities = item.get("display_priorities")
        priority = priorities.get(region) if isinstance(priorities, dict) else None
        rows.append(
            {
                "watch_region": region,
                "provider_id": item["provider_id"],
                "provider_name": item.get("provider_name"),
                "logo_path": item.get("logo_path"),
                "display_priority": priority if priority is not None else item.get("display_priority"),
            }
        )
    return rows


def fetch_providers(client: TMDBClient, regions: Sequence[str]) -> list[dict[str, Any]] | None:
    """The provider lists of the regions (one request per region); None when TMDB answers 404 (an old recording,
    a proxy) or a body without the list (one warning line): the resource is then left out of the run, so the lists
    loaded before stay."""
    rows: list[dict[str, Any]] = []
    for region in dict.fromkeys(r.strip().upper() for r in regions if r and r.strip()):
        body = client.get_json_unless_missing("/watch/providers/movie", {"watch_region": region}, kept="the lists")
        if body is None:
            return None
        try:
            rows += provider_rows(body, region)
        except TMDBError as exc:
            log.warning("%s: keeping the lists loaded before (if any)", exc)
            return None
    return rows


@dlt.resource(
    name="watch_providers",
    write_disposition="replace",
    primary_key=["watch_region", "provider_id"],
    columns=PROVIDER_COLUMNS,
)
def watch_providers(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The providers of the configured regions, replaced on every run."""
    yield rows
