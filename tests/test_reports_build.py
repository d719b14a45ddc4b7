"""Building the site on the fixture warehouse: files, index, escaping, dbt docs, the command, formats."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from pipelines.reports import SiteBuildError, build_site
from pipelines.reports.cli import add_arguments, run
from pipelines.reports.formatting import parse_format
from pipelines.reports.markup import json_script
from tests.conftest import HOSTILE_OVERVIEW, HOSTILE_TITLE


def test_site_has_every_page_the_index_and_the_vendored_chart_library(report_site) -> None:
    out = report_site.index_path.parent
    assert [page.name for page in report_site.pages] == ["catalog", "trends", "pending"]  # sidebar order
    assert report_site.pages_built == 3
    assert report_site.queries_run == 7
    assert sorted(path.name for path in out.iterdir()) == [
        ".tmdb-reports-site",
        "assets",
        "catalog.html",
        "index.html",
        "pending.html",
        "trends.html",
    ]
    assert sorted(path.name for path in (out / "assets").iterdir()) == ["report.css", "report.js", "vega-bundle.js"]
    bundle = (out / "assets" / "vega-bundle.js").read_text()
    assert "window.vegaEmbed=" in bundle and len(bundle) > 500_000
    index = report_site.index_path.read_text()
    for page in report_site.pages:
        assert f'href="{page.name}.html"' in index
    assert "dbt-docs" not in index  # not asked for


def test_no_page_references_anything_outside_the_site(report_site) -> None:
    out = report_site.index_path.parent
    for path in out.glob("*.html"):
        html = path.read_text()
        for url in re.findall(r'(?:src|href)="([^"]*)"', html):
            assert "://" not in url and not url.startswith("//"), (path.name, url)
            assert (out / url.split("#")[0]).exists(), (path.name, url)


def chart_specs(html: str) -> list[dict]:
    return [json.loads(text) for text in re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', html)]


def test_every_chart_component_becomes_a_vega_lite_spec_with_inline_data(report_site) -> None:
    html = (report_site.index_path.parent / "catalog.html").read_text()
    specs = chart_specs(html)
    assert [spec["mark"]["type"] if "mark" in spec else "layer" for spec in specs] == [
        "line",
        "bar",
        "point",
        "bar",
        "layer",
    ]
    assert all(spec["data"]["values"] for spec in specs)
    line = specs[0]
    assert line["encoding"]["x"]["field"] == "release_year" and line["encoding"]["y"]["field"] == "movies"
    assert "$" in specs[1]["encoding"]["y"]["axis"]["labelExpr"]  # yFmt=usd0m


def test_values_from_the_warehouse_are_escaped(report_site) -> None:
    html = (report_site.index_path.parent / "catalog.html").read_text()
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;/script&gt;&lt;b&gt;bold?&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;Evil &amp; &quot;Co&quot;" in html
    # In chart data the same strings are JSON with <, > and & escaped, so they cannot close the <script>.
    scatter = chart_specs(html)[2]
    titles = [row["__tip0"] for row in scatter["data"]["values"]]
    assert HOSTILE_TITLE in titles
    assert "\\u003cimg src=x" in html


def test_json_script_cannot_be_closed_by_data() -> None:
    script = json_script("x", {"a": HOSTILE_OVERVIEW, "b": "\u2028&"})
    assert script.count("</script>") == 1 and script.endswith("</script>")
    assert json.loads(script.split(">", 1)[1].rsplit("<", 1)[0]) == {"a": HOSTILE_OVERVIEW, "b": "\u2028&"}


def test_dbt_docs_are_copied_and_linked(report_warehouse: Path, report_pages: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    (target / "static_index.html").write_text("<html>dbt docs</html>")
    result = build_site(report_warehouse, report_pages, tmp_path / "site", target)
    assert result.dbt_docs_path == (tmp_path / "site" / "dbt-docs" / "index.html").resolve()
    assert result.dbt_docs_path.read_text() == "<html>dbt docs</html>"
    assert 'href="dbt-docs/index.html"' in result.index_path.read_text()
    assert 'href="dbt-docs/index.html"' in (tmp_path / "site" / "catalog.html").read_text()


def test_dbt_docs_from_a_plain_generate_get_their_json_inlined(
    report_warehouse: Path, report_pages: Path, tmp_path: Path
) -> None:
    """`dbt docs generate` without --static: the page would fetch the JSON, refused from file://."""
    target = tmp_path / "target"
    target.mkdir()
    (target / "index.html").write_text(
        '<script>n=["MANIFEST.JSON INLINE DATA"];c=["CATALOG.JSON INLINE DATA"]</script>'
    )
    (target / "manifest.json").write_text('{"nodes": {}}')
    (target / "catalog.json").write_text('{"sources": {}}')
    (target / "static_index.html").write_text("stale")
    result = build_site(report_warehouse, report_pages, tmp_path / "site", target)
    assert result.dbt_docs_path.read_text() == '<script>n=[{"nodes": {}}];c=[{"sources": {}}]</script>'


