"""Parsing report pages (Evidence's markdown format): frontmatter, named SQL fences, components, errors."""

from __future__ import annotations

import pytest

from pipelines.reports.errors import ReportError
from pipelines.reports.page import QueryRef, parse_page_text, token_for
from pipelines.reports.render import markdown_to_html

PAGE = """---
title: Box office
description: Revenue vs budget.
sidebar_position: 2
---

Intro with <Value data={totals} column=revenue fmt=usd1b /> of revenue.

```sql totals
select sum(revenue) as revenue
from marts.fct_movie_financials
```

<BigValue data={totals} value=revenue title="All revenue" fmt=usd1b />
<BarChart
    data={totals}
    x=year
    y={['revenue', 'budget']}
    swapXY=true
    chartAreaHeight={300}
/>

```python
print("not a query")
```

<DataTable data={totals} rows=20 search>
  <Column id=title title="Movie" />
  <Column id=revenue fmt=usd0 />
</DataTable>
"""


def parse(text: str, name: str = "page"):
    return parse_page_text(text, name, f"reports/{name}.md")


def test_frontmatter_title_description_and_order() -> None:
    page = parse(PAGE, "box_office")
    assert (page.title, page.description, page.order) == ("Box office", "Revenue vs budget.", (2.0, "box_office"))
    assert parse("no frontmatter\n", "top_movies").title == "Top movies"


def test_sql_fences_are_named_queries_with_their_page_lines() -> None:
    page = parse(PAGE)
    assert list(page.queries) == ["totals"]
    query = page.queries["totals"]
    assert query.sql == "select sum(revenue) as revenue\nfrom marts.fct_movie_financials"
    assert query.line == 10  # the first SQL line, 1-based, in the page file
    assert query.page_line(2) == 11
    assert "```python" in page.markdown and "select sum" not in page.markdown


def test_components_their_props_lines_and_children() -> None:
    page = parse(PAGE)
    value, big, bar, table = page.components
    assert (value.name, value.line, value.props) == (
        "Value",
        7,
        {"data": QueryRef("totals"), "column": "revenue", "fmt": "usd1b"},
    )
    assert big.props["title"] == "All revenue" and big.line == 14
    assert bar.line == 15
    assert bar.props == {
        "data": QueryRef("totals"),
        "x": "year",
        "y": ["revenue", "budget"],
        "swapXY": True,
        "chartAreaHeight": 300,
    }
    assert table.props == {"data": QueryRef("totals"), "rows": "20", "search": True}
    assert [(child.name, child.props, child.line) for child in table.children] == [
        ("Column", {"id": "title", "title": "Movie"}, 28),
        ("Column", {"id": "revenue", "fmt": "usd0"}, 29),
    ]


def test_components_become_tokens_in_the_markdown() -> None:
    page = parse(PAGE)
    assert f"Intro with {token_for(0)} of revenue." in page.markdown
    assert "<BigValue" not in page.markdown and "<Column" not in page.markdown
    html = markdown_to_html(page, {c.token: f"[{c.name}]" for c in page.components}, set())
    assert "<p>Intro with [Value] of revenue.</p>" in html
    assert "[BigValue][BarChart]" in html  # consecutive block components stack, not wrapped in a paragraph


def test_markup_in_prose_is_text_and_page_links_become_files() -> None:
    page = parse("Hello <script>alert(1)</script> [box](/box_office) [ext](https://example.org)\n")
    html = markdown_to_html(page, {}, {"box_office"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert 'href="box_office.html"' in html and 'href="https://example.org"' in html


def test_consecutive_big_values_line_up_in_a_row() -> None:
    page = parse("```sql q\nselect 1 as a\n```\n\n<BigValue data={q} value=a />\n<BigValue data={q} value=a />\n")
    html = markdown_to_html(page, {c.token: "[big]" for c in page.components}, set())
    assert '<div class="component-row">[big][big]</div>' in html


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: [unclosed\n---\n", 2, "invalid frontmatter"),
        ("---\ntitle: x\n", 1, "never closed"),
        ("text\n\n```sql q\nselect 1\n", 3, "code fence is never closed"),
        ("```sql q\nselect 1\n```\n```sql q\nselect 2\n```\n", 4, "already defined"),
        ("```sql my-query\nselect 1\n```\n", 1, "query name must be one identifier"),
        ("```sql empty\n\n```\n", 1, "empty query"),
        ("a\n\n<BarChart data={q} x=a\n", 3, "never closed"),
        ("<BarChart data={q} x=a y=b x=c />\n", 1, "given twice"),
        ("<BarChart data={q} y={[1, />\n", 1, "unbalanced"),
        ("<BarChart data={q} y={a + b} />\n", 1, "unsupported expression"),
        ("<DataTable data={q}>\n  oops\n</DataTable>\n", 1, "only components may go inside"),
        ('<BarChart data={q} title="no end />\n', 1, "unterminated"),
    ],
)
def test_parse_errors_name_page_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ReportError) as raised:
        parse(text, "broken")
    assert raised.value.page == "reports/broken.md"
    assert raised.value.line == line
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"reports/broken.md:{line}: ")
