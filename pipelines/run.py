"""`tmdb-warehouse run`: the whole chain, ingest -> dbt build -> moods -> quality -> publish -> reports and docs.

Write-audit-publish (`pipelines.publish`): ingest, dbt, moods and the quality audit act on the WORKING copy;
when the audit finds no critical failure the working copy is published (an atomic rename) to the path readers
open, and the reports and dbt docs are built from that published copy. A failed audit publishes nothing and
leaves the site as it was, so neither shows a state that failed its audit.

Each step is idempotent, so the chain is safe to run twice (the second run changes no data, only the run
logs grow) and safe to run after a crash, at any step (the ingestion finishes an interrupted load first, dbt
rebuilds, the moods model classifies only what is not classified yet, a publish killed mid-copy leaves the
published file as it was and its temporary copy is removed). One run at a time holds the working copy
(`pipelines.lock`); readers of the published copy never block it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from pipelines.demo import ingest_days, serve_emulator
from pipelines.emulator.config import START_DATE, RealismConfig
from pipelines.events.chain import chain_user_events
from pipelines.events.evaluate import evaluate_recommendations, record_evaluation
from pipelines.ingest import IngestReport
from pipelines.lock import warehouse_lock
from pipelines.publish import audit, audit_docs_dir, install_audit_docs, publish, remove_stale_copy
from pipelines.quality.dbt_results import keep_run_results
from pipelines.settings import REPO_ROOT, Paths, http_settings
from pipelines.tmdb.client import HttpSettings

EMULATOR_DAYS = 14
MOODS_SELECTOR = "movie_moods+"  # the Python dbt model asking the LLM, and what depends on it
SNAPSHOT_SELECTOR = "+resource_type:snapshot"  # the snapshots and the models they read
RECS_QUALITY_SELECTOR = "stg_evaluations__recommendations+"  # what shows the recorded evaluations
# Schemas of the warehouse, in the order the data flows through them.
LAYERS = ("raw", "staging", "intermediate", "snapshots", "marts", "quality")


@dataclass(frozen=True)
class RunOptions:
    source: str = "auto"  # auto | tmdb | emulator
    days: Sequence[date] = ()  # ingestion days; empty = today (tmdb) or the emulator's 14 days
    top_n: int | None = None  # None: dlt's configuration, `[sources.tmdb] top_n`
    backfill_years: tuple[int, int] | None = None
    refresh_tracked: bool = False
    full_refresh: bool = False
    moods_provider: str = "auto"  # auto | ollama | embedded | off
    seed: int = 42
    emulator_rate_limit: float = 40.0
    emulator_realism: RealismConfig = field(default_factory=RealismConfig)  # TMDB's dirt, on by default
    site_dir: Path = REPO_ROOT / "site"
    reports_dir: Path = REPO_ROOT / "reports"
    trigger: str = "manual"
    until: str = "reports"  # the last step to run (one of STEPS)
    catalog_exports: bool = True  # TMDB's daily ID exports (pipelines/tmdb/exports.py)
    details_budget: int | None = None  # None: DEFAULT_DETAILS_BUDGET (TMDB) or DEMO_DETAILS_BUDGET (emulator)
    events_url: str | None = None  # user events' landing location (None: $TMDB_EVENTS_URL; emulator: simulated)
    event_users: int = 0  # users in the emulator's simulated traffic (0: none; the CLI's default is DEMO_USERS)
    recs_eval: bool = False  # step recs-eval: the recommendations evaluated offline, the figures recorded


STEPS = ("ingest", "dbt", "moods", "recs-eval", "quality", "publish", "reports")


@dataclass
class StepResult:
    name: str
    seconds: float
    detail: str


@dataclass
class RunSummary:
    steps: list[StepResult] = field(default_factory=list)
    ingest: list[IngestReport] = field(default_factory=list)
    rows_per_layer: dict[str, int] = field(default_factory=dict)
    quality_score: float | None = None
    site_index: Path | None = None

    def lines(self) -> list[str]:
        """The summary: a line per step (its first line: the details were printed as the step ended)."""
        out = [f"  {s.name:<8} {s.seconds:7.1f}s  {s.detail.splitlines()[0] if s.detail else ''}" for s in self.steps]
        requests = sum(r.requests.get("requests", 0) for r in self.ingest)
        out.append(f"  requests to TMDB: {requests}")
        out.append("  rows: " + ", ".join(f"{layer} {n:,}" for layer, n in self.rows_per_layer.items()))
        if self.quality_score is not None:
            out.append(f"  quality score: {self.quality_score:.1f}/100")
        if self.site_index:
            out.append(f"  site: {self.site_index}")
        return out


def resolve_source(source: str, http: HttpSettings) -> str:
    """`auto` means TMDB when credentials are configured, else the embedded emulator."""
    if source != "auto":
        return source
    return "tmdb" if (http.api_key or http.access_token) else "emulator"


def days_back(count: int, source: str) -> list[date]:
    """`count` ingestion days: the emulator's first days, or (TMDB, auto) the days ending today."""
    if count < 1:
        raise ValueError(f"--days must be at least 1, not {count}")
    if source == "emulator":
        return [START_DATE + timedelta(days=i) for i in range(count)]
    today = datetime.now(UTC).date()
    return [today - timedelta(days=count - 1 - i) for i in range(count)]


def ingestion_days(options: RunOptions, source: str) -> list[date]:
    if options.days:
        return list(options.days)
    return days_back(EMULATOR_DAYS if source == "emulator" else 1, source)


