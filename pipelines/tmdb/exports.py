"""TMDB's Daily ID Exports: every valid movie id with its popularity, one gzipped JSON-lines file a day.

`https://files.tmdb.org/p/exports/movie_ids_MM_DD_YYYY.json.gz` (published by 08:00 UTC, kept for 3 months, no
API key), one object per line: `{"adult":false,"id":3924,"original_title":"Blondie","popularity":2.4,"video":false}`.

Resources (the parent `catalog_exports` is not loaded itself; three transformers route what it reads):
- `movie_catalog_daily` (merge, delete-insert on `export_date`: re-loading a day replaces it whole): movie_id,
  export_date, popularity, adult, video, original_title.
- `catalog_export_log` (append): one row per day this run looked at: `loaded`, `missing` (404: not published
  yet, or never), `failed` (truncated or corrupt after the retries) or `expired` (a gap older than TMDB keeps).
- `movie_tombstones` (merge on movie_id, shared with the details 404s): ids present in the previous loaded day's
  export and absent from the next one are deletions, detected without a request; an id that comes back deletes
  its tombstone (dlt's `hard_delete` column `restored`): it is restored.

The person export (`person_ids_MM_DD_YYYY.json.gz`, `{"adult","id","name","popularity"}` a line) loads the same
way (`ExportKind` says what differs: `PERSON_EXPORT`): `person_exports` -> `person_popularity_daily` (person_id,
export_date, popularity, adult, name) and `person_export_log`, with its own cursor and no tombstones (people are
not tracked by the export; a person missing one day is not a deletion the warehouse acts on).

Incremental by export date in dlt state (`catalog_exports` resource state): `last_date`, the newest day loaded,
and `pending`, the days missing or failed, retried by every later run until they load or expire. The first run
backfills `[sources.tmdb] catalog_backfill_days` days (default 90, TMDB's retention). Each file is streamed to a
temporary file (checked to be a complete gzip while it arrives), then read line by line in batches: never the
whole file in memory. A line with a null popularity or that is not a JSON object is counted and skipped with one
warning per day.
"""

from __future__ import annotations

import gzip
import logging
import os
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dlt
import numpy as np
import orjson
import pyarrow as pa
import requests
import urllib3
from dlt.common.schema.typing import TColumnSchema
from dlt.extract.resource import DltResource
from dlt.sources.helpers.requests import Client

from pipelines.tmdb.tombstones import tombstone_columns

log = logging.getLogger(__name__)

TMDB_API_BASE_URL = "https://api.themoviedb.org/3"
TMDB_FILES_BASE_URL = "https://files.tmdb.org/p/exports"
FILES_BASE_URL_ENV = "TMDB_FILES_BASE_URL"
DEFAULT_BACKFILL_DAYS = 90
RETENTION_DAYS = 90
EXPORT_SOURCE = "daily_id_export"

CATALOG_COLUMNS: dict[str, TColumnSchema] = {
    "movie_id": {"data_type": "bigint", "nullable": False},
    "export_date": {"data_type": "date", "nullable": False},
    "popularity": {"data_type": "double"},
    "adult": {"data_type": "bool"},
    "video": {"data_type": "bool"},
    "original_title": {"data_type": "text"},
}
LOG_COLUMNS: dict[str, TColumnSchema] = {
    "export_date": {"data_type": "date", "nullable": False},
    "checked_at": {"data_type": "timestamp", "nullable": False},
    "outcome": {"data_type": "text", "nullable": False},
    "row_count": {"data_type": "bigint"},
    "null_popularity_lines": {"data_type": "bigint"},
    "malformed_lines": {"data_type": "bigint"},
    "attempts": {"data_type": "bigint"},
    "error": {"data_type": "text"},
}
CATALOG_TOMBSTONE_COLUMNS: dict[str, TColumnSchema] = {
    **tombstone_columns("movie_id"),
    "detected_by": {"data_type": "text"},
    "restored": {"data_type": "bool", "hard_delete": True},
}


