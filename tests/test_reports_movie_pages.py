"""The Evidence-style `[param]` pages: reports/movies/[movie_id].md becomes one page per tracked movie, linked from
the trending and momentum tables and from "more like this"; the trending page. Built on the dbt warehouse of the
real pages (emulator data), with one movie made hostile, and opened in Chromium from disk."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.reports import build_site
from pipelines.reports.components import _relative
from pipelines.reports.errors import SiteBuildError
from tests.conftest import HOSTILE_OVERVIEW, HOSTILE_TITLE

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / "reports"


def _missing_targets(out: Path, links: Any) -> list[str]:
    """The hrefs of a Playwright locator's links that name no file of the built site (none, when it is whole)."""
    hrefs = {str(links.nth(i).get_attribute("href")) for i in range(links.count())}
    return sorted(href for href in hrefs if not (out / href).exists())


def _visit_index(visit: Any, out: Path, name: str, prefix: str, at_least: int) -> tuple[Any, Any]:
    """The site's page `name` in Chromium, checked as an index: at least `at_least` table links to `prefix` pages,
    each naming a file of the site, and every chart drawn. Returns the visit and those links."""
    index = visit(out / name)
    links = index.page.locator(f"figure.datatable a[href^='{prefix}']")
    assert links.count() >= at_least
    assert _missing_targets(out, links) == []
    charts = index.charts()
    assert charts and all(c["drawn"] == "true" for c in charts)
    return index, links


@pytest.fixture(scope="module")
def movie_site(report_dbt_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("movie_pages")
    warehouse = root / report_dbt_warehouse.name
    shutil.copyfile(report_dbt_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        hostile_id, other_id = (
            row[0]
            for row in con.execute(
                "select movie_id from marts.movie_where_to_watch group by movie_id order by count(*) desc, 1 limit 2"
            ).fetchall()
        )
        con.execute(
            "update marts.dim_movie set title = ?, overview = ? where movie_id = ?",
            [HOSTILE_TITLE, HOSTILE_OVERVIEW, hostile_id],
        )
        con.execute(
            "update marts.movie_where_to_watch set flatrate_providers = [?] where movie_id = ?",
            [HOSTILE_TITLE, hostile_id],
        )
        expected = {
            "movies": con.execute("select count(*) from marts.dim_movie where has_details").fetchone()[0],
            "ratings": con.execute(
                "select count(*) from marts.movie_release_countries where movie_id = ?", [hostile_id]
            ).fetchone()[0],
            "people": con.execute(
                "select count(*) from (select person_id from marts.person_careers "
                "group by 1 having sum(movie_count) >= 3)"
            ).fetchone()[0],
            "regions": con.execute(
                "select count(*) from marts.movie_where_to_watch where movie_id = ?", [hostile_id]
            ).fetchone()[0],
        }
    site = build_site(warehouse, PAGES, root / "site")
    return site, root / "site", hostile_id, other_id, expected


def test_one_page_per_tracked_movie(movie_site):
    site, out, hostile_id, _, expected = movie_site
    assert len(list(out.glob("movies-*.html"))) == expected["movies"] > 50
    assert len(list(out.glob("people-*.html"))) == expected["people"] > 5
    assert site.param_pages == expected["movies"] + expected["people"]
    assert "parameterized pages" in site.summary()
    html = (out / f"movies-{hostile_id}.html").read_text()
    assert "<script>window.__pwned" not in html and "&lt;script&gt;window.__pwned" in html
    assert "JustWatch" in html
    # self-contained: every link and script of every movie and person page is a file of the site
    for path in [*out.glob("movies-*.html"), *out.glob("people-*.html")]:
        for url in re.findall(r'(?:src|href)="([^"]*)"', path.read_text()):
            assert "://" not in url and (out / url.split("#")[0]).exists(), (path.name, url)
    # the mood explorer links each movie to its page: every movie with a page, and no other
    explorer = (out / "explorer.html").read_text()
    data = json.loads(re.search(r'id="explorer-data">(.*?)</script>', explorer, re.S).group(1))
    linked = {movie[0] for movie in data["movies"] if movie[10]}
    assert linked == {movie[0] for movie in data["movies"] if (out / f"movies-{movie[0]}.html").exists()}
    assert len(linked) > 10


def test_a_movie_page_in_chromium(movie_site, visit):
    _, out, hostile_id, _, expected = movie_site
    movie = visit(out / f"movies-{hostile_id}.html")
    movie.screenshot("movie-page")
    page = movie.page
    assert page.locator("h1").inner_text() == HOSTILE_TITLE  # the title as text, not markup
    assert HOSTILE_OVERVIEW in page.inner_text("main")
    tables = page.locator("figure.datatable")
    ratings = tables.filter(has=page.locator("th", has_text="Certification"))
    assert ratings.locator("tbody tr").count() == expected["ratings"] > 0
    watch = tables.filter(has=page.locator("th", has_text="Tmdb watch page"))
    assert watch.locator("tbody tr").count() == expected["regions"] > 0
    assert HOSTILE_TITLE in watch.inner_text()
    assert "Data by JustWatch (justwatch.com), via TMDB." in page.inner_text("main")
    assert "not endorsed or certified by TMDB" in page.inner_text("footer")
    charts = movie.charts()
    assert len(charts) == 2 and all(c["drawn"] == "true" and c["marks"] > 0 for c in charts), charts
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert movie.console_errors == [] and movie.outside_requests() == []
    # "more like this" leads to another movie's page, which exists
    similar = page.locator("figure.datatable a[href^='movies-']")
    if similar.count():
        target = similar.first.get_attribute("href")
        assert (out / str(target)).exists()


def test_trending_tables_link_to_movie_pages(movie_site, visit):
    _, out, _, _, _ = movie_site
    trending, links = _visit_index(visit, out, "trending.html", "movies-", at_least=20)
    links.first.click()
    trending.page.wait_for_selector("html[data-charts-drawn=true]", state="attached", timeout=20_000)
    assert trending.page.url.split("/")[-1].startswith("movies-")
    assert trending.console_errors == [] and trending.outside_requests() == []


def test_only_site_links_are_links():
    assert _relative("movies-1.html") and _relative("sub/page.html")
    for href in ("javascript:alert(1)", "https://example.org", "//example.org", "/etc/passwd", "", "data:x"):
        assert not _relative(href), href


def test_a_template_without_params_is_an_error_naming_it(tmp_path, report_warehouse):
    (tmp_path / "things").mkdir()
    (tmp_path / "things" / "[thing_id].md").write_text("---\ntitle: Thing\n---\n\nNo params.\n")
    with pytest.raises(SiteBuildError) as error:
        build_site(report_warehouse, tmp_path, tmp_path / "site")
    assert "[thing_id].md:1" in str(error.value) and "params" in str(error.value)


def test_people_page_and_a_person_page_in_chromium(movie_site, visit):
    _, out, _, _, _ = movie_site
    people, links = _visit_index(visit, out, "people.html", "people-", at_least=5)
    assert people.console_errors == [] and people.outside_requests() == []

    person = visit(out / str(links.first.get_attribute("href")))
    person.screenshot("person-page")
    assert person.page.locator("h1").inner_text() == links.first.inner_text()
    films = person.page.locator("figure.datatable a[href^='movies-']")
    assert films.count() >= 3
    assert _missing_targets(out, films) == []
    charts = person.charts()  # the popularity curve of the daily person export, and films per year
    assert len(charts) == 2 and all(c["drawn"] == "true" and c["marks"] > 0 for c in charts)
    assert person.console_errors == [] and person.outside_requests() == []
