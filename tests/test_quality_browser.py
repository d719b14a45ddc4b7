"""GX's data docs in a real browser (headless Debian Chromium via Playwright), opened from disk: styled by the
libraries copied into the site (Bootstrap, bootstrap-table, jQuery, Font Awesome, Vega), no request leaving
file://, no console error. Screenshots in test-artifacts/quality/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipelines.quality import QualityResult, run_quality
from tests.conftest import create_quality_warehouse

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "quality"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> QualityResult:
    root = tmp_path_factory.mktemp("quality_docs")
    return run_quality(create_quality_warehouse(root / "warehouse.duckdb"), root / "site", write=False)


def open_offline(chromium: Any, path: Path, name: str) -> tuple[Any, list[str], list[str]]:
    """The page at `path`, loaded; what it asked for outside file://, its console errors; a screenshot kept."""
    requests: list[str] = []
    errors: list[str] = []
    page = chromium.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri(), wait_until="networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return page, [url for url in requests if not url.startswith(LOCAL_SCHEMES)], errors


def test_the_data_docs_are_styled_offline_without_console_errors(docs: QualityResult, chromium: Any) -> None:
    assert docs.docs_index is not None
    validation = next(docs.docs_index.parent.joinpath("validations").rglob("warehouse-raw.movie_details.html"))
    for name, path in (("index", docs.docs_index), ("validation-raw.movie_details", validation)):
        page, outside, errors = open_offline(chromium, path, name)
        try:
            assert outside == [], (name, outside)
            assert errors == [], (name, errors)
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
        finally:
            page.close()


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
