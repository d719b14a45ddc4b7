"""Date windows for TMDB's two range-limited endpoints.

- `/movie/changes` accepts at most 14 days per request: `change_windows` cuts a range into such windows.
- `/discover/movie` serves at most 500 pages (10,000 movies) per query: `discover_slices` halves a release-date
  window until each slice fits, asking TMDB for `total_pages` of each candidate slice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

MAX_CHANGES_DAYS = 14


def change_windows(first_day: date, last_day: date, max_days: int = MAX_CHANGES_DAYS) -> Iterator[tuple[date, date]]:
    """Inclusive (start, end) windows of at most `max_days` days covering first_day..last_day."""
    start = first_day
    while start <= last_day:
        end = min(start + timedelta(days=max_days - 1), last_day)
        yield start, end
        start = end + timedelta(days=1)


def discover_slices(
    first_day: date, last_day: date, total_pages: Callable[[date, date], int], max_pages: int
) -> Iterator[tuple[date, date, int]]:
    """Yield (start, end, pages) release-date slices, in date order, each needing at most `max_pages` pages.

    `total_pages(start, end)` asks TMDB how many pages a slice has. A single day that still needs more pages
    cannot be cut further: it is yielded with its page count capped, and the caller reports the shortfall.
    """
    pending = [(first_day, last_day)]
    while pending:
        start, end = pending.pop()
        pages = total_pages(start, end)
        if pages > max_pages and start < end:
            middle = start + (end - start) // 2
            pending.append((middle + timedelta(days=1), end))
            pending.append((start, middle))
            continue
        yield start, end, pages
