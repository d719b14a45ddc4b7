"""The components a page may use: which props each takes, their checks, and their HTML.

Props follow Evidence's names. A prop Evidence has but this builder does not draw is an error rather than
silently ignored, so a page never looks different here than its author meant; the lists below are the
supported ones (see reports/README.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from pipelines.reports.charts import chart_spec, columns_of
from pipelines.reports.errors import ReportError
from pipelines.reports.formatting import Format, default_format, format_value, parse_format
from pipelines.reports.markup import esc, json_script, notice, tag
from pipelines.reports.page import Component, Page, QueryRef
from pipelines.reports.readonly_warehouse import Result

_COMMON = ("data", "title", "subtitle", "emptyMessage")
_CHART = ("xAxisTitle", "yAxisTitle", "xFmt", "yFmt", "chartAreaHeight")
_ALIGN = ("left", "center", "right")


@dataclass(frozen=True)
class Kind:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    columns: tuple[str, ...]  # props that name result columns
    formats: tuple[str, ...] = ()  # props that name a format
    render: Callable[[Component, Result, Page], str] | None = None  # None: a chart
    children: tuple[str, ...] = ()
    child_only: bool = False  # <Column> goes only inside a <DataTable>

    @property
    def allowed(self) -> set[str]:
        return {*(() if self.child_only else _COMMON), *self.required, *self.optional}


@dataclass(frozen=True)
class QueryState:
    """What became of a query: its result, or why there is none."""

    result: Result | None = None
    pending: str | None = None  # "table marts.x missing": not built yet
    failed: bool = False


_ids = itertools.count()


def check_component(page: Page, component: Component) -> None:
    """What can be checked without running the query: the component, its attributes, children and data."""
    kind = KINDS.get(component.name)
    if kind is None:
        raise _error(page, component, f"unknown component (supported: {', '.join(sorted(KINDS))})")
    if kind.child_only:
        raise _error(page, component, "goes only inside a component that lists it (e.g. <DataTable>)")
    _check_props(page, component, kind)
    for child in component.children:
        if child.name not in kind.children:
            raise _error(page, child, f"<{child.name}> cannot go inside <{component.name}>")
        _check_props(page, child, KINDS[child.name])
    data = component.props["data"]
    if not isinstance(data, QueryRef) or data.name not in page.queries:
        known = ", ".join(page.queries) or "none"
        raise _error(page, component, f"data must name a query of this page as data={{name}} (queries: {known})")


def render_component(page: Page, component: Component, states: dict[str, QueryState]) -> str:
    """Check ``component`` against its query's result and return its HTML; raises ReportError."""
    check_component(page, component)
    kind = KINDS[component.name]
    data = cast(QueryRef, component.props["data"])  # check_component made sure
    state = states[data.name]
    if state.pending:
        return notice("pending", f"Not built yet: {state.pending} (query '{data.name}').")
    if state.result is None:
        return notice("error", f"Query '{data.name}' failed.")
    _check_columns(page, component, data.name, state.result, kind)
    for child in component.children:
        _check_columns(page, child, data.name, state.result, KINDS[child.name])
    if not state.result.rows and component.name != "Value":
        message = component.props.get("emptyMessage")
        return _titled(component, notice("empty", str(message) if isinstance(message, str) else "No records."))
    if kind.render is None:
        return _titled(component, _chart(component, state.result))
    return kind.render(component, state.result, page)


def _error(page: Page, component: Component, message: str) -> ReportError:
    return ReportError(page.source, component.line, message, component=component.name)


def _check_props(page: Page, component: Component, kind: Kind) -> None:
    unknown = sorted(set(component.props) - kind.allowed)
    if unknown:
        supported = ", ".join(sorted(kind.allowed))
        raise _error(page, component, f"unsupported attribute {', '.join(unknown)} (supported: {supported})")
    missing = [prop for prop in kind.required if prop not in component.props]
    if missing:
        raise _error(page, component, f"missing required attribute {', '.join(missing)}")
    for prop in kind.formats:
        value = component.props.get(prop)
        if value is not None:
            try:
                parse_format(str(value))
            except ValueError as exc:
                raise _error(page, component, f"{prop}: {exc}") from None


