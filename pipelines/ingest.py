"""One ingestion run: TMDB -> dlt -> the raw schema of the working copy of the warehouse (`Paths.working_path`;
`tmdb-warehouse publish` or the chain publishes it), plus a row in the run log. With `destination="lake"` the same
raw tables go to a lake of parquet files instead (pipelines/lake.py)."""

from __future__ import annotations

import importlib.util
import logging
import shutil
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dlt
from dlt.common.pipeline import LoadInfo
from dlt.common.schema import Schema
from dlt.common.storages import LoadStorage, NormalizeStorage, PackageStorage
from dlt.destinations.exceptions import DatabaseUndefinedRelation
from dlt.pipeline.exceptions import PipelineStepFailed

from pipelines.lake import LAKE_FILE_FORMAT, LAKE_PIPELINE_SUFFIX, lake_destination, lake_url
from pipelines.settings import PIPELINE_NAME, RAW_DATASET, RUN_LOG_PIPELINE_NAME, Paths
from pipelines.tmdb.client import HttpSettings, TMDBClient, TMDBError
from pipelines.tmdb.crawl import plan_pipeline_crawl
from pipelines.tmdb.exports import read_pipeline_context, summarize
from pipelines.tmdb.people import KnownPeople, read_known_people
from pipelines.tmdb.source import tmdb_source
from pipelines.warehouse_file import pipeline_duckdb_exists

log = logging.getLogger(__name__)


class IngestError(RuntimeError):
    """An ingestion run failed; the message is one line, safe to print (no credentials)."""


@dataclass(frozen=True)
class IngestOptions:
    snapshot_date: date
    top_n: int | None = None  # None: dlt's configuration, `[sources.tmdb] top_n` (1000)
    backfill_years: tuple[int, int] | None = None
    changes_start_date: date | None = None  # None: `[sources.tmdb] changes_start_date`, else the run's day
    refresh_tracked: bool = False
    resources: Sequence[str] | None = None  # restrict to these resources (e.g. only "discover_results")
    trigger: str = "manual"
    catalog_exports: Any = None  # an ExportSettings: also load TMDB's daily ID exports (pipelines/tmdb/exports.py)
    person_exports: Any = None  # an ExportSettings: also load TMDB's daily person export (everyone's popularity)
    details_budget: int = 0  # details requests for untracked movies, breakouts first (pipelines/tmdb/crawl.py)
    destination: str = "duckdb"  # or "lake": parquet files at `lake_url` (pipelines/lake.py)
    lake_url: str | None = None  # None: $TMDB_LAKE_URL, else warehouse/lake

    @property
    def lake(self) -> str | None:
        """The lake's URL when the run writes to the lake, else None."""
        return lake_url(self.lake_url) if self.destination == "lake" else None


@dataclass
class IngestReport:
    run_id: str
    snapshot_date: date
    outcome: str
    duration_s: float
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    rows: dict[str, int] = field(default_factory=dict)
    requests: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    catalog: list[Any] = field(default_factory=list)  # the daily ID exports' DayOutcomes

    def summary(self) -> str:
        main = {t: n for t, n in self.rows.items() if "__" not in t}
        tables = ", ".join(f"{t}={n}" for t, n in sorted(main.items())) or "none"
        return (
            f"{self.snapshot_date} {self.outcome} in {self.duration_s:.1f}s; rows written (before merge): {tables}; "
            f"{self.requests.get('requests', 0)} requests, {self.requests.get('retries', 0)} retried, "
            f"{self.requests.get('rate_limited', 0)} rate-limited"
        ) + (f"; {summarize(self.catalog)}" if self.catalog else "")


def make_pipeline(
    paths: Paths, name: str = PIPELINE_NAME, progress: Any = None, lake: str | None = None
) -> dlt.Pipeline:
    paths.working_path.parent.mkdir(parents=True, exist_ok=True)
    pipelines_dir = str(Path(paths.pipelines_dir).resolve()) if paths.pipelines_dir else None
    if lake:
        return dlt.pipeline(
            pipeline_name=name + LAKE_PIPELINE_SUFFIX,
            destination=lake_destination(lake),
            dataset_name=RAW_DATASET,
            pipelines_dir=pipelines_dir,
            progress=progress,
        )
    return dlt.pipeline(
        pipeline_name=name,
        # absolute: dlt resolves a relative path against the directory the pipeline was first run from
        destination=dlt.destinations.duckdb(str(paths.working_path.resolve())),
        dataset_name=RAW_DATASET,
        pipelines_dir=pipelines_dir,
        progress=progress,
    )


def tracked_movie_ids(pipeline: dlt.Pipeline) -> list[int]:
    """Ids of the movies the warehouse already holds details for (empty on a first run)."""
    if not _is_lake(pipeline) and (
        not pipeline.destination_client().config.credentials or not pipeline_duckdb_exists(pipeline)
    ):
        return []
    try:
        with pipeline.sql_client() as client:
            table = client.make_qualified_table_name("movie_details")
            return [row[0] for row in client.execute_sql(f"select id from {table}")]
    except DatabaseUndefinedRelation:
        return []