def files_base_url(override: str | None = None) -> str:
    return (override or os.environ.get(FILES_BASE_URL_ENV) or TMDB_FILES_BASE_URL).rstrip("/")


def files_base_url_for(api_base_url: str) -> str | None:
    """Where to read the exports for a run against `api_base_url`: $TMDB_FILES_BASE_URL when set, TMDB's files
    when the API is TMDB's own; None (no exports) for another API server (a recording, a proxy), which would
    not serve the files either."""
    if os.environ.get(FILES_BASE_URL_ENV):
        return files_base_url()
    if api_base_url.rstrip("/") == TMDB_API_BASE_URL:
        return TMDB_FILES_BASE_URL
    log.info("no daily ID exports: the API is %s and %s is not set", api_base_url, FILES_BASE_URL_ENV)
    return None


@dataclass(frozen=True)
class ExportKind:
    """One of TMDB's daily exports: its file name, its resource and tables, the fields of its lines."""

    name: str  # the file is {name}_ids_MM_DD_YYYY.json.gz
    resource: str  # the dlt resource reading the files; its state holds the cursor
    rows_table: str
    log_table: str
    id_column: str
    fields: tuple[tuple[str, pa.DataType], ...]  # besides id and popularity: kept when of the type, else NULL
    tombstones: bool  # ids absent from the next day's file are deletions (movie_tombstones)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field(self.id_column, pa.int64(), nullable=False),
                pa.field("export_date", pa.date32(), nullable=False),
                pa.field("popularity", pa.float64()),
                *(pa.field(name, kind) for name, kind in self.fields),
            ]
        )

    def columns(self) -> dict[str, TColumnSchema]:
        types = {pa.bool_(): "bool", pa.string(): "text"}
        return {
            self.id_column: {"data_type": "bigint", "nullable": False},
            "export_date": {"data_type": "date", "nullable": False},
            "popularity": {"data_type": "double"},
            **{name: {"data_type": types[kind]} for name, kind in self.fields},  # type: ignore[misc]
        }


MOVIE_EXPORT = ExportKind(
    name="movie",
    resource="catalog_exports",
    rows_table="movie_catalog_daily",
    log_table="catalog_export_log",
    id_column="movie_id",
    fields=(("adult", pa.bool_()), ("video", pa.bool_()), ("original_title", pa.string())),
    tombstones=True,
)
PERSON_EXPORT = ExportKind(
    name="person",
    resource="person_exports",
    rows_table="person_popularity_daily",
    log_table="person_export_log",
    id_column="person_id",
    fields=(("adult", pa.bool_()), ("name", pa.string())),
    tombstones=False,
)


def export_url(base_url: str, day: date, kind: ExportKind = MOVIE_EXPORT) -> str:
    return f"{base_url.rstrip('/')}/{kind.name}_ids_{day:%m_%d_%Y}.json.gz"


@dataclass(frozen=True)
class ExportSettings:
    base_url: str = TMDB_FILES_BASE_URL
    # days the first run loads, ending on the run's day; tmdb_source sets it from `[sources.tmdb] catalog_backfill_days`
    backfill_days: int = DEFAULT_BACKFILL_DAYS
    retention_days: int = RETENTION_DAYS  # a gap older than this is dropped (TMDB no longer has the file)
    first_date: date | None = None  # never ask for a day before this one (e.g. the emulator's start date)
    attempts: int = 3  # downloads of a truncated or corrupt file before the day fails
    backoff_seconds: float = 1.0
    timeout: float = 60.0
    batch_size: int = 100_000


class ExportMissing(Exception):
    """The file is not there (404/403): not published yet, never published, or expired."""


class ExportCorrupt(Exception):
    """The body is not a complete gzip (truncated, garbled, connection cut)."""


