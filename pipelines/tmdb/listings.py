"""TMDB's daily movie listings: trending today and this week (`/trending/movie/day`, `/trending/movie/week`) and
now playing in theatres per region (`/movie/now_playing?region=XX`), as `movie_listings` rows: one per list,
region, ingestion day and movie, with its rank (1 = first) and the listing's figures.

Like discover, TMDB may re-sort while one pages, so a movie can show twice: it keeps its first rank. The request
budget is `listing_pages` pages per list and region (20 movies a page). TMDB's lists also move within a day: a run
of a day replaces the lists it reads for that day whole (delete-insert on list, region and day), so a movie that
fell off since an earlier run of the day keeps no stale rank beside the movie holding it now.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import dlt
from dlt.common.schema.typing import TColumnSchema

from pipelines.tmdb.client import TMDBClient, TMDBHTTPError

log = logging.getLogger(__name__)

TRENDING = {"trending_day": "/trending/movie/day", "trending_week": "/trending/movie/week"}
NOW_PLAYING = "/movie/now_playing"
DEFAULT_LISTING_PAGES = 5
DEFAULT_LISTING_REGIONS = ("US", "GB", "DE", "FR")
# the listing's own figures; genre_ids and the rest are the movie's, in the details and the dims
_FIELDS = ("title", "original_language", "release_date", "popularity", "vote_count", "vote_average", "poster_path")
LISTING_COLUMNS: dict[str, TColumnSchema] = {
    "list_name": {"data_type": "text", "nullable": False},
    "region": {"data_type": "text", "nullable": False},
    "snapshot_date": {"data_type": "date", "nullable": False},
    "id": {"data_type": "bigint", "nullable": False},
    "rank": {"data_type": "bigint", "nullable": False},
    "title": {"data_type": "text"},
    "original_language": {"data_type": "text"},
    "release_date": {"data_type": "text"},
    "popularity": {"data_type": "double"},
    "vote_count": {"data_type": "bigint"},
    "vote_average": {"data_type": "double"},
    "poster_path": {"data_type": "text"},
}


def ranked_rows(
    pages: Iterator[list[Any]], list_name: str, region: str, snapshot_date: date
) -> Iterator[list[dict[str, Any]]]:
    """The pages of one listing as rows ranked 1, 2, ... over the pages; a repeated movie keeps its first rank."""
    seen: set[int] = set()
    for page in pages:
        rows = []
        for item in page:
            if not isinstance(item, dict) or item.get("id") is None or item["id"] in seen:
                continue
            if item.get("media_type") not in (None, "movie"):
                continue  # /trending/all would mix in tv and people; the movie lists never should
            seen.add(item["id"])
            rows.append(
                {
                    "list_name": list_name,
                    "region": region,
                    "snapshot_date": snapshot_date,
                    "id": item["id"],
                    "rank": len(seen),
                    **{name: item[name] for name in _FIELDS if item.get(name) is not None},
                }
            )
        yield rows


@dlt.resource(
    name="movie_listings",
    write_disposition={"disposition": "merge", "strategy": "delete-insert"},
    primary_key=["list_name", "region", "snapshot_date", "id"],
    merge_key=["list_name", "region", "snapshot_date"],
    columns=LISTING_COLUMNS,
    parallelized=True,  # its pages are asked for on dlt's extract pool, like discover's (source.py)
)
def movie_listings(
    client: TMDBClient, snapshot_date: date, pages: int, regions: Sequence[str]
) -> Iterator[list[dict[str, Any]]]:
    """Trending (worldwide: region '') and now playing in each region, `pages` pages each.

    A list that answers 404 (an old recording, a proxy) is left out of the day with one warning line.
    """
    wanted = [(name, path, "", {}) for name, path in TRENDING.items()]
    for region in dict.fromkeys(r.strip().upper() for r in regions if r and r.strip()):
        wanted.append(("now_playing", NOW_PLAYING, region, {"region": region}))
    for list_name, path, region, params in wanted:
        try:
            yield from ranked_rows(client.paginate(path, params, max_page=pages), list_name, region, snapshot_date)
        except TMDBHTTPError as exc:
            if not exc.not_found:
                raise
            log.warning("TMDB answered 404 for %s: no %s listing today", path, list_name)