def _check_columns(page: Page, component: Component, query: str, result: Result, kind: Kind) -> None:
    for prop in kind.columns:
        for column in columns_of(component.props.get(prop)):
            if column not in result.columns:
                raise _error(
                    page,
                    component,
                    f"{prop}={column}: no such column in query '{query}' (columns: {', '.join(result.columns)})",
                )


def _titled(component: Component, body: str) -> str:
    title, subtitle = component.props.get("title"), component.props.get("subtitle")
    heading = tag("h3", esc(title)) if isinstance(title, str) and component.name != "BigValue" else ""
    heading += tag("p", esc(subtitle), class_="subtitle") if isinstance(subtitle, str) else ""
    return tag("figure", heading + body, class_=f"component {component.name.lower()}")


def _chart(component: Component, result: Result) -> str:
    spec_id = f"chart-spec-{next(_ids)}"
    truncated = notice("truncated", f"Showing the first {len(result.rows):,} rows.") if result.truncated else ""
    return (
        tag("div", "", class_="chart", data_spec=spec_id, data_component=component.name)
        + json_script(spec_id, chart_spec(component, result))
        + truncated
    )


def _format_for(component: Component, prop: str, column: str, result: Result) -> Format:
    name = component.props.get(prop)
    return parse_format(str(name)) if isinstance(name, str) else default_format(column, result.type_of(column))


def _first(result: Result, column: str, row: int = 0) -> Any:
    return result.rows[row][result.columns.index(column)] if len(result.rows) > row else None


def _big_value(component: Component, result: Result, _page: Page) -> str:
    column = str(component.props["value"])
    title = component.props.get("title")
    body = tag("p", esc(title if isinstance(title, str) else column.replace("_", " ").capitalize()), class_="label")
    body += tag(
        "p",
        esc(format_value(_first(result, column), _format_for(component, "fmt", column, result)) or "–"),
        class_="value",
    )
    comparison = component.props.get("comparison")
    if isinstance(comparison, str):
        delta = _first(result, comparison)
        fmt = _format_for(component, "comparisonFmt", comparison, result)
        arrow = (
            "▲ "
            if isinstance(delta, int | float) and delta > 0
            else "▼ "
            if isinstance(delta, int | float) and delta < 0
            else ""
        )
        label = component.props.get("comparisonTitle")
        text = f"{arrow}{format_value(delta, fmt)}" + (f" {label}" if isinstance(label, str) else "")
        direction = "up" if arrow == "▲ " else "down" if arrow else "flat"
        body += tag("p", esc(text), class_=f"comparison {direction}")
    return tag("div", body, class_="component bigvalue")


def _value(component: Component, result: Result, page: Page) -> str:
    column = str(component.props["column"])
    row = component.props.get("row", 0)
    if not str(row).isdigit():
        raise _error(page, component, f"row must be a row number, not {row!r}")
    value = _first(result, column, int(str(row)))
    return tag("span", esc(format_value(value, _format_for(component, "fmt", column, result))), class_="value-inline")


