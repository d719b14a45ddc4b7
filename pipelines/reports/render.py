"""Turn a page's markdown, with its components already rendered, into the page's HTML body.

Markdown is rendered with raw HTML disabled (markup in prose shows as text). A paragraph holding only
component tokens is replaced by the components (three ``<BigValue>`` lines become one row of cards);
any other token is replaced where it stands (``<Value>`` inside a sentence).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt

from pipelines.reports.markup import esc, tag
from pipelines.reports.page import Page

_TOKEN = re.compile(r"RPTCOMPONENT\d{4}X")
_ROW_COMPONENTS = {"BigValue"}  # consecutive ones line up in a row, as in Evidence; others stack
_TOKEN_PARAGRAPH = re.compile(r"<p>((?:\s*RPTCOMPONENT\d{4}X)+)\s*</p>")


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable("table")


def markdown_to_html(page: Page, components: dict[str, str], page_names: set[str]) -> str:
    """``components`` maps each component token to its HTML."""
    md = _markdown()
    tokens = md.parse(page.markdown)
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("href", _page_link(str(child.attrGet("href") or ""), page_names))
    body = md.renderer.render(tokens, md.options, {})

    kinds = {component.token: component.name for component in page.components}

    def paragraph(match: re.Match[str]) -> str:
        tokens = _TOKEN.findall(match.group(1))
        parts = "".join(components.get(token, "") for token in tokens)
        in_a_row = len(tokens) > 1 and all(kinds.get(token) in _ROW_COMPONENTS for token in tokens)
        return tag("div", parts, class_="component-row") if in_a_row else parts

    body = _TOKEN_PARAGRAPH.sub(paragraph, body)
    return _TOKEN.sub(lambda match: components.get(match.group(), ""), body)


def _page_link(href: str, page_names: set[str]) -> str:
    """Evidence links pages as ``/box_office``; this site is files: ``box_office.html``."""
    path, _, anchor = href.partition("#")
    name = path.strip("/").removesuffix(".md")
    if not path or "://" in path or path.startswith("mailto:") or name not in page_names:
        return href
    return f"{name}.html" + (f"#{anchor}" if anchor else "")


def queries_section(page: Page) -> str:
    if not page.queries:
        return ""
    items = "".join(
        tag("h4", esc(query.name)) + tag("pre", tag("code", esc(query.sql.strip()))) for query in page.queries.values()
    )
    return tag("details", tag("summary", f"SQL of this page ({len(page.queries)} queries)") + items, class_="queries")