@dataclass
class DayOutcome:
    day: date
    outcome: str  # loaded | missing | failed | expired
    rows: int = 0
    null_popularity: int = 0
    malformed: int = 0
    attempts: int = 0
    error: str | None = None

    def log_row(self) -> dict[str, Any]:
        return {
            "export_date": self.day,
            "checked_at": datetime.now(UTC),
            "outcome": self.outcome,
            "row_count": self.rows,
            "null_popularity_lines": self.null_popularity,
            "malformed_lines": self.malformed,
            "attempts": self.attempts,
            "error": self.error,
        }


@dataclass
class CatalogContext:
    """What the warehouse knew before the run: the newest loaded export day with its ids, and the tombstones."""

    last_loaded: date | None = None
    last_ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    tombstoned: frozenset[int] = frozenset()
    outcomes: list[DayOutcome] = field(default_factory=list)  # filled by the run, for its report


@dataclass(frozen=True)
class Item:
    """What `catalog_exports` yields: `kind` says which transformer takes it."""

    kind: str  # rows | log | tombstones
    payload: Any  # an arrow table (rows) or a list of dicts


def download(session: requests.Session, url: str, dest: Path, timeout: float) -> None:
    """Stream `url` to `dest`, checking on the way that the gzip is complete. Raises ExportMissing/ExportCorrupt."""
    try:
        with session.get(url, stream=True, timeout=timeout) as response:
            if response.status_code in (403, 404):
                raise ExportMissing(f"HTTP {response.status_code}")
            if response.status_code >= 400:
                raise ExportCorrupt(f"HTTP {response.status_code}")
            check = zlib.decompressobj(wbits=31)
            with open(dest, "wb") as out:
                for chunk in response.raw.stream(1 << 20, decode_content=False):
                    out.write(chunk)
                    data = chunk
                    while data:  # gzip members one after another are one valid file
                        if check.eof:
                            check = zlib.decompressobj(wbits=31)
                        check.decompress(data)  # only checked, the output is dropped
                        data = check.unused_data if check.eof else b""
            if not check.eof:
                raise ExportCorrupt("truncated gzip (the file ends before the end of its compressed stream)")
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
        raise ExportCorrupt(f"truncated or cut body ({type(exc).__name__})") from exc
    except zlib.error as exc:
        raise ExportCorrupt(f"corrupt gzip: {exc}") from exc
    except OSError as exc:
        if isinstance(exc, ExportMissing | ExportCorrupt):
            raise
        raise ExportCorrupt(f"{type(exc).__name__}: {exc}") from exc


ARROW_SCHEMA = MOVIE_EXPORT.arrow_schema()
_PYTHON_TYPES = {pa.bool_(): bool, pa.string(): str}


def read_rows(
    path: Path, day: date, batch_size: int, outcome: DayOutcome, kind: ExportKind = MOVIE_EXPORT
) -> Iterator[pa.Table]:
    """The file's valid lines as arrow tables of `batch_size` rows; odd lines are counted in `outcome` and skipped."""
    ids: list[int] = []
    popularity: list[float] = []
    names = [name for name, _ in kind.fields]
    types = [_PYTHON_TYPES[arrow_type] for _, arrow_type in kind.fields]
    values: list[list[Any]] = [[] for _ in kind.fields]
    # per field: where its value goes, its key, its type (a value of another type is NULL); rebuilt with each batch
    extract = [(column.append, n, t) for column, n, t in zip(values, names, types, strict=True)]
    schema = kind.arrow_schema()

    def table() -> pa.Table:
        outcome.rows += len(ids)
        return pa.Table.from_arrays(
            [
                pa.array(ids, pa.int64()),
                pa.array([day] * len(ids), pa.date32()),
                pa.array(popularity, pa.float64()),
                *(pa.array(column, arrow_type) for column, (_, arrow_type) in zip(values, kind.fields, strict=True)),
            ],
            schema=schema,
        )

    with gzip.open(path, "rb") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError:
                outcome.malformed += 1
                continue
            object_id = obj.get("id") if isinstance(obj, dict) else None
            if type(object_id) is not int:
                outcome.malformed += 1
                continue
            pop = obj.get("popularity")
            if type(pop) is not float and type(pop) is not int:
                outcome.null_popularity += 1
                continue
            ids.append(object_id)
            popularity.append(pop)
            for append, name, python_type in extract:
                value = obj.get(name)
                append(value if type(value) is python_type else None)
            if len(ids) >= batch_size:
                yield table()
                ids, popularity, values = [], [], [[] for _ in kind.fields]
                extract = [(column.append, n, t) for column, n, t in zip(values, names, types, strict=True)]
    if ids:
        yield table()


