"""Validation of a page's queries and components against the warehouse: every error names page, query or
component, and line; a missing table is "not built yet", not an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.reports import SiteBuildError, build_site
from pipelines.reports.errors import ReportError
from pipelines.reports.page import parse_page_text
from pipelines.reports.sqlcheck import execution_order


def build(warehouse: Path, tmp_path: Path, text: str, **options: object):
    pages = tmp_path / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / "page.md").write_text(text, encoding="utf-8")
    return build_site(warehouse, pages, tmp_path / "site", **options)  # type: ignore[arg-type]


def build_error(warehouse: Path, tmp_path: Path, text: str) -> ReportError:
    with pytest.raises(SiteBuildError) as raised:
        build(warehouse, tmp_path, text)
    assert len(raised.value.errors) == 1, raised.value
    assert not (tmp_path / "site").exists()  # nothing written
    return raised.value.errors[0]


def test_chained_queries_run_after_the_queries_they_read() -> None:
    page = parse_page_text(
        "```sql c\nselect * from ${b}\n```\n```sql a\nselect 1 as x\n```\n```sql b\nselect * from ${a}\n```\n",
        "p",
        "p.md",
    )
    assert [query.name for query in execution_order(page)] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("```sql a\nselect 1 as x\n```\n\n```sql b\nselect *\nfrom ${nope}\n```\n", 7, "${nope} names no query"),
        ("```sql a\nselect * from ${b}\n```\n```sql b\nselect * from ${a}\n```\n", 2, "cycle: a -> b -> a"),
    ],
)
def test_chaining_errors(text: str, line: int, message: str) -> None:
    page = parse_page_text(text, "p", "reports/p.md")
    with pytest.raises(ReportError) as raised:
        execution_order(page)
    assert (raised.value.line, raised.value.query) == (line, raised.value.query)
    assert message in str(raised.value)


def test_chaining_runs_on_the_result_of_the_other_query(report_warehouse: Path, tmp_path: Path) -> None:
    page = (
        "```sql genres\nselect genre, count(*) as movies from marts.movies group by 1\n```\n"
        "```sql top\nselect genre from ${genres} order by movies desc, genre limit 1\n```\n"
        "<Value data={top} column=genre />\n"
    )
    result = build(report_warehouse, tmp_path, page)
    assert result.queries_run == 2
    assert '<span class="value-inline">Action</span>' in (tmp_path / "site" / "page.html").read_text()


def test_invalid_sql_names_page_query_and_line(report_warehouse: Path, tmp_path: Path) -> None:
    error = build_error(
        report_warehouse, tmp_path, "# Title\n\n```sql films\nselect title,\nfrom marts.movies\nwhere\n```\n"
    )
    assert (error.query, error.line) == ("films", 6)
    assert str(error).startswith(f"{tmp_path / 'pages' / 'page.md'}:6: query 'films': invalid SQL")


def test_missing_column_of_an_existing_table_is_an_error(report_warehouse: Path, tmp_path: Path) -> None:
    error = build_error(
        report_warehouse, tmp_path, "intro\n\n```sql films\nselect title,\n  budgett\nfrom marts.movies\n```\n"
    )
    assert (error.query, error.line) == ("films", 5)
    assert "column 'budgett' not found in marts.movies" in error.message


def test_missing_column_of_a_chained_query_is_an_error(report_warehouse: Path, tmp_path: Path) -> None:
    text = "```sql a\nselect title from marts.movies\n```\n```sql b\nselect budget from ${a}\n```\n"
    error = build_error(report_warehouse, tmp_path, text)
    assert (error.query, error.line) == ("b", 5)
    assert "column 'budget' not found in ${a}" in error.message


def test_duckdb_binder_is_the_backstop(report_warehouse: Path, tmp_path: Path) -> None:
    error = build_error(
        report_warehouse, tmp_path, "```sql bad\nselect\n  no_such_function(title) from marts.movies\n```\n"
    )
    assert (error.query, error.line) == ("bad", 3)
    assert "no_such_function" in error.message


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("create table marts.x as select 1", "only SELECT queries"),
        ("select 1; select 2", "one statement"),
        ("select * from other_db.main.t", "only the warehouse can be queried"),
    ],
)
def test_only_one_select_on_the_warehouse(report_warehouse: Path, tmp_path: Path, sql: str, message: str) -> None:
    error = build_error(report_warehouse, tmp_path, f"```sql q\n{sql}\n```\n")
    assert message in error.message and error.line == 2


def test_missing_table_renders_a_notice_and_warns(report_warehouse: Path, tmp_path: Path) -> None:
    text = (
        "```sql moods\nselect mood from marts.movie_moods\n```\n"
        "```sql chained\nselect * from ${moods}\n```\n"
        "```sql typo\nselect * from marts.movis\n```\n"
        "```sql fine\nselect count(*) as n from marts.movies\n```\n"
        "<BarChart data={chained} x=mood y=mood />\n<BigValue data={fine} value=n />\n"
    )
    result = build(report_warehouse, tmp_path, text)
    html = (tmp_path / "site" / "page.html").read_text()
    assert "Not built yet: table marts.movie_moods missing (query &#x27;chained&#x27;)." in html
    assert "this page reads marts.movie_moods, marts.movis" in html
    assert result.pages[0].pending_tables == ["marts.movie_moods", "marts.movis"]
    assert result.queries_run == 1
    assert any("did you mean marts.movies?" in warning for warning in result.warnings)
    assert len(result.warnings) == 2  # moods and typo; chained waits on moods without its own warning
    index = (tmp_path / "site" / "index.html").read_text()
    assert "not built yet: marts.movie_moods, marts.movis" in index


def test_strict_makes_a_missing_table_an_error(report_warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(SiteBuildError) as raised:
        build(report_warehouse, tmp_path, "```sql moods\nselect * from marts.movie_moods\n```\n", strict=True)
    assert "page.md:2: query 'moods': not built yet: table marts.movie_moods missing" in str(raised.value)


@pytest.mark.parametrize(
    ("component", "message"),
    [
        ("<Sparkle data={q} />", "unknown component"),
        ("<Column id=n />", "goes only inside"),
        ("<BarChart data={q} x=n y=n colour=red />", "unsupported attribute colour"),
        ("<BarChart data={q} x=n />", "missing required attribute y"),
        ("<BarChart data={nope} x=n y=n />", "data must name a query of this page"),
        ("<BarChart data=q x=n y=n />", "data must name a query of this page"),
        ("<BarChart data={q} x=n y=genre />", "y=genre: no such column in query 'q' (columns: n, title)"),
        ("<LineChart data={q} x=n y={['n', 'nope']} />", "y=nope: no such column"),
        ("<DataTable data={q}>\n<Column id=nope />\n</DataTable>", "id=nope: no such column"),
        ("<BigValue data={q} value=n fmt=dollars />", "fmt: unknown format 'dollars'"),
        ("<DataTable data={q}><BigValue data={q} value=n /></DataTable>", "cannot go inside <DataTable>"),
    ],
)
def test_component_errors_name_page_component_and_line(
    report_warehouse: Path, tmp_path: Path, component: str, message: str
) -> None:
    text = f"```sql q\nselect count(*) as n, min(title) as title from marts.movies\n```\n\nText.\n\n{component}\n"
    error = build_error(report_warehouse, tmp_path, text)
    assert message in error.message
    assert error.line in (7, 8) and error.component


def test_all_errors_of_all_pages_are_reported_at_once(report_warehouse: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "one.md").write_text("```sql a\nselect nope from marts.movies\n```\n")
    (pages / "two.md").write_text("```sql b\nselect from\n```\n<Bogus />\n")
    with pytest.raises(SiteBuildError) as raised:
        build_site(report_warehouse, pages, tmp_path / "site")
    assert [(Path(error.page).name, error.line) for error in raised.value.errors] == [
        ("one.md", 2),
        ("two.md", 2),
        ("two.md", 4),
    ]


def test_duckdb_binder_overrules_a_sqlglot_misreading(
    report_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should sqlglot ever fail to resolve a column of valid DuckDB SQL, the query still runs."""
    from pipelines.reports import sqlcheck

    def misread(page, query, statement, schema):  # noqa: ANN001, ANN202 - the patched function's signature
        raise ReportError(page.source, query.line, "column 'title' not found", query=query.name)

    monkeypatch.setattr(sqlcheck, "_check_columns", misread)
    result = build(report_warehouse, tmp_path, "```sql q\nselect title from marts.movies\n```\n")
    assert result.queries_run == 1
    with pytest.raises(SiteBuildError, match="column 'title' not found"):
        build(report_warehouse, tmp_path / "again", "```sql q\nselect nope from marts.movies\n```\n")