@contextmanager
def _tmdb_endpoint(source: str, options: RunOptions, first_day: date) -> Iterator[tuple[HttpSettings, Any]]:
    """HTTP settings for the chosen source; for the emulator, a running emulator too (stopped afterwards)."""
    if source == "tmdb":
        yield http_settings(), None
        return
    from pipelines.emulator import EmulatorConfig

    config = EmulatorConfig(
        seed=options.seed,
        start_date=first_day,
        rate_limit=options.emulator_rate_limit,
        realism=options.emulator_realism,
    )
    with serve_emulator(config) as (emulator, http):
        yield http, emulator


def catalog_options(options: RunOptions, emulator: Any, first_day: date, api_base_url: str) -> dict[str, Any]:
    """The daily ID exports and the details budget of an ingestion (the emulator serves its own files)."""
    if not options.catalog_exports:
        return {}
    from pipelines.tmdb.crawl import DEFAULT_DETAILS_BUDGET, DEMO_DETAILS_BUDGET
    from pipelines.tmdb.exports import ExportSettings, files_base_url_for

    if emulator is not None:
        settings = ExportSettings(base_url=emulator.files_base_url, first_date=first_day)
    else:
        files_url = files_base_url_for(api_base_url)
        if files_url is None:  # another API server (a recording, a proxy): no files there
            return {}
        settings = ExportSettings(base_url=files_url)
    budget = options.details_budget
    if budget is None:
        budget = DEMO_DETAILS_BUDGET if emulator is not None else DEFAULT_DETAILS_BUDGET
    return {"catalog_exports": settings, "person_exports": settings, "details_budget": budget}


def rows_per_layer(duckdb_path: Path) -> dict[str, int]:
    """Rows in the tables of each schema (DuckDB's own counts; views hold none)."""
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        counts = dict(
            con.execute(
                "select schema_name, sum(estimated_size)::bigint from duckdb_tables() "
                "where not starts_with(table_name, '_dlt') group by 1"
            ).fetchall()
        )
    return {layer: counts[layer] for layer in LAYERS if layer in counts}


def run_chain(options: RunOptions, paths: Paths, echo: Callable[[str], None] = print) -> RunSummary:
    """Run every step (writers on `paths.working_path`, then publish to `paths.duckdb_path`, then the site from
    it); raises on the first failing step (AuditFailed when the audit blocks the publish)."""
    from pipelines.reports import build_site
    from pipelines.transform import dbt_build, dbt_docs_generate

    summary = RunSummary()
    audits: list[Any] = []

    last = STEPS.index(options.until)

    def step(name: str, action: Callable[[], str]) -> None:
        if STEPS.index(name) > last:
            return
        echo(f"[{name}] ...")
        started = time.monotonic()
        detail = action()
        summary.steps.append(StepResult(name, time.monotonic() - started, detail))
        echo(f"[{name}] {detail} ({summary.steps[-1].seconds:.1f}s)")

    source = resolve_source(options.source, http_settings())
    days = ingestion_days(options, source)
    db = paths.working_path
    lock = warehouse_lock(db, f"run ({source})", readers_path=paths.duckdb_path)
    with lock, _tmdb_endpoint(source, options, days[0]) as (http, emulator):
        remove_stale_copy(paths.duckdb_path)  # a publish killed mid-copy left it

        def ingest() -> str:
            def after_day(report: IngestReport) -> None:
                summary.ingest.append(report)
                echo(f"  {report.summary()}")
                if len(days) > 1 and last >= STEPS.index("dbt"):  # the attribute history (SCD2) records each day
                    dbt_build(db, select=SNAPSHOT_SELECTOR)

            ingest_days(
                days,
                http,
                paths,
                emulator=emulator,
                top_n=options.top_n,
                backfill_years=options.backfill_years,
                refresh_tracked=options.refresh_tracked,
                trigger=options.trigger,
                after_day=after_day,
                **catalog_options(options, emulator, days[0], http.base_url),
            )
            events = chain_user_events(
                source, days, paths, seed=options.seed, url=options.events_url, users=options.event_users
            )
            if events:
                echo(f"  {events}")
            return f"{len(days)} day(s) from {source}: {days[0]}..{days[-1]}" + (f"; {events}" if events else "")

        step("ingest", ingest)
        test_results: list[Path] = []  # each dbt build's test results, for the audit (the next build overwrites them)

        def build(name: str, **arguments: Any) -> str:
            summary_line = dbt_build(db, full_refresh=options.full_refresh, **arguments).summary()
            test_results.append(keep_run_results(audit_docs_dir(paths) / "dbt" / name))
            return summary_line

        step("dbt", lambda: build("build", exclude=MOODS_SELECTOR))
        step("moods", lambda: build("moods", select=MOODS_SELECTOR, vars={"moods_provider": options.moods_provider}))

        def recs_eval() -> str:
            result = evaluate_recommendations(db, work_dir=db.parent)
            record_evaluation(result, paths)
            build("recs-eval", select=RECS_QUALITY_SELECTOR)  # the mart the users page reads
            return "\n".join(result.lines())

        if options.recs_eval:
            step("recs-eval", recs_eval)

        def quality() -> str:
            result = audit(paths, test_results)
            summary.quality_score = result.overall_score
            audits.append(result)
            return result.summary()

        step("quality", quality)
        step("publish", lambda: publish(paths, audits[-1]).summary())  # raises AuditFailed: nothing published

        def reports() -> str:
            docs = dbt_docs_generate(paths.duckdb_path)
            install_audit_docs(paths, options.site_dir)
            site = build_site(paths.duckdb_path, options.reports_dir, options.site_dir, dbt_docs_dir=docs)
            summary.site_index = site.index_path
            return site.summary()

        step("reports", reports)
        summary.rows_per_layer = rows_per_layer(db)
    return summary
