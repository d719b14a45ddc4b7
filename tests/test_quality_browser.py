"""GX's data docs in a real browser (headless Debian Chromium via Playwright), opened from disk: styled by the
libraries copied into the site (Bootstrap, bootstrap-table, jQuery, Font Awesome, Vega), no request leaving
file://, no console error. Screenshots in test-artifacts/quality/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipelines.quality import QualityResult, run_quality
from tests.conftest import create_quality_warehouse


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> QualityResult:
    root = tmp_path_factory.mktemp("quality_docs")
    return run_quality(create_quality_warehouse(root / "warehouse.duckdb"), root / "site", write=False)


def test_the_data_docs_are_styled_offline_without_console_errors(docs: QualityResult, visit: Any) -> None:
    assert docs.docs_index is not None
    validation = next(docs.docs_index.parent.joinpath("validations").rglob("warehouse-raw.movie_details.html"))
    for name, path in (("index", docs.docs_index), ("validation-raw.movie_details", validation)):
        opened = visit(path, ready=None, wait_until="networkidle")
        opened.screenshot(name, folder="quality")
        page = opened.page
        assert opened.outside_requests() == [], name
        assert opened.console_errors == [], (name, opened.console_errors)
        # Bootstrap's stylesheet applied (its navbar is a flexbox), jQuery and bootstrap-table ran
        assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display") == "flex", name
        assert page.evaluate("typeof window.jQuery === 'function' && typeof jQuery.fn.bootstrapTable"), name
        assert page.locator("table.table tbody tr").count() > 0, name  # rows drawn by bootstrap-table
        # Font Awesome's font loaded: its check-circle icon has a width
        icon = page.locator("i.fas.fa-check-circle").first
        assert page.evaluate("getComputedStyle(document.querySelector('i.fas')).fontFamily").startswith(
            '"Font Awesome'
        ), name
        assert icon.bounding_box()["width"] > 0, name


def test_no_page_of_the_data_docs_names_a_cdn(docs: QualityResult) -> None:
    assert docs.docs_index is not None
    root = docs.docs_index.parent
    for page in root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for marker in ("cdn.jsdelivr", "cdnjs.cloudflare", "code.jquery", "bootstrapcdn", "unpkg.com", "integrity="):
            assert marker not in text, (page.relative_to(root), marker)
    fonts = root / "static" / "vendor" / "@fortawesome" / "fontawesome-free" / "webfonts"
    assert (fonts / "fa-solid-900.woff2").is_file()


def test_without_the_npm_packages_the_docs_keep_the_cdns_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from pipelines.quality import docs as docs_module

    monkeypatch.setattr(docs_module, "NODE_MODULES", tmp_path / "node_modules")
    assert docs_module._copy_libraries(tmp_path / "site") is None
    assert "the GX data docs will load their libraries from CDNs" in caplog.text and "make install" in caplog.text
