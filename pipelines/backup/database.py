"""The warehouse as files and back: DuckDB's EXPORT DATABASE to parquet (zstd), IMPORT DATABASE, and per-table
row counts and checksums to prove the two hold the same rows.

EXPORT DATABASE writes `schema.sql` (schemas, tables, views, macros), `load.sql` (a COPY per table, naming the
folder it exported to) and one parquet file per table. IMPORT DATABASE replays them, but DuckDB 1.5 writes the
views sorted by name, not by dependency (`intermediate.*` before the `staging.*` views they select from), so its
import fails on dbt's views; `import_into` replays the statements itself, retrying those that name an object not
created yet until all are, and reads each parquet file from the folder it is given. dbt-duckdb's views name the
database after the file's stem (`"tmdb"."raw"."movie_details"`), so the import goes into a file of that name.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath

import duckdb

from pipelines.backup.manifest import TableSum


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_sums(connection: duckdb.DuckDBPyConnection) -> list[TableSum]:
    """Every table of the connection's database: rows and the sum of every row's hash (order-independent, and
    unlike a XOR two equal rows do not cancel out). DuckDB's hash() is stable within one DuckDB version."""
    tables = connection.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
        "and not temporary order by 1, 2"
    ).fetchall()
    sums = []
    for schema, name in tables:
        rows, checksum = connection.execute(
            f"select count(*), coalesce(sum(hash(*columns(*))), 0)::varchar from {_quote(schema)}.{_quote(name)}"
        ).fetchone()  # type: ignore[misc]
        sums.append(TableSum(schema=schema, name=name, rows=int(rows), checksum=str(checksum)))
    return sums


def schema_versions(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """dlt's schema versions as the warehouse records them (`raw._dlt_version`, the newest per schema)."""
    exists = connection.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = 'raw' and table_name = '_dlt_version'"
    ).fetchone()
    if not exists or not exists[0]:
        return {}
    rows = connection.execute("select schema_name, max(version) from raw._dlt_version group by 1 order by 1")
    return {str(name): int(version) for name, version in rows.fetchall()}


def export(working: Path, folder: Path) -> tuple[list[TableSum], dict[str, int]]:
    """Checkpoint `working` and export it into `folder` (created; must not exist). The checksums are taken in the
    same transaction as the export, so they describe exactly what was written. The caller holds the writer lock."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(working)) as connection:
        connection.execute("checkpoint")
        connection.execute("begin transaction")
        sums = table_sums(connection)
        versions = schema_versions(connection)
        path = str(folder).replace("'", "''")
        connection.execute(f"export database '{path}' (format parquet, compression zstd)")
        connection.execute("commit")
    return sums, versions


_COPY_FROM = re.compile(r"(?P<head>^\s*COPY\s+.+?\s+FROM\s+)'(?P<path>(?:[^']|'')*)'", re.IGNORECASE | re.DOTALL)


def _create_all(connection: duckdb.DuckDBPyConnection, statements: list[str]) -> None:
    """Run `statements`, deferring any that fails on a missing catalog entry (a view over a view created later)
    and retrying the deferred ones until a round makes no progress; then the first remaining error is raised."""
    pending = statements
    while pending:
        deferred: list[tuple[str, duckdb.Error]] = []
        for statement in pending:
            try:
                connection.execute(statement)
            except duckdb.CatalogException as exc:
                deferred.append((statement, exc))
        if len(deferred) == len(pending):
            raise deferred[0][1]
        pending = [statement for statement, _ in deferred]


def _local_copy(statement: str, folder: Path) -> str:
    """A COPY of load.sql reading its parquet file from `folder`, wherever the export wrote it."""
    match = _COPY_FROM.match(statement)
    if match is None:
        return statement
    file = PurePath(match["path"].replace("''", "'")).name
    local = str(folder / file).replace("'", "''")
    return f"{match['head']}'{local}'{statement[match.end() :]}"


def import_into(folder: Path, target: Path) -> list[TableSum]:
    """Replay the export in `folder` into a new file `target`; the checksums of what it now holds."""
    with duckdb.connect(str(target)) as connection:
        schema = [s.query for s in connection.extract_statements((folder / "schema.sql").read_text("utf-8"))]
        load = [s.query for s in connection.extract_statements((folder / "load.sql").read_text("utf-8"))]
        connection.execute("begin transaction")
        _create_all(connection, schema)
        for statement in load:
            connection.execute(_local_copy(statement, folder))
        connection.execute("commit")
        connection.execute("checkpoint")
        return table_sums(connection)
