"""Build the static site: every page of ``pages_dir`` against the warehouse, into ``out_dir``.

The rule for tables that do not exist (reports/README.md): a query reading a table the warehouse does not
have is *not built yet*; its components show a notice naming the table, the page is still written and the
build warns. Everything else wrong with a page (invalid SQL, a missing column of an existing table, an
unknown component or attribute, a column a component names that its query does not return) is an error:
nothing is written and the error names the page file, the query or component, and the line.
With ``strict=True`` a missing table is an error too.

The site is written to a fresh folder beside ``out_dir`` and swapped in at the end, so a failed build
leaves the previous site as it was.
"""

from __future__ import annotations

import difflib
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.reports.assets import write_assets
from pipelines.reports.components import QueryState, render_component
from pipelines.reports.dbt_docs import SITE_FOLDER, copy_dbt_docs
from pipelines.reports.errors import ReportError, SiteBuildError
from pipelines.reports.explorer import write_explorer
from pipelines.reports.markup import NavLink, esc, layout, notice, render_template, tag
from pipelines.reports.page import Page, Query, QueryRef, parse_page
from pipelines.reports.param_pages import ParamBuild, build_param_pages, load_templates
from pipelines.reports.publish import neighbour_sites, publish, staging_folder
from pipelines.reports.readonly_warehouse import Warehouse
from pipelines.reports.render import markdown_to_html, queries_section
from pipelines.reports.sqlcheck import check_query, execution_order, references, temp_table

EXPLORER_DESCRIPTION = "Pick a mood, a genre and a decade for the best movies; type a title for its moods and more."
DEFAULT_MAX_ROWS = 5_000  # rows of one query's result put in a page; more is truncated with a warning
# Sites other tools publish beside the reports, linked from the index when present.
NEIGHBOURS = {"quality": "Data quality docs: the Great Expectations suites and validation results."}
_DUCKDB_LINE = re.compile(r"LINE (\d+):")
_SKIPPED = {"readme.md"}


@dataclass
class PageResult:
    name: str
    title: str
    description: str
    path: Path
    queries_run: int
    pending_tables: list[str] = field(default_factory=list)
    seconds: float = 0.0  # running the page's queries and rendering it


@dataclass
class SiteResult:
    pages: list[PageResult]
    queries_run: int
    warnings: list[str]
    index_path: Path
    dbt_docs_path: Path | None
    seconds: float
    param_pages: int = 0  # pages of the `[param]` templates (one per movie...), not in `pages`

    @property
    def pages_built(self) -> int:
        return len(self.pages)

    def summary(self) -> str:
        """One line: pages, pages waiting for tables, queries, warnings, time, and dbt docs when there."""
        waiting = sum(1 for page in self.pages if page.pending_tables)
        docs = f"; dbt docs: {self.dbt_docs_path}" if self.dbt_docs_path else ""
        params = f" + {self.param_pages:,} parameterized pages" if self.param_pages else ""
        return (
            f"{self.pages_built} pages{params} ({waiting} waiting for tables not built yet), "
            f"{self.queries_run} queries, "
            f"{len(self.warnings)} warnings, {self.seconds:.1f} s{docs}"
        )


