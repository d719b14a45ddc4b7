"""The mood explorer page in the real browser (headless Debian Chromium), opened from disk, with hostile titles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from pipelines.reports.assets import write_assets
from pipelines.reports.explorer import write_explorer
from tests.conftest import HOSTILE_OVERVIEW, HOSTILE_TITLE


def warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.moods as select * from (values ('happy'), ('scary'), ('funny')) t(mood)")
    con.execute(
        """create table marts.dim_movie as select * from (values
            (1, ?, 1999, 8.0, 500, ['Horror'], ['ghost', ?], false),
            (2, 'Quiet House', 2004, 7.0, 300, ['Horror', 'Mystery'], ['ghost'], false),
            (3, 'Silly Day', 1999, 6.5, 200, ['Comedy'], ['slapstick'], false),
            (4, 'Gone', 1999, 9.0, 900, ['Horror'], [], true)
        ) t(movie_id, title, release_year, vote_average, vote_count, genre_names, keyword_names, is_deleted)""",
        [HOSTILE_TITLE, HOSTILE_OVERVIEW],
    )
    con.execute(
        """create table marts.movie_moods as select * from (values
            (1, 'scary', null, 'classified'), (2, 'scary', 'happy', 'classified'),
            (3, 'funny', 'happy', 'classified'), (4, 'scary', null, 'classified')
        ) t(movie_id, primary_mood, secondary_mood, status)"""
    )
    con.execute(
        """create table marts.mood_recommendations as select * from (values (1, 1, 2), (2, 1, 1))
        t(movie_id, recommendation_rank, recommended_movie_id)"""
    )
    con.close()
    return path


def test_the_explorer_lists_best_movies_finds_titles_and_renders_hostile_text(tmp_path: Path, visit: Any) -> None:
    write_assets(tmp_path / "site")  # what build_site writes before the explorer
    # movie 2 has a page of its own on the site (reports/movies/[movie_id].md), movie 1 none
    page_path = write_explorer(tmp_path / "site", warehouse(tmp_path / "w.duckdb"), page_files={"movies-2.html"})
    assert page_path is not None
    explorer = visit(page_path, ready="html[data-explorer-ready=true]", timeout=10_000)
    page = explorer.page

    page.select_option("#x-mood", label="scary")
    best = page.locator("#x-best li a[data-id]")
    assert best.count() == 2  # the deleted movie is not there
    pages = page.locator("#x-best li a.page")  # rows link to the movie pages that exist, and only to those
    assert pages.count() == 1 and pages.first.get_attribute("href") == "movies-2.html"
    assert best.nth(0).inner_text() == f"{HOSTILE_TITLE} (1999) · 8.0"  # text, not markup
    page.select_option("#x-genre", label="Mystery")
    assert [best.nth(i).inner_text() for i in range(best.count())] == ["Quiet House (2004) · 7.0"]
    page.select_option("#x-genre", label="any")
    page.select_option("#x-decade", label="1990s")
    assert best.count() == 1

    page.fill("#x-title", "img src")
    movie = page.locator("#x-movie")
    assert HOSTILE_TITLE in movie.locator("h2").inner_text()
    assert HOSTILE_OVERVIEW in movie.locator("p.why").inner_text()  # a hostile keyword, as text
    assert "genres: Horror" in movie.locator("p.why").inner_text()
    assert movie.locator("h2 a.page").count() == 0  # no page for the hostile movie
    assert movie.locator(".recs li a[data-id]").first.inner_text().startswith("Quiet House")
    assert movie.locator(".recs li a.page").first.get_attribute("href") == "movies-2.html"
    movie.locator(".recs li a[data-id]").first.click()
    assert movie.locator("h2").inner_text().startswith("Quiet House")
    assert movie.locator("h2 a.page").get_attribute("href") == "movies-2.html"
    assert "scary / happy" in movie.inner_text()

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert explorer.console_errors == []
    assert explorer.outside_requests() == []


def test_no_moods_no_explorer(tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    assert write_explorer(tmp_path / "site", tmp_path / "empty.duckdb") is None
