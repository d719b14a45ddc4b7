"""Parse one report page in Evidence's markdown format.

A page is YAML frontmatter, markdown prose, named SQL fences (```` ```sql name ````) and components
(``<BarChart data={name} x=col y=col />``, ``<DataTable data={name}> <Column id=col/> </DataTable>``).
Parsing only reads the text: queries are validated and run later (``sqlcheck``, ``warehouse``).
Every component in the prose is replaced by a placeholder token, so the markdown renderer never sees
component markup and the renderer substitutes each token with the component's HTML.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipelines.reports.errors import ReportError

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_COMPONENT_START = re.compile(r"<([A-Z][A-Za-z0-9]*)(?=[\s/>])")
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_][\w-]*")
_BARE_VALUE = re.compile(r"(?:[^\s/>]|/(?!>))+")
_LITERALS = {"true": True, "false": False, "null": None}


@dataclass(frozen=True)
class QueryRef:
    """``data={name}``: a reference to a named query of the same page."""

    name: str


PropValue = str | bool | int | float | list[Any] | QueryRef | None


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    line: int  # line of the query's first SQL line in the page file (1-based)

    def page_line(self, sql_line: int) -> int:
        """The page line of a 1-based line inside the query text."""
        return self.line + max(sql_line, 1) - 1


@dataclass
class Component:
    name: str
    props: dict[str, PropValue]
    line: int
    token: str = ""
    children: list[Component] = field(default_factory=list)


@dataclass
class Page:
    name: str  # file stem: the output is <name>.html
    source: str  # the path shown in errors
    frontmatter: dict[str, Any]
    queries: dict[str, Query]
    components: list[Component]
    markdown: str  # the prose with components replaced by their tokens and query fences removed

    @property
    def title(self) -> str:
        return str(self.frontmatter.get("title") or self.name.replace("_", " ").replace("-", " ").capitalize())

    @property
    def description(self) -> str:
        return str(self.frontmatter.get("description") or "")

    @property
    def order(self) -> tuple[float, str]:
        position = self.frontmatter.get("sidebar_position")
        return (float(position) if isinstance(position, int | float) else float("inf"), self.name)


def token_for(index: int) -> str:
    """A placeholder that markdown leaves alone (letters and digits only) and prose never contains."""
    return f"RPTCOMPONENT{index:04d}X"


def parse_page(path: Path, source: str | None = None) -> Page:
    return parse_page_text(path.read_text(encoding="utf-8"), path.stem, source or str(path))


def parse_page_text(text: str, name: str, source: str) -> Page:
    lines = text.splitlines()
    frontmatter, body_start = _frontmatter(lines, source)
    queries: dict[str, Query] = {}
    components: list[Component] = []
    out: list[str] = []  # the page's markdown, line by line, with fences and components handled
    prose: list[str] = []  # the current run of prose lines, not yet scanned for components
    prose_start = body_start
    i = body_start
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if not fence:
            if not prose:
                prose_start = i
            prose.append(lines[i])
            i += 1
            continue
        out.append(_scan_components("\n".join(prose), prose_start + 1, source, components))
        prose = []
        end = _fence_end(lines, i, fence.group(1), source)
        info = fence.group(2).split()
        if info and info[0].lower() == "sql" and len(info) >= 2:
            query = _query(info, lines[i + 1 : end], i + 2, source)
            if query.name in queries:
                raise ReportError(source, i + 1, f"a query named '{query.name}' is already defined", query=query.name)
            queries[query.name] = query
        else:
            out.append("\n".join(lines[i : end + 1]))
        i = end + 1
    out.append(_scan_components("\n".join(prose), prose_start + 1, source, components))
    return Page(name, source, frontmatter, queries, components, "\n".join(out) + "\n")


def _frontmatter(lines: list[str], source: str) -> tuple[dict[str, Any], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise ReportError(source, 2 + (mark.line if mark else 0), f"invalid frontmatter: {exc}") from None
            if not isinstance(data, dict):
                raise ReportError(source, 1, "frontmatter must be a YAML mapping")
            return data, end + 1
    raise ReportError(source, 1, "frontmatter opened with --- is never closed")


def _fence_end(lines: list[str], start: int, marker: str, source: str) -> int:
    for end in range(start + 1, len(lines)):
        stripped = lines[end].strip()
        if stripped.startswith(marker[0] * len(marker)) and set(stripped) == {marker[0]}:
            return end
    raise ReportError(source, start + 1, "code fence is never closed")


def _query(info: list[str], body: list[str], first_line: int, source: str) -> Query:
    name = info[1]
    if not IDENTIFIER.fullmatch(name) or len(info) > 2:
        raise ReportError(
            source, first_line - 1, f"query name must be one identifier (letters, digits, _): {' '.join(info[1:])!r}"
        )
    sql = "\n".join(body)
    if not sql.strip():
        raise ReportError(source, first_line - 1, "empty query", query=name)
    return Query(name, sql, first_line)


def _scan_components(text: str, first_line: int, source: str, found: list[Component]) -> str:
    """Replace each top-level component in ``text`` with its token, appending the components to ``found``."""
    pieces: list[str] = []
    position = 0
    while (match := _COMPONENT_START.search(text, position)) is not None:
        component, end = _parse_component(text, match, first_line, source)
        component.token = token_for(len(found))
        found.append(component)
        pieces += [text[position : match.start()], component.token]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _line_at(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


def _parse_component(text: str, match: re.Match[str], first_line: int, source: str) -> tuple[Component, int]:
    name = match.group(1)
    line = _line_at(text, match.start(), first_line)
    props: dict[str, PropValue] = {}
    i = match.end()
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            raise ReportError(source, line, "component is never closed (expected /> or >)", component=name)
        if text.startswith("/>", i):
            return Component(name, props, line), i + 2
        if text[i] == ">":
            return _parse_children(text, name, props, line, i + 1, first_line, source)
        attribute = _ATTRIBUTE_NAME.match(text, i)
        if not attribute:
            where = _line_at(text, i, first_line)
            raise ReportError(source, where, f"unexpected {text[i]!r} in component attributes", component=name)
        key, i = attribute.group(), attribute.end()
        if key in props:
            raise ReportError(source, _line_at(text, i, first_line), f"attribute {key} given twice", component=name)
        if i < len(text) and text[i] == "=":
            props[key], i = _attribute_value(text, i + 1, name, _line_at(text, i, first_line), source)
        else:
            props[key] = True


def _parse_children(
    text: str, name: str, props: dict[str, PropValue], line: int, start: int, first_line: int, source: str
) -> tuple[Component, int]:
    close = text.find(f"</{name}>", start)
    if close < 0:
        raise ReportError(source, line, f"<{name}> is never closed with </{name}>", component=name)
    children: list[Component] = []
    rest = _scan_components(text[start:close], _line_at(text, start, first_line), source, children)
    for child in children:
        rest = rest.replace(child.token, "")
    if rest.strip():
        raise ReportError(
            source, line, f"only components may go inside <{name}>: {rest.strip()[:40]!r}", component=name
        )
    return Component(name, props, line, children=children), close + len(name) + 3


def _attribute_value(text: str, i: int, component: str, line: int, source: str) -> tuple[PropValue, int]:
    if i >= len(text):
        raise ReportError(source, line, "attribute value missing", component=component)
    if text[i] in "\"'":
        end = text.find(text[i], i + 1)
        if end < 0:
            raise ReportError(source, line, "unterminated quoted value", component=component)
        return text[i + 1 : end], end + 1
    if text[i] == "{":
        end = _matching_brace(text, i)
        if end < 0:
            raise ReportError(source, line, "unbalanced { in attribute value", component=component)
        return _expression(text[i + 1 : end].strip(), component, line, source), end + 1
    bare = _BARE_VALUE.match(text, i)
    if not bare:
        raise ReportError(source, line, "attribute value missing", component=component)
    value = bare.group()
    return (_LITERALS[value] if value in ("true", "false") else value), bare.end()


def _matching_brace(text: str, start: int) -> int:
    depth, quote = 0, ""
    for i in range(start, len(text)):
        char = text[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _expression(expression: str, component: str, line: int, source: str) -> PropValue:
    """``{name}`` is a query reference; ``{20}``, ``{true}``, ``{['a', 'b']}`` are literals."""
    if expression in _LITERALS:
        return _LITERALS[expression]
    if IDENTIFIER.fullmatch(expression):
        return QueryRef(expression)
    try:
        value = ast.literal_eval(expression)
    except (ValueError, SyntaxError):
        raise ReportError(source, line, f"unsupported expression {{{expression}}}", component=component) from None
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, str | bool | int | float | list):
        raise ReportError(source, line, f"unsupported expression {{{expression}}}", component=component)
    return value