@dataclass
class _Built:
    page: Page
    body: str = ""
    states: dict[str, QueryState] = field(default_factory=dict)
    queries_run: int = 0
    errors: list[ReportError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pending_tables: list[str] = field(default_factory=list)
    seconds: float = 0.0


def load_pages(pages_dir: Path) -> tuple[list[Page], list[ReportError]]:
    """Every ``*.md`` of ``pages_dir`` (not README.md), in sidebar order; parse errors are returned."""
    if not pages_dir.is_dir():
        raise FileNotFoundError(f"pages folder not found: {pages_dir}")
    pages, errors = [], []
    for path in sorted(pages_dir.glob("*.md")):
        if path.name.lower() in _SKIPPED:
            continue
        if path.stem == "index":
            errors.append(ReportError(str(path), 1, "index.md is reserved: the builder writes the site's index"))
            continue
        try:
            pages.append(parse_page(path))
        except ReportError as exc:
            errors.append(exc)
    return sorted(pages, key=lambda page: page.order), errors


def build_site(
    duckdb_path: Path,
    pages_dir: Path,
    out_dir: Path,
    dbt_docs_dir: Path | None = None,
    *,
    strict: bool = False,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> SiteResult:
    """Build the site; ``dbt_docs_dir`` is dbt's target folder holding ``static_index.html``, when wanted.

    Raises SiteBuildError (listing every error) and writes nothing when any page has an error.
    """
    started = time.perf_counter()
    pages, errors = load_pages(pages_dir)
    templates, template_errors = load_templates(pages_dir)
    errors += template_errors
    with Warehouse(duckdb_path) as warehouse:
        names = {page.name for page in pages}
        built = [_build_page(page, warehouse, max_rows, strict, names) for page in pages]
        param_builds = [build_param_pages(template, warehouse, max_rows, names) for template in templates]
    errors += [error for page in built for error in page.errors]
    errors += [error for build in param_builds for error in build.errors]
    if errors:
        raise SiteBuildError(errors)
    staging = staging_folder(out_dir)
    try:
        dbt_docs = copy_dbt_docs(dbt_docs_dir, staging) if dbt_docs_dir is not None else None
        write_assets(staging)
        page_files = {page.name for build in param_builds for page in build.pages}  # movies link to their pages
        explorer = write_explorer(staging, duckdb_path, page_files=page_files)  # when the warehouse has moods
        others = _other_sites(out_dir, dbt_docs is not None)
        if explorer is not None:  # linked from the index and every page's navigation
            others.insert(0, (explorer.name, "Mood explorer", EXPLORER_DESCRIPTION))
        results = [_write_page(page, built, staging, others) for page in built]
        _write_param_pages(param_builds, built, staging, others)
        warnings = [warning for page in built for warning in page.warnings]
        warnings += [warning for build in param_builds for warning in build.warnings]
        seconds = time.perf_counter() - started
        _write_index(staging, results, warnings, duckdb_path, others, seconds)
        publish(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for result in results:
        result.path = out_dir / result.path.name
    return SiteResult(
        pages=results,
        param_pages=sum(len(build.pages) for build in param_builds),
        queries_run=sum(page.queries_run for page in built) + sum(build.queries_run for build in param_builds),
        warnings=warnings,
        index_path=(out_dir / "index.html").resolve(),
        dbt_docs_path=(out_dir / SITE_FOLDER / "index.html").resolve() if dbt_docs else None,
        seconds=time.perf_counter() - started,
    )


def _build_page(page: Page, warehouse: Warehouse, max_rows: int, strict: bool, page_names: set[str]) -> _Built:
    started = time.perf_counter()
    built = _Built(page)
    try:
        _run_queries(built, warehouse, max_rows, strict)
    finally:
        warehouse.drop_temp_tables()
    rendered: dict[str, str] = {}
    for component in page.components:
        try:
            rendered[component.token] = render_component(page, component, built.states)
        except ReportError as exc:
            built.errors.append(exc)
    if built.errors:
        return built
    banner = ""
    if built.pending_tables:
        tables = ", ".join(built.pending_tables)
        banner = notice(
            "pending",
            f"Not built yet: this page reads {tables}, which the warehouse does not have yet. "
            "The parts that need it are left out until the pipeline that builds it has run.",
        )
    built.body = banner + markdown_to_html(page, rendered, page_names) + queries_section(page)
    built.seconds = time.perf_counter() - started
    return built


def _run_queries(built: _Built, warehouse: Warehouse, max_rows: int, strict: bool) -> None:
    page = built.page
    try:
        order = execution_order(page)
    except ReportError as exc:
        built.errors.append(exc)
        built.states = {name: QueryState(failed=True) for name in page.queries}
        return
    chained: dict[str, dict[str, str]] = {}
    displayed = {
        data.name for component in page.components if isinstance(data := component.props.get("data"), QueryRef)
    }
    for query in order:
        upstream = [built.states[name] for name in references(query)]
        if pending := next((state.pending for state in upstream if state.pending), None):
            built.states[query.name] = QueryState(pending=pending)
            continue
        if any(state.failed for state in upstream):
            built.states[query.name] = QueryState(failed=True)
            continue
        try:
            checked = check_query(page, query, warehouse, chained)
            if checked.missing_tables:
                reason = _missing(checked.missing_tables, warehouse)
                if strict:
                    raise ReportError(page.source, query.line, f"not built yet: {reason}", query=query.name)
                built.states[query.name] = QueryState(pending=reason)
                built.pending_tables += [t for t in checked.missing_tables if t not in built.pending_tables]
                built.warnings.append(f"{page.source}: query '{query.name}' not run: not built yet: {reason}")
                continue
            rows = max_rows if query.name in displayed else 0  # a query only chained needs no rows in Python
            result = warehouse.materialize(temp_table(query.name), checked.sql, rows)
        except ReportError as exc:
            built.errors.append(exc)
            built.states[query.name] = QueryState(failed=True)
            continue
        except duckdb.Error as exc:
            built.errors.append(_duckdb_error(page, query, exc))
            built.states[query.name] = QueryState(failed=True)
            continue
        chained[temp_table(query.name)] = warehouse.temp_columns(temp_table(query.name))
        built.states[query.name] = QueryState(result=result)
        built.queries_run += 1
        if result.truncated:
            built.warnings.append(
                f"{page.source}: query '{query.name}' returned more than {max_rows:,} rows; "
                f"the page shows the first {max_rows:,}"
            )


def _missing(tables: tuple[str, ...], warehouse: Warehouse) -> str:
    names = []
    for table in tables:
        close = difflib.get_close_matches(table.lower(), warehouse.table_names(), n=1, cutoff=0.85)
        names.append(f"{table}" + (f" (did you mean {close[0]}?)" if close else ""))
    return f"table {', '.join(names)} missing"


def _duckdb_error(page: Page, query: Query, exc: duckdb.Error) -> ReportError:
    """DuckDB's binder is the backstop of sqlglot's checks; its messages carry ``LINE n:`` when it knows."""
    message = str(exc)
    match = _DUCKDB_LINE.search(message)
    return ReportError(
        page.source, query.page_line(int(match.group(1)) if match else 1), message.split("\n")[0], query=query.name
    )


def _nav(built: list[_Built], current: str | None, others: list[tuple[str, str, str]]) -> list[NavLink]:
    links = [NavLink(f"{page.page.name}.html", page.page.title, page.page.name == current) for page in built]
    return links + [NavLink(href, title) for href, title, _text in others]


def _write_page(
    built: _Built, everything: list[_Built], out_dir: Path, others: list[tuple[str, str, str]]
) -> PageResult:
    page = built.page
    lead = tag("p", esc(page.description), class_="lead") if page.description else ""
    html = layout(
        page.title,
        tag("h1", esc(page.title)) + lead + built.body,
        _nav(everything, page.name, others),
        description=page.description,
    )
    path = out_dir / f"{page.name}.html"
    path.write_text(html, encoding="utf-8")
    return PageResult(
        page.name, page.title, page.description, path, built.queries_run, list(built.pending_tables), built.seconds
    )


def _write_param_pages(
    builds: list[ParamBuild], everything: list[_Built], out_dir: Path, others: list[tuple[str, str, str]]
) -> None:
    nav = _nav(everything, None, others)
    for build in builds:
        description = build.template.page.description
        for page in build.pages:
            html = layout(page.title, page.body, nav, description=description)
            (out_dir / page.name).write_text(html, encoding="utf-8")


def _other_sites(out_dir: Path, dbt_docs: bool) -> list[tuple[str, str, str]]:
    """(href, title, description) of the documentation sites beside the reports."""
    sites = [(f"{SITE_FOLDER}/index.html", "dbt docs", "Models, sources, tests, lineage and columns (dbt docs).")]
    sites = sites if dbt_docs else []
    for name in neighbour_sites(out_dir):
        title = "Data quality docs" if name == "quality" else name
        sites.append((f"{name}/index.html", title, NEIGHBOURS.get(name, f"Published to {name}/ by another tool.")))
    return sites


def _write_index(
    staging: Path,
    results: list[PageResult],
    warnings: list[str],
    duckdb_path: Path,
    others: list[tuple[str, str, str]],
    seconds: float,
) -> None:
    nav = [NavLink(result.path.name, result.title) for result in results]
    nav += [NavLink(href, title) for href, title, _text in others]  # the same links as every page's nav
    index = render_template(
        "index.html",
        "Reports",
        nav,
        pages=results,
        others=others,
        built_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        warehouse=duckdb_path.name,
        seconds=seconds,
        warnings=len(warnings),
    )
    (staging / "index.html").write_text(index, encoding="utf-8")