def days_to_fetch(state: dict[str, Any], today: date, settings: ExportSettings) -> tuple[list[date], list[date]]:
    """(days to try, ascending; gaps expired): pending gaps, then the days after the newest loaded one."""
    oldest = today - timedelta(days=settings.retention_days - 1)
    if settings.first_date:
        oldest = max(oldest, settings.first_date)
    last = state.get("last_date")
    if last:
        begin = date.fromisoformat(last) + timedelta(days=1)
    else:
        begin = today - timedelta(days=max(settings.backfill_days, 1) - 1)
    begin = max(begin, oldest)
    pending = sorted({date.fromisoformat(d) for d in state.get("pending", [])})
    expired = [d for d in pending if d < oldest]
    wanted = {d for d in pending if oldest <= d <= today}
    wanted.update(begin + timedelta(days=n) for n in range((today - begin).days + 1))
    return sorted(wanted), expired


def _fetch_day(
    session: requests.Session, settings: ExportSettings, day: date, folder: Path, kind: ExportKind = MOVIE_EXPORT
) -> tuple[Path | None, DayOutcome]:
    url = export_url(settings.base_url, day, kind)
    dest = folder / f"{kind.name}_ids_{day:%m_%d_%Y}.json.gz"
    outcome = DayOutcome(day, "failed")
    for attempt in range(1, settings.attempts + 1):
        outcome.attempts = attempt
        try:
            download(session, url, dest, settings.timeout)
            outcome.outcome = "loaded"
            return dest, outcome
        except ExportMissing as exc:
            outcome.outcome, outcome.error = "missing", f"{url}: {exc}: not published (yet)"
            return None, outcome
        except ExportCorrupt as exc:
            outcome.error = f"{url}: {exc}"
            log.warning("%s export %s, attempt %d/%d: %s", kind.name, day, attempt, settings.attempts, exc)
            if attempt < settings.attempts:
                time.sleep(settings.backoff_seconds * 2 ** (attempt - 1))
    return None, outcome


