"""The built site in a real browser (headless Debian Chromium via Playwright), opened from disk.

Every page: its charts are drawn (an SVG with marks in each chart), the console has no error, no request
leaves file://, and a screenshot is kept in test-artifacts/reports/. The hostile movie renders inert.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import HOSTILE_OVERVIEW, HOSTILE_TITLE


def site_pages(site: Any) -> list[Path]:
    return [site.index_path, *(page.path for page in site.pages)]


def test_every_page_draws_its_charts_offline_without_console_errors(report_site: Any, visit: Any) -> None:
    expected_charts = {"catalog": 5, "trends": 2, "pending": 0, "index": 0}
    for path in site_pages(report_site):
        page = visit(path)
        charts = page.charts()
        screenshot = page.screenshot(f"fixture-{path.stem}")
        assert screenshot.stat().st_size > 10_000
        assert len(charts) == expected_charts[path.stem], path.name
        for chart in charts:
            assert chart["drawn"] == "true" and chart["svgs"] >= 1 and chart["marks"] > 0, (path.name, chart)
        assert page.console_errors == [], (path.name, page.console_errors)
        assert page.outside_requests() == [], (path.name, page.outside_requests())


def test_hostile_overview_and_title_render_as_text(report_site: Any, visit: Any) -> None:
    page = visit(report_site.index_path.parent / "catalog.html").page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    scripts = page.evaluate(
        "Array.from(document.scripts).filter(s => s.type !== 'application/json').map(s => s.getAttribute('src'))"
    )
    assert scripts == ["assets/vega-bundle.js", "assets/report.js"]
    cells = page.locator("div.table tbody tr").first.locator("td")
    assert cells.nth(0).inner_text() == HOSTILE_TITLE
    assert cells.nth(1).inner_text() == HOSTILE_OVERVIEW


def test_chart_tooltip_shows_hostile_title_as_text(report_site: Any, visit: Any) -> None:
    page = visit(report_site.index_path.parent / "catalog.html").page
    point = page.locator("div.chart[data-component=ScatterPlot] svg .mark-symbol path").first  # movie 1: hostile
    point.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert HOSTILE_TITLE in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_data_table_pages_and_searches(report_site: Any, visit: Any) -> None:
    page = visit(report_site.index_path.parent / "catalog.html").page
    table = page.locator("div.table")
    visible = table.locator("tbody tr:not([hidden])")
    assert visible.count() == 5
    assert "Page 1 of 8 · 40 rows" in table.locator(".pager").inner_text()
    table.get_by_role("button", name="Next ›").click()
    assert visible.first.locator("td").first.inner_text() == "Movie 6"
    table.get_by_role("searchbox").fill("movie 39")
    assert visible.count() == 1 and "Movie 39" in visible.first.inner_text()


def test_content_security_policy_blocks_injected_handlers_and_outside_loads(report_site: Any, visit: Any) -> None:
    """Behind the escaping: were markup ever to reach a page, its handlers would not run, nor load anything."""
    page = visit(report_site.index_path.parent / "catalog.html").page
    page.evaluate(
        """() => document.body.insertAdjacentHTML('beforeend',
            '<img src="missing.png" onerror="window.__pwned = 1"><img src="http://127.0.0.1:9/x.png">')"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__pwned") == "undefined"