def _progress() -> Any:
    return dlt.progress.tqdm() if sys.stderr.isatty() else dlt.progress.log(log_period=30, logger=None)


def _root_cause(exc: BaseException) -> BaseException:
    seen: set[int] = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = getattr(exc, "exception", None) or exc.__cause__
        if inner is None:
            break
        exc = inner
    return exc


def _one_line(client: TMDBClient, exc: BaseException) -> str:
    cause = _root_cause(exc)
    text = str(cause) if isinstance(cause, TMDBError | OSError) else f"{type(cause).__name__}: {cause}"
    return client.redactor(" ".join(text.split()))


def _write_run_log(paths: Paths, report: IngestReport, trigger: str, lake: str | None = None) -> None:
    """Append the run to `raw.ingestion_log` through its own small pipeline (it never blocks the main one)."""
    row = {
        "run_id": report.run_id,
        "pipeline_name": PIPELINE_NAME,
        "snapshot_date": report.snapshot_date,
        "trigger": trigger,
        "started_at": report.started_at,
        "finished_at": datetime.now(UTC),
        "duration_s": round(report.duration_s, 3),
        "outcome": report.outcome,
        "error": report.error,
        "requests": report.requests.get("requests", 0),
        "retries": report.requests.get("retries", 0),
        "rate_limited": report.requests.get("rate_limited", 0),
        "connection_errors": report.requests.get("connection_errors", 0),
        "tables": [{"table_name": t, "row_count": n} for t, n in sorted(report.rows.items())],
    }
    if report.catalog:  # the daily ID exports' gaps and failures (details: raw.catalog_export_log)
        row["catalog_gaps"] = ",".join(o.day.isoformat() for o in report.catalog if o.outcome != "loaded")
    pipeline = make_pipeline(paths, RUN_LOG_PIPELINE_NAME, lake=lake)
    finish_pending(pipeline)
    pipeline.run(
        [row],
        loader_file_format=LAKE_FILE_FORMAT if lake else None,
        table_name="ingestion_log",
        write_disposition="append",
        columns={"error": {"data_type": "text", "nullable": True}, "catalog_gaps": {"data_type": "text"}},
    )


def finish_pending(pipeline: dlt.Pipeline) -> LoadInfo | None:
    """Load what an interrupted run left extracted or normalized, then repair what its resumption replayed.

    dlt would otherwise ignore the new run's data while packages are pending. Its load jobs are at-least-once:
    a job whose insert committed just before the process died runs again on resume, and dlt's merge then inserts
    both copies of each replayed staging row (they share `_dlt_id`), so exact duplicates are removed here; every
    other effect of a replay (delete-insert merges, replace) is idempotent.
    """
    drop_committed_remnants(pipeline)
    if not pipeline.has_pending_data:
        return None
    log.warning("%s: finishing the load package(s) of an interrupted run", pipeline.pipeline_name)
    pipeline.normalize()
    info = pipeline.load()
    if not _is_lake(pipeline):  # the lake's files are append-only: staging deduplicates what a replay added
        remove_replayed_rows(pipeline)
    return info


def drop_committed_remnants(pipeline: dlt.Pipeline) -> None:
    """Delete what a kill left of extracted packages that dlt's normalize step had already committed.

    Normalize commits a package by renaming its normalized copy into the load storage, then deletes the extracted
    copy file by file (dlt 1.31, `Normalize.spool_files`). A SIGKILL during that delete leaves an extracted
    remnant: without its schema.json, normalizing it again fails; with it, its rows would be loaded twice. Normalize
    deletes an empty package (no new jobs) without committing it: a kill there leaves one without new_jobs. Extract
    itself commits by an atomic rename after writing schema.json and new_jobs, so each mark means a remnant, never
    new data.
    """
    extracted = Path(pipeline.working_dir, "normalize", NormalizeStorage.EXTRACTED_FOLDER)
    loads = Path(pipeline.working_dir, "load")  # its folders exist only once a load got there (not after a restore)
    for load_id in pipeline.list_extracted_load_packages():
        package = extracted / load_id
        committed = any(
            (loads / folder / load_id).is_dir() for folder in (LoadStorage.NORMALIZED_FOLDER, LoadStorage.LOADED_FOLDER)
        )
        # an empty package (a run finding nothing new) is deleted by normalize without a commit: a kill during that
        # delete leaves a package without its new_jobs folder, which extract always creates
        partial = (
            not (package / PackageStorage.SCHEMA_FILE_NAME).exists()
            or not (package / PackageStorage.NEW_JOBS_FOLDER).is_dir()
        )
        if committed or partial:
            log.warning("%s: removing the remnant of committed load package %s", pipeline.pipeline_name, load_id)
            shutil.rmtree(package)


def _is_lake(pipeline: dlt.Pipeline) -> bool:
    return pipeline.pipeline_name.endswith(LAKE_PIPELINE_SUFFIX)


