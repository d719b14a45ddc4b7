"""Validate a page's queries with sqlglot (DuckDB dialect) against the warehouse's catalog.

- ``${name}`` chaining: the order queries must run in; an unknown name or a cycle is an error.
- Syntax: one SELECT-like statement per query; a parse error names its line.
- Tables: each table a query reads must exist. A missing one is not an error: the query is *pending*
  ("not built yet", e.g. the moods mart before the moods pipeline ran) and so is every query chained to it.
- Columns: with every table present, sqlglot qualifies the query against the real column lists (and
  the result columns of chained queries); a column that resolves nowhere is an error naming its line.

``${name}`` is replaced by the name of the temporary table holding that query's result, on the same
line, so line numbers in errors stay those of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError, ParseError, TokenError
from sqlglot.optimizer.qualify import qualify

from pipelines.reports.errors import ReportError
from pipelines.reports.page import Page, Query
from pipelines.reports.readonly_warehouse import TEMP_PREFIX, Warehouse

CHAIN = re.compile(r"\$\{\s*([^}]*?)\s*\}")
_LINE = re.compile(r"Line: (\d+)")


@dataclass(frozen=True)
class CheckedQuery:
    query: Query
    sql: str  # chaining replaced by temporary table names
    missing_tables: tuple[str, ...] = ()


def temp_table(query_name: str) -> str:
    return f"{TEMP_PREFIX}{query_name}"


def references(query: Query) -> list[str]:
    return [match.group(1) for match in CHAIN.finditer(query.sql)]


def execution_order(page: Page) -> list[Query]:
    """The page's queries, each after the queries it chains (depth-first, in page order otherwise)."""
    ordered: list[Query] = []
    state: dict[str, str] = {}  # name -> "visiting" | "done"

    def visit(query: Query, path: list[str]) -> None:
        if state.get(query.name) == "done":
            return
        if state.get(query.name) == "visiting":
            cycle = " -> ".join([*path[path.index(query.name) :], query.name])
            raise ReportError(page.source, query.line, f"queries chain in a cycle: {cycle}", query=query.name)
        state[query.name] = "visiting"
        for match in CHAIN.finditer(query.sql):
            name = match.group(1)
            line = query.page_line(query.sql.count("\n", 0, match.start()) + 1)
            if name not in page.queries:
                known = ", ".join(page.queries) or "none"
                raise ReportError(
                    page.source, line, f"${{{name}}} names no query on this page (queries: {known})", query=query.name
                )
            visit(page.queries[name], [*path, query.name])
        state[query.name] = "done"
        ordered.append(query)

    for query in page.queries.values():
        visit(query, [])
    return ordered


def check_query(page: Page, query: Query, warehouse: Warehouse, chained: dict[str, dict[str, str]]) -> CheckedQuery:
    """Parse and check ``query``; ``chained`` maps each already-run query's temp table to its columns and types."""
    sql = CHAIN.sub(lambda match: temp_table(match.group(1)), query.sql)
    statement = _parse(page, query, sql)
    ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    missing: list[str] = []
    schema: dict[str, dict[str, dict[str, str]]] = {"main": {name: columns for name, columns in chained.items()}}
    for table in statement.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier) or table.name.lower() in ctes or table.name in chained:
            continue
        if table.catalog and table.catalog.lower() not in (warehouse.database.lower(), "memory"):
            line = query.page_line(table.this.meta.get("line", 1))
            raise ReportError(
                page.source, line, f"only the warehouse can be queried, not {table.catalog}", query=query.name
            )
        schema_name = table.db or "main"
        if not warehouse.has_table(schema_name, table.name):
            missing.append(f"{schema_name}.{table.name}")
            continue
        schema.setdefault(schema_name.lower(), {})[table.name.lower()] = warehouse.tables[
            (schema_name.lower(), table.name.lower())
        ]
    if missing:
        return CheckedQuery(query, sql, tuple(dict.fromkeys(missing)))
    try:
        _check_columns(page, query, statement, schema)
    except ReportError:
        if warehouse.binds(sql):  # sqlglot misread a DuckDB construct: the binder has the last word
            return CheckedQuery(query, sql)
        raise
    return CheckedQuery(query, sql)


def _parse(page: Page, query: Query, sql: str) -> exp.Expression:
    try:
        statements = [statement for statement in sqlglot.parse(sql, read="duckdb") if statement is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        line = query.page_line(int(first.get("line") or 1))
        raise ReportError(
            page.source, line, f"invalid SQL: {first.get('description') or exc}", query=query.name
        ) from None
    except TokenError as exc:
        match = re.search(r"[Ll]ine (\d+)", str(exc))
        line = query.page_line(int(match.group(1)) if match else 1)
        raise ReportError(page.source, line, f"invalid SQL: {exc}", query=query.name) from None
    if len(statements) != 1:
        raise ReportError(
            page.source, query.line, f"a query must be one statement, found {len(statements)}", query=query.name
        )
    statement = statements[0]
    if not isinstance(statement, exp.Query | exp.Pivot):
        raise ReportError(
            page.source, query.line, f"only SELECT queries are allowed, not {statement.key.upper()}", query=query.name
        )
    return statement


def _check_columns(
    page: Page, query: Query, statement: exp.Expression, schema: dict[str, dict[str, dict[str, str]]]
) -> None:
    try:
        qualify(
            statement.copy(),
            schema=_sqlglot_schema(schema),
            dialect="duckdb",
            validate_qualify_columns=True,
            identify=False,
        )
    except OptimizeError as exc:
        message = str(exc)
        if "could not be resolved" not in message and "Unknown column" not in message:
            return  # a construct sqlglot cannot qualify: DuckDB's binder checks it when the query runs
        match = _LINE.search(message)
        line = query.page_line(int(match.group(1)) if match else 1)
        tables = ", ".join(f"{s}.{t}" for s, ts in schema.items() for t in ts if not t.startswith(TEMP_PREFIX))
        chained = ", ".join(
            "${" + t.removeprefix(TEMP_PREFIX) + "}"
            for ts in schema.values()
            for t in ts
            if t.startswith(TEMP_PREFIX) and t in _tables_in(statement)
        )
        sources = ", ".join(part for part in (tables, chained) if part) or "no table"
        text = message.split(". Line:")[0].replace("Column", "column", 1).replace("could not be resolved", "not found")
        raise ReportError(page.source, line, f"{text} in {sources}", query=query.name) from None
    except Exception:  # sqlglot's optimizer on a dialect corner: DuckDB's binder is the backstop
        return


def _tables_in(statement: exp.Expression) -> set[str]:
    return {table.name for table in statement.find_all(exp.Table)}


def _sqlglot_schema(schema: dict[str, dict[str, dict[str, str]]]) -> dict[str, dict[str, dict[str, str]]]:
    """Column types sqlglot can read; a type it cannot parse becomes UNKNOWN (names are what matter here)."""
    readable: dict[str, dict[str, dict[str, str]]] = {}
    for schema_name, tables in schema.items():
        for table, columns in tables.items():
            readable.setdefault(schema_name, {})[table] = {column: _type(kind) for column, kind in columns.items()}
    return readable


def _type(kind: str) -> str:
    try:
        exp.DataType.build(kind, dialect="duckdb")
    except Exception:  # any type sqlglot does not know
        return "UNKNOWN"
    return kind