def test_missing_dbt_docs_say_how_to_make_them(report_warehouse: Path, report_pages: Path, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="dbt docs generate --static"):
        build_site(report_warehouse, report_pages, tmp_path / "site", tmp_path / "no-target")
    assert not (tmp_path / "site").exists()


def test_a_failed_build_keeps_the_previous_site(report_warehouse: Path, report_pages: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(report_warehouse, report_pages, site)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.md").write_text("```sql q\nselect nope from marts.movies\n```\n")
    with pytest.raises(SiteBuildError):
        build_site(report_warehouse, broken, site)
    assert (site / "catalog.html").exists()
    build_site(report_warehouse, report_pages, site)  # and a rebuild replaces it
    assert (site / "catalog.html").exists()


def test_other_tools_sites_beside_the_reports_are_kept_and_linked(
    report_warehouse: Path, report_pages: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "quality").mkdir(parents=True)
    (site / "quality" / "index.html").write_text("<html>GX data docs</html>")
    (site / "notes.txt").write_text("mine")
    build_site(report_warehouse, report_pages, site)
    build_site(report_warehouse, report_pages, site)  # a rebuild replaces only what the builder wrote
    assert (site / "quality" / "index.html").read_text() == "<html>GX data docs</html>"
    assert (site / "notes.txt").read_text() == "mine"
    assert 'href="quality/index.html"' in (site / "index.html").read_text()
    assert 'href="quality/index.html"' in (site / "trends.html").read_text()


def test_pages_dropped_from_the_build_are_removed(report_warehouse: Path, report_pages: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(report_warehouse, report_pages, site)
    fewer = tmp_path / "fewer"
    fewer.mkdir()
    (fewer / "trends.md").write_text((report_pages / "trends.md").read_text())
    build_site(report_warehouse, fewer, site)
    assert not (site / "catalog.html").exists() and (site / "trends.html").exists()


def test_refuses_to_overwrite_files_it_did_not_write(
    report_warehouse: Path, report_pages: Path, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("mine")
    with pytest.raises(FileExistsError, match="refusing to overwrite index.html"):
        build_site(report_warehouse, report_pages, tmp_path)
    assert (tmp_path / "index.html").read_text() == "mine"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["index.html"]


def test_readme_is_not_a_page_and_index_is_reserved(report_warehouse: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "README.md").write_text("# How to write pages\n<NotAComponent />\n")
    assert build_site(report_warehouse, pages, tmp_path / "site").pages == []
    (pages / "index.md").write_text("home\n")
    with pytest.raises(SiteBuildError, match="index.md is reserved"):
        build_site(report_warehouse, pages, tmp_path / "site")


def command(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_command_prints_the_index_path_last(
    report_warehouse: Path, report_pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        command("--duckdb-path", str(report_warehouse), "--pages", str(report_pages), "--out", str(tmp_path / "site"))
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert out.strip().splitlines()[-1] == str((tmp_path / "site" / "index.html").resolve())
    assert "3 pages (1 waiting for tables not built yet), 7 queries" in out
    assert "warning: " in err and "marts.movie_moods" in err


def test_command_defaults_and_errors(
    report_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = command()
    assert (args.pages, args.out, args.with_dbt_docs, args.duckdb_path) == (Path("reports"), Path("site"), False, None)
    monkeypatch.setenv("TMDB_DUCKDB_PATH", str(tmp_path / "missing.duckdb"))
    assert run(args) == 2
    assert "warehouse not found" in capsys.readouterr().err
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "bad.md").write_text("```sql q\nselect nope from marts.movies\n```\n")
    assert (
        run(command("--duckdb-path", str(report_warehouse), "--pages", str(pages), "--out", str(tmp_path / "s"))) == 1
    )
    assert "bad.md:2: query 'q': column 'nope' not found in marts.movies" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fmt", "value", "text"),
    [
        ("usd", 1234.5, "$1,234"),
        ("usd0", -1234.5, "-$1,234"),
        ("usd2", 3.14159, "$3.14"),
        ("usd1m", 412_100_000, "$412.1M"),
        ("usd1b", 2_500_000_000, "$2.5B"),
        ("num0", 1234567.8, "1,234,568"),
        ("num1k", 64_200, "64.2k"),
        ("pct1", 0.1234, "12.3%"),
        ("pct", 0.5, "50%"),
        ("mult", 5.33, "5.3x"),
        ("id", 921594675, "921594675"),
        (None, 1234.5, "1,234.5"),
        (None, None, ""),
    ],
)
def test_evidence_formats(fmt: str | None, value: float | None, text: str) -> None:
    from pipelines.reports.formatting import AUTO, format_value

    assert format_value(value, parse_format(fmt) or AUTO) == text


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'dollars'"):
        parse_format("dollars")
