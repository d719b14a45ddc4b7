"""Date windows for /movie/changes (at most 14 days) and for slicing /discover/movie (at most 500 pages)."""

from __future__ import annotations

import time
from datetime import date, timedelta

from pipelines.tmdb.client import Redactor, TokenBucket
from pipelines.tmdb.windows import change_windows, discover_slices


def test_change_windows_cover_the_range_without_overlap_in_14_day_steps():
    windows = list(change_windows(date(2024, 1, 1), date(2024, 2, 15)))
    assert windows[0] == (date(2024, 1, 1), date(2024, 1, 14))
    assert windows[-1][1] == date(2024, 2, 15)
    assert all((end - start).days <= 13 for start, end in windows)
    assert all(nxt[0] - prev[1] == timedelta(days=1) for prev, nxt in zip(windows, windows[1:], strict=False))


def test_change_windows_of_one_day_and_of_nothing():
    assert list(change_windows(date(2024, 1, 1), date(2024, 1, 1))) == [(date(2024, 1, 1), date(2024, 1, 1))]
    assert list(change_windows(date(2024, 1, 2), date(2024, 1, 1))) == []


def test_discover_slices_halve_until_each_fits_and_keep_date_order():
    per_day = 30  # movies a day; 20 a page -> 1.5 pages a day

    def pages(start: date, end: date) -> int:
        return -(-((end - start).days + 1) * per_day // 20)

    slices = list(discover_slices(date(2000, 1, 1), date(2000, 12, 31), pages, max_pages=100))
    assert all(p <= 100 for _, _, p in slices)
    assert slices[0][0] == date(2000, 1, 1) and slices[-1][1] == date(2000, 12, 31)
    assert all(nxt[0] - prev[1] == timedelta(days=1) for prev, nxt in zip(slices, slices[1:], strict=False))


def test_a_single_day_over_the_cap_is_yielded_as_is():
    slices = list(discover_slices(date(2000, 1, 1), date(2000, 1, 2), lambda s, e: 900, max_pages=500))
    assert slices == [(date(2000, 1, 1), date(2000, 1, 1), 900), (date(2000, 1, 2), date(2000, 1, 2), 900)]


def test_token_bucket_never_exceeds_its_rate():
    bucket = TokenBucket(rate=50)
    started = time.monotonic()
    for _ in range(26):
        bucket.acquire()
    # the first token is there at once; 25 more need at least 25/50 s (a lower bound: robust on a busy machine)
    assert time.monotonic() - started >= 0.49


def test_redactor_removes_keys_from_urls_and_text():
    redact = Redactor(["abc123"])
    assert redact.url("https://x/3/movie/1?api_key=abc123&page=2") == "https://x/3/movie/1?api_key=***&page=2"
    assert redact("Max retries exceeded with url: /3/movie/1?api_key=abc123").count("abc123") == 0