def export_days(
    snapshot_date: date,
    settings: ExportSettings,
    context: CatalogContext,
    client: Client | None = None,
    kind: ExportKind = MOVIE_EXPORT,
) -> Iterator[Item]:
    """Every day's export not loaded yet (and the pending gaps), as `Item`s for the transformers below (the body
    of the `catalog_exports` and `person_exports` resources)."""
    state = dlt.current.resource_state()
    days, expired = days_to_fetch(state, snapshot_date, settings)
    pending = {d for d in state.get("pending", []) if date.fromisoformat(d) not in expired}
    last = date.fromisoformat(state["last_date"]) if state.get("last_date") else None
    for day in expired:
        log.warning(
            "%s export %s: still missing after %d days, TMDB no longer keeps it: given up",
            kind.name,
            day,
            settings.retention_days,
        )
        context.outcomes.append(DayOutcome(day, "expired", error="older than the exports' retention"))
    session = (client or Client(request_timeout=settings.timeout, raise_for_status=False)).session
    previous_day, previous_ids = context.last_loaded, context.last_ids
    tombstoned = set(context.tombstoned)
    tombstones: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="tmdb-exports-") as folder:
        for day in days:
            path, outcome = _fetch_day(session, settings, day, Path(folder), kind)
            context.outcomes.append(outcome)
            if path is None:
                pending.add(day.isoformat())
                if outcome.outcome == "missing":
                    log.warning(
                        "%s export %s missing (%s): recorded as a gap, retried by later runs",
                        kind.name,
                        day,
                        outcome.error,
                    )
                else:
                    log.error(
                        "%s export %s failed after %d attempts: %s", kind.name, day, outcome.attempts, outcome.error
                    )
                continue
            ids: list[np.ndarray] = []
            try:
                for batch in read_rows(path, day, settings.batch_size, outcome, kind):
                    ids.append(batch.column(kind.id_column).to_numpy())
                    yield Item("rows", batch)
            except (EOFError, OSError, zlib.error) as exc:  # passed the check, yet unreadable: fail the day
                outcome.outcome, outcome.error = "failed", f"{export_url(settings.base_url, day, kind)}: {exc}"
                pending.add(day.isoformat())
                log.error("%s export %s failed: %s", kind.name, day, outcome.error)
                continue
            finally:
                path.unlink(missing_ok=True)
            if outcome.null_popularity or outcome.malformed:
                log.warning(
                    "%s export %s: skipped %d lines without a popularity and %d malformed lines",
                    kind.name,
                    day,
                    outcome.null_popularity,
                    outcome.malformed,
                )
            pending.discard(day.isoformat())
            if not kind.tombstones:
                last = day if last is None or day > last else last
                continue
            day_ids = np.unique(np.concatenate(ids)) if ids else np.empty(0, dtype=np.int64)
            if previous_day is None or day > previous_day:  # a late gap day does not rewrite deletions
                if previous_day is not None:
                    for movie_id in np.setdiff1d(previous_ids, day_ids, assume_unique=True).tolist():
                        tombstones[movie_id] = _tombstone(movie_id, day)
                        tombstoned.add(movie_id)
                if tombstoned:
                    back = np.intersect1d(day_ids, np.fromiter(tombstoned, dtype=np.int64), assume_unique=True)
                    for movie_id in back.tolist():
                        tombstones[movie_id] = {**_tombstone(movie_id, day), "restored": True}
                        tombstoned.discard(movie_id)
                previous_day, previous_ids = day, day_ids
            last = day if last is None or day > last else last
    state["pending"] = sorted(pending)
    if last is not None:
        state["last_date"] = last.isoformat()
    yield Item("log", [o.log_row() for o in context.outcomes])
    if tombstones:
        yield Item("tombstones", list(tombstones.values()))


catalog_exports = dlt.resource(export_days, name="catalog_exports", selected=False)


def _tombstone(movie_id: int, day: date) -> dict[str, Any]:
    return {
        "movie_id": movie_id,
        "detected_on": day,
        "tmdb_status_message": "absent from TMDB's daily ID export",
        "detected_by": EXPORT_SOURCE,
        "restored": False,
    }


@dlt.transformer(
    name="movie_catalog_daily",
    write_disposition={"disposition": "merge", "strategy": "delete-insert"},
    merge_key="export_date",
    columns=CATALOG_COLUMNS,
)
def catalog_rows(item: Item) -> Iterator[Any]:
    yield from _rows_of(item)


def _rows_of(item: Item) -> Iterator[Any]:
    if item.kind == "rows":
        yield item.payload


def _log_of(item: Item) -> Iterator[Any]:
    if item.kind == "log":
        yield item.payload


@dlt.transformer(name="catalog_export_log", write_disposition="append", columns=LOG_COLUMNS)
def catalog_log(item: Item) -> Iterator[Any]:
    yield from _log_of(item)


@dlt.transformer(
    name="catalog_tombstones",
    table_name="movie_tombstones",
    write_disposition="merge",
    primary_key="movie_id",
    columns=CATALOG_TOMBSTONE_COLUMNS,
)
def catalog_tombstones(item: Item) -> Iterator[list[dict[str, Any]]]:
    if item.kind == "tombstones":
        yield item.payload


CATALOG_RESOURCES = ("movie_catalog_daily", "catalog_export_log", "catalog_tombstones")
PERSON_EXPORT_RESOURCES = (PERSON_EXPORT.rows_table, PERSON_EXPORT.log_table)


