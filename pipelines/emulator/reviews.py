"""`/movie/{id}/reviews` (and the `reviews` append): TMDB's review pages, 20 reviews a page, oldest first.

A movie's reviews are a pure function of (seed, movie): how many (more for movies with more votes, none for
most), and for each its day of writing, spread from the release to a little after the emulator's start, so
that new reviews appear on later simulated days (at the end: TMDB lists the oldest first). Dirt as on TMDB:
ratings missing, avatars null, an `updated_at` after the `created_at`, markup and very long texts, and the
recorded quirk of a first page whose `total_pages` and `total_results` say 0 is not reproduced (the real
recording in tests/fixtures shows it; the ingestion is tested on it).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pipelines.emulator import words
from pipelines.emulator.catalog import Details
from pipelines.emulator.randomness import hex_id, rng_for

PAGE_SIZE = 20
MAX_REVIEWS = 45
SPREAD_AFTER_START_DAYS = 30  # reviews keep arriving over the first simulated month
_MARKUP = "<script>alert(1)</script> <b>loved it</b> &amp; more"


def _review_days(seed: int, details: Details, start: date) -> list[tuple[int, date]]:
    """(number, day) of every review the movie will ever have in the simulation, oldest first."""
    rng = rng_for(seed, "reviews", details["id"])
    votes = int(details.get("vote_count") or 0)
    count = min(MAX_REVIEWS, int(votes / 600 * rng.uniform(0.3, 1.7)))
    if count == 0 or not details.get("release_date"):
        return []
    first = date.fromisoformat(details["release_date"])
    last = start + timedelta(days=SPREAD_AFTER_START_DAYS)
    span = max(1, (last - first).days)
    days = sorted(first + timedelta(days=rng.randrange(span)) for _ in range(count))
    return list(enumerate(days))


def _review(seed: int, movie_id: int, number: int, day: date) -> Details:
    rng = rng_for(seed, "review", movie_id, number)
    review_id = hex_id("review", seed, movie_id, number)
    author = f"{rng.choice(words.FIRST_NAMES_FEMALE + words.FIRST_NAMES_MALE)}{rng.randint(1, 999)}"
    sentences = [
        f"The {rng.choice(words.ADJECTIVES).lower()} {rng.choice(words.NOUNS).lower()} stays with you."
        for _ in range(rng.randint(1, 12))
    ]
    if rng.random() < 0.02:
        sentences.append(_MARKUP)
    if rng.random() < 0.02:
        sentences *= 40  # a very long review
    created = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), rng.randrange(60))
    updated = created + timedelta(days=rng.randint(1, 400)) if rng.random() < 0.2 else created
    return {
        "author": author,
        "author_details": {
            "name": "" if rng.random() < 0.7 else author,
            "username": author,
            "avatar_path": None if rng.random() < 0.4 else f"/{hex_id('avatar', author)[:27]}.jpg",
            "rating": None if rng.random() < 0.3 else rng.randint(1, 10),
        },
        "content": "\r\n\r\n".join(sentences),
        "created_at": created.isoformat(timespec="milliseconds") + "Z",
        "id": review_id,
        "updated_at": updated.isoformat(timespec="milliseconds") + "Z",
        "url": f"https://www.themoviedb.org/review/{review_id}",
    }


def reviews_page(seed: int, details: Details, start: date, today: date, page: int) -> dict[str, Any]:
    """Page `page` of the movie's reviews written up to `today`."""
    written = [(n, d) for n, d in _review_days(seed, details, start) if d <= today]
    chunk = written[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {
        "id": details["id"],
        "page": page,
        "results": [_review(seed, details["id"], n, d) for n, d in chunk],
        "total_pages": -(-len(written) // PAGE_SIZE),
        "total_results": len(written),
    }