def _data_table(component: Component, result: Result, page: Page) -> str:
    columns = component.children or [Component("Column", {"id": name}, component.line) for name in result.columns]
    formats = [_format_for(column, "fmt", str(column.props["id"]), result) for column in columns]
    indexes = [result.columns.index(str(column.props["id"])) for column in columns]
    numeric = [
        result.type_of(str(column.props["id"]))
        .upper()
        .startswith(("TINY", "SMALL", "INT", "BIG", "HUGE", "U", "FLOAT", "DOUBLE", "REAL", "DECIMAL"))
        for column in columns
    ]
    head = "".join(
        tag(
            "th",
            esc(column.props.get("title") or str(column.props["id"]).replace("_", " ").capitalize()),
            class_=_align(column, is_number),
            scope="col",
        )
        for column, is_number in zip(columns, numeric, strict=True)
    )
    row_number = component.props.get("rowNumbers") is True
    link = result.columns.index(str(component.props["link"])) if "link" in component.props else None
    body = []
    for number, row in enumerate(result.rows, start=1):
        texts = [esc(format_value(row[index], fmt)) for index, fmt in zip(indexes, formats, strict=True)]
        href = row[link] if link is not None else None
        if texts and isinstance(href, str) and _relative(href):
            # Evidence's `link`: the row leads to its page, from its first text column (else its first)
            first = next((i for i, is_number in enumerate(numeric) if not is_number), 0)
            texts[first] = tag("a", texts[first], href=href)
        cells = "".join(
            tag("td", text, class_=_align(column, is_number))
            for column, text, is_number in zip(columns, texts, numeric, strict=True)
        )
        body.append(tag("tr", (tag("td", str(number), class_="num rownum") if row_number else "") + cells))
    rows = component.props.get("rows", 10)
    if not str(rows).isdigit() or int(str(rows)) < 1:
        raise _error(page, component, f"rows must be a positive number, not {rows!r}")
    search = (
        tag("input", "", type="search", placeholder="Search…", aria_label="Search the table")
        if component.props.get("search") is True
        else ""
    )
    table = tag(
        "table",
        tag("thead", tag("tr", (tag("th", "#", class_="num") if row_number else "") + head))
        + tag("tbody", "".join(body)),
    )
    pager = tag("div", "", class_="pager") if len(result.rows) > int(str(rows)) or search else ""
    truncated = notice("truncated", f"Showing the first {len(result.rows):,} rows.") if result.truncated else ""
    return _titled(
        component,
        tag("div", search + tag("div", table, class_="scroll") + pager, class_="table", data_rows=str(rows))
        + truncated,
    )


def _relative(href: str) -> bool:
    """A link to a page of the site: no scheme (javascript:, https:), no host, no absolute path."""
    return bool(href) and ":" not in href.split("/", 1)[0] and not href.startswith(("/", "\\"))


def _align(column: Component, is_number: bool) -> str:
    align = column.props.get("align")
    return str(align) if align in _ALIGN else "num" if is_number else "text"


_CHART_KINDS = {
    "LineChart": Kind(("x", "y"), ("series", *_CHART), ("x", "y", "series"), ("xFmt", "yFmt")),
    "BarChart": Kind(("x", "y"), ("series", "type", "swapXY", *_CHART), ("x", "y", "series"), ("xFmt", "yFmt")),
    "ScatterPlot": Kind(
        ("x", "y"),
        ("series", "size", "tooltipTitle", "sizeFmt", *_CHART),
        ("x", "y", "series", "size", "tooltipTitle"),
        ("xFmt", "yFmt", "sizeFmt"),
    ),
    "Histogram": Kind(("x",), ("xAxisTitle", "yAxisTitle", "xFmt", "chartAreaHeight"), ("x",), ("xFmt",)),
    "Heatmap": Kind(
        ("x", "y", "value"),
        ("valueFmt", "valueLabels", "xSort", "ySort", "xSortOrder", "ySortOrder", *_CHART),
        ("x", "y", "value", "xSort", "ySort"),
        ("xFmt", "yFmt", "valueFmt"),
    ),
}

KINDS: dict[str, Kind] = {
    "BigValue": Kind(
        ("value",),
        ("fmt", "comparison", "comparisonFmt", "comparisonTitle"),
        ("value", "comparison"),
        ("fmt", "comparisonFmt"),
        _big_value,
    ),
    "Value": Kind(("column",), ("row", "fmt"), ("column",), ("fmt",), _value),
    "DataTable": Kind((), ("rows", "search", "rowNumbers", "link"), ("link",), (), _data_table, children=("Column",)),
    "Column": Kind(("id",), ("title", "fmt", "align"), ("id",), ("fmt",), child_only=True),
    **_CHART_KINDS,
}