def person_export_resources(snapshot_date: date, settings: ExportSettings) -> list[DltResource]:
    """The resources of TMDB's daily person export: the same loader as the movie export (`export_days`), its own
    resource (cursor), tables and no tombstones. Arrow rows, as `catalog_resources` says."""
    os.environ.setdefault("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID", "true")
    kind = PERSON_EXPORT
    parent = dlt.resource(export_days, name=kind.resource, selected=False)(
        snapshot_date, settings, CatalogContext(), kind=kind
    )
    rows = dlt.transformer(
        _rows_of,
        name=kind.rows_table,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        merge_key="export_date",
        columns=kind.columns(),
    )
    log_rows = dlt.transformer(_log_of, name=kind.log_table, write_disposition="append", columns=LOG_COLUMNS)
    return [parent | rows, parent | log_rows]


def catalog_resources(snapshot_date: date, settings: ExportSettings, context: CatalogContext) -> list[DltResource]:
    """The resources the `tmdb` source adds for the daily ID exports.

    The rows are arrow tables: dlt writes them to parquet as they come and DuckDB loads the parquet, with no
    row-by-row normalizing. dlt adds its `_dlt_load_id` to arrow rows only when told to (the staging model and
    the incremental watermark need it): the setting is made here unless the environment already says.
    """
    os.environ.setdefault("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID", "true")
    parent = catalog_exports(snapshot_date, settings, context)
    return [parent | catalog_rows, parent | catalog_log, parent | catalog_tombstones]


def read_context(sql: Any, dataset_tables: Iterable[str]) -> CatalogContext:
    """The warehouse's catalog before the run, through a dlt sql client (`sql.execute_sql`)."""
    tables = set(dataset_tables)
    context = CatalogContext()
    if "movie_catalog_daily" in tables:
        name = sql.make_qualified_table_name("movie_catalog_daily")
        last = sql.execute_sql(f"select max(export_date) from {name}")[0][0]
        if last is not None:
            context.last_loaded = last
            rows = sql.execute_sql(f"select distinct movie_id from {name} where export_date = %s", last)
            context.last_ids = np.sort(np.array([r[0] for r in rows], dtype=np.int64))
    if "movie_tombstones" in tables:
        # only the export's own deletions come back with the export: a details 404 stays a deletion
        name = sql.make_qualified_table_name("movie_tombstones")
        has_column = sql.execute_sql(
            "select count(*) from information_schema.columns where table_schema = %s and table_name = "
            "'movie_tombstones' and column_name = 'detected_by'",
            sql.dataset_name,
        )[0][0]
        if has_column:  # else no tombstone came from an export yet
            rows = sql.execute_sql(f"select movie_id from {name} where detected_by = %s", EXPORT_SOURCE)
            context.tombstoned = frozenset(r[0] for r in rows)
    return context


def read_pipeline_context(pipeline: Any) -> CatalogContext:
    """`read_context` on the pipeline's warehouse (an empty context before the first load)."""
    from pipelines.warehouse_file import pipeline_duckdb_exists

    if not pipeline_duckdb_exists(pipeline):
        return CatalogContext()
    with pipeline.sql_client() as sql:
        tables = [
            row[0]
            for row in sql.execute_sql(
                "select table_name from information_schema.tables where table_schema = %s", pipeline.dataset_name
            )
        ]
        return read_context(sql, tables)


def summarize(outcomes: Iterable[DayOutcome]) -> str:
    """One line: days loaded, rows, gaps and failures of a run's exports."""
    outcomes = list(outcomes)
    loaded = [o for o in outcomes if o.outcome == "loaded"]
    gaps = [o.day.isoformat() for o in outcomes if o.outcome == "missing"]
    failed = [o.day.isoformat() for o in outcomes if o.outcome == "failed"]
    text = f"catalog exports: {len(loaded)} day(s) loaded, {sum(o.rows for o in loaded):,} rows"
    if gaps:
        text += f"; gaps (retried next run): {', '.join(gaps)}"
    if failed:
        text += f"; failed: {', '.join(failed)}"
    return text
