"""Which untracked movies get a details request this run, within a per-run budget (`--details-budget N`).

The daily ID exports list every movie; the warehouse holds details for the movies it tracks (discover's top-N,
the changes feed, earlier crawls). Each run spends at most `budget` details requests on the rest:

1. the breakouts of the latest export day before the ingestion day (marts.catalog_breakouts, by breakout rank):
   they become tracked, and from then on are followed like every tracked movie (the changes feed refetches them
   when they change, the daily exports give their popularity every day);
2. then the untracked movies of that export day, most popular first.

Only export days before the ingestion day count, never the day's own export: the plan is made before the run
loads it, except when a killed run's load was finished by `finish_pending` first; reading the day's own export
then would crawl other movies on other days than an uninterrupted run does.

One crawl per ingestion day (dlt state): re-running a day changes nothing. Resumable across runs by
construction: a movie fetched once has details and leaves the candidates, a deleted one (a tombstone) too, so no
run refetches what is current and daily runs cover the catalog's head first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import dlt

log = logging.getLogger(__name__)

DEFAULT_DETAILS_BUDGET = 2000  # 50 s a day at TMDB's 40 requests per second
DEMO_DETAILS_BUDGET = 100  # the demo's catalog is TMDB 5000: a few seconds a day


@dataclass
class CrawlPlan:
    breakouts: list[int] = field(default_factory=list)
    crawl: list[int] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return self.breakouts + self.crawl


@dlt.resource(name="crawl_movies", selected=False)
def crawl_movies(ids: Sequence[int], day: date, page_size: int = 100) -> Iterator[list[dict[str, Any]]]:
    """The crawl's ids as `{id}` pages, once per ingestion day: the day is kept in this resource's dlt state,
    so re-running a day (or the chain) spends no second budget and changes nothing."""
    state = dlt.current.resource_state()
    if state.get("last_day") and date.fromisoformat(state["last_day"]) >= day:
        log.info("details crawl: %s already crawled, skipped", day)
        return
    for start in range(0, len(ids), page_size):
        yield [{"id": movie_id} for movie_id in ids[start : start + page_size]]
    state["last_day"] = day.isoformat()


def _tables(sql: Any) -> set[tuple[str, str]]:
    rows = sql.execute_sql("select table_schema, table_name from information_schema.tables")
    return {(r[0], r[1]) for r in rows}


def plan_crawl(sql: Any, raw_schema: str, budget: int, day: date, marts_schema: str = "marts") -> CrawlPlan:
    """The ids to fetch details for on ingestion day `day`, breakouts first, at most `budget`, through a dlt sql
    client; from the latest export day before `day`."""
    plan = CrawlPlan()
    tables = _tables(sql)
    if budget <= 0 or (raw_schema, "movie_catalog_daily") not in tables:
        return plan
    known = []
    if (raw_schema, "movie_details") in tables:
        known.append(f'select id from "{raw_schema}".movie_details')
    if (raw_schema, "movie_tombstones") in tables:
        known.append(f'select movie_id from "{raw_schema}".movie_tombstones')
    not_known = " ".join(f"and c.movie_id not in ({q})" for q in known)
    if (marts_schema, "catalog_breakouts") in tables:
        plan.breakouts = [
            r[0]
            for r in sql.execute_sql(
                f'select c.movie_id from "{marts_schema}".catalog_breakouts c '
                f'where c.export_date = (select max(export_date) from "{marts_schema}".catalog_breakouts '
                f"where export_date < date '{day.isoformat()}') "
                f"{not_known} order by c.breakout_rank limit {int(budget)}"
            )
        ]
    left = budget - len(plan.breakouts)
    if left > 0:
        taken = f"and c.movie_id not in ({','.join(str(i) for i in plan.breakouts)})" if plan.breakouts else ""
        plan.crawl = [
            r[0]
            for r in sql.execute_sql(
                f'select c.movie_id from "{raw_schema}".movie_catalog_daily c '
                f'where c.export_date = (select max(export_date) from "{raw_schema}".movie_catalog_daily '
                f"where export_date < date '{day.isoformat()}') "
                f"{taken} {not_known} "
                f"order by c.popularity desc, c.movie_id limit {int(left)}"
            )
        ]
    return plan


def plan_pipeline_crawl(pipeline: Any, budget: int, day: date) -> CrawlPlan:
    """`plan_crawl` on the pipeline's warehouse (nothing before its first load)."""
    from pipelines.warehouse_file import pipeline_duckdb_exists

    if budget <= 0 or not pipeline_duckdb_exists(pipeline):
        return CrawlPlan()
    with pipeline.sql_client() as sql:
        plan = plan_crawl(sql, pipeline.dataset_name, budget, day)
    if plan.ids:
        log.info("details crawl: %d breakout(s) and %d untracked movies", len(plan.breakouts), len(plan.crawl))
    return plan
