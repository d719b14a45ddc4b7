"""Parameterized pages, as Evidence's `[param]` pages: `reports/<folder>/[<param>].md` is one page per value.

Evidence renders `pages/movies/[movie_id].md` for each `movie_id` its links point to; a static build needs the
values up front, so the page's frontmatter says which: `params: select movie_id from marts.dim_movie` (one
column, named after the parameter). Queries read the value as Evidence does, `${params.movie_id}`; the title can
come from a query, `title_column: movie.title` (the first row's value). Each value becomes
`<folder>-<value>.html` beside the other pages (the site is flat files), e.g. `movies-19995.html`, so tables
elsewhere link rows to it with `DataTable link=column` (`'movies-' || movie_id || '.html'`).

Checked once, run per value: every query is validated (sqlglot, against the warehouse) with a placeholder in place
of the value, then run for each value with the value's literal in its place, so a thousand pages cost a thousand
times the queries, not the checks. Values that are not integers or plain names ([A-Za-z0-9_-]) are skipped with a
warning (they would not make safe file names).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from pipelines.reports.components import QueryState, render_component
from pipelines.reports.errors import ReportError
from pipelines.reports.markup import esc, tag
from pipelines.reports.page import Page, QueryRef, parse_page
from pipelines.reports.readonly_warehouse import Result, Warehouse
from pipelines.reports.render import markdown_to_html, queries_section
from pipelines.reports.sqlcheck import check_query, execution_order, references, temp_table

TEMPLATE_NAME = re.compile(r"^\[([A-Za-z_][A-Za-z0-9_]*)\]$")
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PLACEHOLDER = "(-7319264580193)"  # a literal that never occurs in a page: where the value goes


@dataclass
class ParamTemplate:
    page: Page  # the template, `${params.<param>}` replaced by PLACEHOLDER
    param: str
    folder: str

    def file_name(self, value: Any) -> str:
        return f"{self.folder}-{value}.html"


@dataclass
class ParamPage:
    name: str  # the file name
    title: str
    body: str


@dataclass
class ParamBuild:
    template: ParamTemplate
    pages: list[ParamPage] = field(default_factory=list)
    errors: list[ReportError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    queries_run: int = 0
    seconds: float = 0.0


def load_templates(pages_dir: Path) -> tuple[list[ParamTemplate], list[ReportError]]:
    """Every `<folder>/[param].md` of the pages folder."""
    templates, errors = [], []
    for path in sorted(pages_dir.glob("*/*.md")):
        match = TEMPLATE_NAME.match(path.stem)
        if match is None:
            continue
        param = match.group(1)
        try:
            page = parse_page(path)
        except ReportError as exc:
            errors.append(exc)
            continue
        if not isinstance(page.frontmatter.get("params"), str):
            errors.append(ReportError(str(path), 1, f"a [{param}] page needs `params:`, a query of its {param} values"))
            continue
        pattern = re.compile(r"\$\{\s*params\." + param + r"\s*\}")
        queries = {name: replace(q, sql=pattern.sub(PLACEHOLDER, q.sql)) for name, q in page.queries.items()}
        templates.append(ParamTemplate(replace(page, queries=queries), param, path.parent.name))
    return templates, errors


def _literal(value: Any) -> str:
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"


def _values(template: ParamTemplate, warehouse: Warehouse, build: ParamBuild) -> list[Any]:
    page = template.page
    try:
        rows = warehouse.connection.execute(str(page.frontmatter["params"])).fetchall()
    except duckdb.CatalogException as exc:  # a table not built yet: no pages this time
        build.warnings.append(f"{page.source}: params not run, not built yet: {str(exc).splitlines()[0]}")
        return []
    except duckdb.Error as exc:
        build.errors.append(ReportError(page.source, 1, f"params: {str(exc).splitlines()[0]}"))
        return []
    values = [row[0] for row in rows if row and row[0] is not None]
    unsafe = [v for v in values if not (isinstance(v, int) or _SAFE_VALUE.match(str(v)))]
    if unsafe:
        build.warnings.append(f"{page.source}: {len(unsafe)} {template.param} values skipped (not names): {unsafe[:3]}")
    return list(dict.fromkeys(v for v in values if v not in unsafe))


def build_param_pages(template: ParamTemplate, warehouse: Warehouse, max_rows: int, page_names: set[str]) -> ParamBuild:
    """One page per value of the template's `params` query; errors are the template's (named by its line)."""
    started = time.perf_counter()
    build = ParamBuild(template)
    page = template.page
    values = _values(template, warehouse, build)
    checked: dict[str, str | None] = {}  # query -> its checked SQL with the placeholder; None: not built yet
    displayed = {d.name for c in page.components if isinstance(d := c.props.get("data"), QueryRef)}
    try:
        order = execution_order(page)
    except ReportError as exc:
        build.errors.append(exc)
        return build
    chained_to = {name for query in order for name in references(query)}
    columns: dict[str, dict[str, str]] = {}  # chained queries' temp tables and their columns (the same per value)
    for value in values:
        states: dict[str, QueryState] = {}
        for query in order:
            upstream = [states[name] for name in references(query)]
            if pending := next((s.pending for s in upstream if s.pending), None):
                states[query.name] = QueryState(pending=pending)
                continue
            try:
                if query.name not in checked:
                    result = check_query(page, query, warehouse, columns)
                    checked[query.name] = None if result.missing_tables else result.sql
                    if result.missing_tables:
                        missing = ", ".join(result.missing_tables)
                        build.warnings.append(f"{page.source}: query '{query.name}' not run: table {missing} missing")
                sql = checked[query.name]
                if sql is None:
                    states[query.name] = QueryState(pending="table missing")
                    continue
                rows = max_rows if query.name in displayed else 0
                sql = sql.replace(PLACEHOLDER, _literal(value))
                if query.name in chained_to:  # other queries read it: a temporary table, as on other pages
                    result_rows = warehouse.materialize(temp_table(query.name), sql, rows)
                    if temp_table(query.name) not in columns:
                        columns[temp_table(query.name)] = warehouse.temp_columns(temp_table(query.name))
                else:
                    result_rows = _run(warehouse, sql, rows)
            except ReportError as exc:
                build.errors.append(exc)
                return build
            except duckdb.Error as exc:
                build.errors.append(ReportError(page.source, query.line, str(exc).splitlines()[0], query=query.name))
                return build
            states[query.name] = QueryState(result=result_rows)
            build.queries_run += 1
        try:
            rendered = {c.token: render_component(page, c, states) for c in page.components}
        except ReportError as exc:
            build.errors.append(exc)
            return build
        finally:
            if chained_to:
                warehouse.drop_temp_tables()
        title = _title(page, states) or f"{page.title} {value}"
        lead = tag("p", esc(page.description), class_="lead") if page.description else ""
        body = tag("h1", esc(title)) + lead + markdown_to_html(page, rendered, page_names) + queries_section(page)
        build.pages.append(ParamPage(template.file_name(value), title, body))
    build.seconds = time.perf_counter() - started
    return build


def _run(warehouse: Warehouse, sql: str, max_rows: int) -> Result:
    """A query no other query reads: run directly (a temporary table per query and value costs more than the
    query itself on small per-movie results)."""
    cursor = warehouse.connection.execute(sql)
    rows = cursor.fetchmany(max_rows + 1) if max_rows else []
    description = cursor.description or []
    return Result(
        columns=[column[0] for column in description],
        types=[str(column[1]) for column in description],
        rows=rows[:max_rows],
        truncated=len(rows) > max_rows,
    )


def _title(page: Page, states: dict[str, QueryState]) -> str | None:
    """`title_column: query.column`: the first row's value, when the query has a row."""
    spec = page.frontmatter.get("title_column")
    if not isinstance(spec, str) or "." not in spec:
        return None
    query, column = spec.split(".", 1)
    result = states.get(query, QueryState()).result
    if result is None or not result.rows or column not in result.columns:
        return None
    value = result.rows[0][result.columns.index(column)]
    return None if value is None else str(value)
