"""Reviews of tracked movies (`/movie/{id}/reviews`), incremental: only pages not read before.

The first page comes free with the details (`append_to_response=reviews`), so a movie fetched today (new, changed,
or the weekly refresh) costs no extra request unless it has more than 20 reviews. TMDB lists reviews oldest first,
so new ones land on the last page: the pages from the last one read before (kept per movie in dlt's source state,
committed with the data) to today's last are requested, nothing earlier. Rows merge on the review id: a review
read again (its text edited, `updated_at` later) replaces itself.

TMDB's first page may contradict itself (the recorded body: one review, `total_pages` 0): the results are kept and
no further page is asked for. A later page that answers 404 (the movie deleted since its details answered) ends
the movie's reading for the day with one warning line: the pages read are kept, and the next run starts again
after the last of them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import dlt
from dlt.common.schema.typing import TColumnSchema

from pipelines.tmdb.client import TMDBClient

APPENDED_KEY = "reviews"
STATE_KEY = "review_pages_read"
REVIEW_COLUMNS: dict[str, TColumnSchema] = {
    "id": {"data_type": "text", "nullable": False},
    "movie_id": {"data_type": "bigint", "nullable": False},
    "author": {"data_type": "text"},
    "author_name": {"data_type": "text"},
    "author_username": {"data_type": "text"},
    "author_avatar_path": {"data_type": "text"},
    "author_rating": {"data_type": "double"},
    "content": {"data_type": "text"},
    "created_at": {"data_type": "text"},
    "updated_at": {"data_type": "text"},
    "url": {"data_type": "text"},
    "fetched_on": {"data_type": "date", "nullable": False},
}
_state_lock = threading.Lock()


def review_rows(movie_id: int, page: Any, fetched_on: date) -> list[dict[str, Any]]:
    """The reviews of one page body as rows; items without an id are dropped."""
    results = page.get("results") if isinstance(page, dict) else None
    rows = []
    for item in results if isinstance(results, list) else []:
        if not isinstance(item, dict) or not item.get("id"):
            continue
        author = item.get("author_details") if isinstance(item.get("author_details"), dict) else {}
        row = {
            "id": str(item["id"]),
            "movie_id": movie_id,
            "author": item.get("author"),
            "author_name": author.get("name"),
            "author_username": author.get("username"),
            "author_avatar_path": author.get("avatar_path"),
            "author_rating": author.get("rating"),
            "content": item.get("content"),
            "created_at": item.get("created_at"),
            "updated_at": item.get("updated_at"),
            "url": item.get("url"),
            "fetched_on": fetched_on,
        }
        rows.append({key: value for key, value in row.items() if value is not None})
    return rows


def pages_to_read(first_page: Any, read_before: int | None) -> range:
    """Pages beyond the first to request: from the last page read before (it may have gained reviews) to the
    last page today; none when TMDB says there is one page or fewer (or says nothing usable)."""
    total = first_page.get("total_pages") if isinstance(first_page, dict) else None
    if not isinstance(total, int) or total <= 1:
        return range(0)
    return range(max(2, read_before or 2), total + 1)


@dlt.transformer(table_name="movie_reviews", write_disposition="merge", primary_key="id", columns=REVIEW_COLUMNS)
def reviews_rows(
    answers: list[dict[str, Any]], client: TMDBClient, snapshot_date: date
) -> Iterator[list[dict[str, Any]]]:
    """The reviews appended to each details answer, then the later pages not read before."""
    state = dlt.current.source_state().setdefault(STATE_KEY, {})
    for answer in answers:
        body = answer["body"]
        if body is None or APPENDED_KEY not in body:
            continue
        movie_id = int(body["id"])
        first = body[APPENDED_KEY]
        rows = review_rows(movie_id, first, snapshot_date)
        with _state_lock:
            read_before = state.get(str(movie_id))
        pages = pages_to_read(first, read_before)
        total = first.get("total_pages") if isinstance(first, dict) else None
        read = max(pages.stop - 1 if pages else 1, total if isinstance(total, int) else 1, 1)
        for page in pages:
            path = f"/movie/{movie_id}/reviews"
            body = client.get_json_unless_missing(path, {"page": page}, kept="the reviews read")
            if body is None:
                read = page - 1
                break
            rows += review_rows(movie_id, body, snapshot_date)
        with _state_lock:
            state[str(movie_id)] = read
        yield rows