def remove_replayed_rows(pipeline: dlt.Pipeline) -> None:
    """Delete all but one of the rows sharing a `_dlt_id` (dlt's unique row key) in the pipeline's tables.

    Still needed with dlt 1.31 (issue #11 asked): a package whose load jobs committed their inserts before a kill,
    but were not yet marked done, is resumed without truncating the staging tables again, so each replayed job
    inserts its rows a second time and the merge copies both into the destination (a merge table's rows doubled;
    `tests/test_ingest_recovery.py::test_dlt_still_doubles_the_rows_of_a_replayed_load_job` reproduces it and
    fails the day dlt's resume becomes idempotent). The window is narrow: 3 runs of the 9-kill test never hit
    it; the events' kill test did once (every event of the resumed package twice in raw.events). A check costs one
    query per table, and only after an interrupted run.
    """
    with pipeline.sql_client() as client:
        existing = {
            row[0]
            for row in client.execute_sql(
                "select table_name from information_schema.tables where table_schema = %s", pipeline.dataset_name
            )
        }
        for table in set(pipeline.default_schema.data_table_names()) & existing:
            key = _replay_key(pipeline.default_schema, table)
            if not key:
                continue
            name = client.make_qualified_table_name(table)
            partition = ", ".join(client.escape_column_name(column) for column in key)
            client.execute_sql(
                f"delete from {name} where rowid in (select rowid from (select rowid, "
                f"row_number() over (partition by {partition} order by rowid) as copy from {name}) where copy > 1)"
            )


def _replay_key(schema: Schema, table: str) -> list[str]:
    """The columns a replayed row repeats: dlt's row id, or, in a table of Arrow rows (no row id: the daily ID
    exports, the user events), a merge table's primary key (`raw.events`' insert-only merge copies both rows of a
    replayed job; a delete-insert merge none, so there the check finds nothing). None for Arrow tables that are
    not merged."""
    columns = schema.get_table_columns(table)
    if "_dlt_id" in columns:
        return ["_dlt_id"]
    if schema.get_table(table).get("write_disposition") != "merge":
        return []
    return [name for name, column in columns.items() if column.get("primary_key")]


def known_people(pipeline: dlt.Pipeline) -> KnownPeople:
    """The people the warehouse (or the lake) fetched and those it should (empty on a first run)."""
    if not _is_lake(pipeline) and (
        not pipeline.destination_client().config.credentials or not pipeline_duckdb_exists(pipeline)
    ):
        return KnownPeople()
    return read_known_people(pipeline)


def build_client(http: HttpSettings) -> TMDBClient:
    client = TMDBClient(http)
    client.check_credentials()  # before anything is written
    return client


def run_ingest(options: IngestOptions, http: HttpSettings, paths: Paths, progress: bool = True) -> IngestReport:
    """Ingest one day. Raises TMDBError (bad credentials, before writing) or IngestError (run failed, logged)."""
    if options.lake and importlib.util.find_spec("pyarrow") is None:
        raise IngestError(
            "--destination lake writes parquet files, which needs pyarrow: install the spark extra "
            "(`make spark`, or `pip install -e '.[spark]'`)"
        )
    client = build_client(http)
    lake = options.lake
    pipeline = make_pipeline(paths, progress=_progress() if progress else None, lake=lake)
    report = IngestReport(str(uuid.uuid4()), options.snapshot_date, "succeeded", 0.0)
    started = time.monotonic()
    try:
        finish_pending(pipeline)
        configured = {"top_n": options.top_n, "changes_start_date": options.changes_start_date}
        context = read_pipeline_context(pipeline) if options.catalog_exports else None
        crawl = plan_pipeline_crawl(pipeline, options.details_budget, options.snapshot_date)
        source = tmdb_source(
            snapshot_date=options.snapshot_date,
            backfill_years=options.backfill_years,
            tracked_ids=tracked_movie_ids(pipeline),
            refresh_tracked=options.refresh_tracked,
            client=client,
            catalog=(options.catalog_exports, context) if context is not None else None,
            crawl_ids=crawl.ids,
            known_people=known_people(pipeline),
            person_exports=options.person_exports,
            # what is not given here, dlt injects from its configuration
            **{name: value for name, value in configured.items() if value is not None},
        )
        if options.resources:
            source = source.with_resources(*options.resources)
        pipeline.run(source, loader_file_format=LAKE_FILE_FORMAT if lake else None)
        counts = pipeline.last_trace.last_normalize_info.row_counts if pipeline.last_trace else {}
        report.rows = {t: n for t, n in counts.items() if not t.startswith("_dlt")}
        report.catalog = context.outcomes if context is not None else []
    except (PipelineStepFailed, TMDBError) as exc:
        report.outcome, report.error = "failed", _one_line(client, exc)
    client.close()
    report.duration_s = time.monotonic() - started
    report.requests = client.stats.as_dict()
    _write_run_log(paths, report, options.trigger, lake)
    if report.error:
        raise IngestError(f"ingestion of {options.snapshot_date} failed: {report.error}")
    return report
