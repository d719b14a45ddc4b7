"""People of tracked movies: details of the top-billed cast and key crew, kept current by `/person/changes`.

Resources of the `tmdb` source (same client, rate limit and retries as the movies):
- `person_details` (merge on id): `GET /person/{id}?append_to_response=external_ids`, fetched once per person,
  then again only when `/person/changes` lists the person. `external_ids` flattens into `external_ids__*`
  columns; `also_known_as` is kept as a JSON list. A 404 becomes a row in `person_tombstones` (never asked again).
- `person_changes` (merge on id + window): the `/person/changes` feed, read exactly like `/movie/changes`
  (windows of at most 14 days from a cursor in dlt state, `changes_feed`). A server that answers 404 for the feed
  (a recording, a proxy) leaves it out of the day, cursor unmoved.

Who is fetched: the people credited on tracked movies (cast billed in the first `TOP_BILLED` places, crew in
`KEY_JOBS`), read from the warehouse before the run (`read_known_people`): people of movies met for the first time
today are candidates from tomorrow on. At most `[sources.tmdb] people_per_run` new people a day (0 turns people off),
the ones billed highest first, so the daily run stays within the request budget while the backlog drains. The
day's choice is kept in dlt state: re-running a day fetches no further people (`people_to_fetch`): at most
`people_per_run` new people a day.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any

import dlt
from dlt.common.schema.typing import TColumnSchema
from dlt.destinations.exceptions import DatabaseUndefinedRelation
from dlt.extract.resource import DltResource

from pipelines.lake import declare_lake_views
from pipelines.tmdb.client import TMDBClient, TMDBHTTPError
from pipelines.tmdb.source import changes_feed, objects_fetcher, without_nulls
from pipelines.tmdb.tombstones import tombstone_transformer

log = logging.getLogger(__name__)

PERSON_APPEND = "external_ids"
TOP_BILLED = 10  # cast members billed in the first places (`order` 0..9)
KEY_JOBS = ("Director", "Writer", "Screenplay", "Original Music Composer", "Director of Photography", "Producer")
EXTERNAL_ID_KEYS = ("imdb_id", "wikidata_id", "facebook_id", "instagram_id", "twitter_id", "tiktok_id", "youtube_id")
PERSON_COLUMNS: dict[str, TColumnSchema] = {
    "id": {"data_type": "bigint", "nullable": False},
    "fetched_on": {"data_type": "date", "nullable": False},
    "name": {"data_type": "text"},
    "also_known_as": {"data_type": "json"},
    "biography": {"data_type": "text"},
    "birthday": {"data_type": "text"},
    "deathday": {"data_type": "text"},
    "gender": {"data_type": "bigint"},
    "homepage": {"data_type": "text"},
    "imdb_id": {"data_type": "text"},
    "known_for_department": {"data_type": "text"},
    "place_of_birth": {"data_type": "text"},
    "popularity": {"data_type": "double"},
    "profile_path": {"data_type": "text"},
    "adult": {"data_type": "bool"},
    **{f"external_ids__{key}": {"data_type": "text"} for key in EXTERNAL_ID_KEYS},
}


@dataclass
class KnownPeople:
    """What the warehouse knew before the run: people fetched (or gone), and the candidates, best billed first."""

    fetched: frozenset[int] = frozenset()
    candidates: list[int] = field(default_factory=list)


class PeoplePlan:
    """Each person is requested at most once per run: new ones (up to the cap) and fetched ones the feed lists."""

    def __init__(self, known: KnownPeople, per_run: int) -> None:
        self.fetched = known.fetched
        self.new = [i for i in known.candidates if i not in known.fetched][: max(per_run, 0)]
        self._claimed: set[int] = set()
        self._lock = threading.Lock()

    def claim(self, ids: Iterable[int], changed: bool) -> list[int]:
        with self._lock:
            wanted = [i for i in dict.fromkeys(ids) if i not in self._claimed and (not changed or i in self.fetched)]
            self._claimed.update(wanted)
            return wanted


def person_row(body: dict[str, Any], fetched_on: date) -> dict[str, Any]:
    """A `/person/{id}` body as its raw row: nulls dropped, only the documented external ids kept (TMDB adds
    freebase and tvrage ids, always null for people now)."""
    external = body.get("external_ids") if isinstance(body.get("external_ids"), dict) else {}
    row = {key: value for key, value in body.items() if key != "external_ids"}
    row["external_ids"] = {key: external.get(key) for key in EXTERNAL_ID_KEYS}
    if not isinstance(row.get("also_known_as"), list):
        row.pop("also_known_as", None)
    return {**without_nulls(row), "fetched_on": fetched_on}


CHOSEN_DAYS_KEPT = 7


@dlt.resource(name="people_to_fetch", selected=False)
def people_to_fetch(
    ids: Sequence[int], day: date, fetched: frozenset[int] = frozenset(), page_size: int = 100
) -> Iterator[list[dict[str, Any]]]:
    """The new people of `day`: chosen by the day's first run and kept in dlt state (committed with the data), so
    that a re-run of the day asks for none of the next ones in the backlog, only for those of its choice not
    loaded yet (none after a run that loaded). Older days re-run later never overwrite newer answers."""
    chosen = dlt.current.resource_state().setdefault("new_people_by_day", {})
    key = day.isoformat()
    ids = [person_id for person_id in chosen.setdefault(key, list(ids)) if person_id not in fetched]
    oldest = (day - timedelta(days=CHOSEN_DAYS_KEPT)).isoformat()
    for old in [k for k in chosen if k < oldest]:
        del chosen[old]
    for start in range(0, len(ids), page_size):
        yield [{"id": person_id} for person_id in ids[start : start + page_size]]


@dlt.resource(
    name="person_changes",
    write_disposition="merge",
    primary_key=["id", "change_window_start"],
    columns={"id": {"data_type": "bigint", "nullable": False}, "adult": {"data_type": "bool"}},
)
def person_changes(
    client: TMDBClient, snapshot_date: date, first_date: date | None = None
) -> Iterator[list[dict[str, Any]]]:
    """Ids TMDB lists as changed since the cursor (`/person/changes`), like the movie changes feed."""
    try:
        yield from changes_feed(client, "/person/changes", snapshot_date, first_date)
    except TMDBHTTPError as exc:
        if not exc.not_found:
            raise
        log.warning("TMDB answered 404 for /person/changes: no person changes read today (cursor kept)")


@dlt.transformer(table_name="person_details", write_disposition="merge", primary_key="id", columns=PERSON_COLUMNS)
def person_details_rows(answers: list[dict[str, Any]], fetched_on: date) -> Iterator[list[dict[str, Any]]]:
    yield [person_row(a["body"], fetched_on) for a in answers if a["body"] is not None]


person_tombstone_rows = tombstone_transformer("person")


def people_branch(
    parent: DltResource, client: TMDBClient, day: date, plan: PeoplePlan, changed: bool
) -> list[DltResource]:
    branch = "changed" if changed else "new"

    claim = partial(plan.claim, changed=changed)
    fetch = objects_fetcher(f"person_requests_{branch}", client, "person", PERSON_APPEND, claim)
    answers = parent | fetch
    return [
        answers | person_details_rows(day).with_name(f"person_details_{branch}"),
        answers | person_tombstone_rows(day).with_name(f"person_tombstones_{branch}"),
    ]


def people_resources(
    client: TMDBClient, day: date, known: KnownPeople, per_run: int, changes_start_date: date | None
) -> list[DltResource]:
    """The people resources of one run: the new people (up to `per_run`), the changes feed and its refetches."""
    plan = PeoplePlan(known, per_run)
    feed = person_changes(client, day, changes_start_date)
    return [
        feed,
        *people_branch(people_to_fetch(plan.new, day, plan.fetched), client, day, plan, False),
        *people_branch(feed, client, day, plan, True),
    ]


PEOPLE_TABLES = ("person_details", "person_tombstones")
CREDIT_TABLES = ("movie_details__credits__cast", "movie_details__credits__crew")


def _candidates_sql(sql: Any, tables: set[str]) -> str | None:
    cast, crew = CREDIT_TABLES
    if cast not in tables and crew not in tables:
        return None
    parts = []
    if cast in tables:
        parts.append(
            f'select id as person_id, "order" as billing, popularity from {sql.make_qualified_table_name(cast)} '
            f'where "order" < {TOP_BILLED}'
        )
    if crew in tables:
        jobs = ", ".join(f"'{job}'" for job in KEY_JOBS)
        parts.append(
            f"select id, {TOP_BILLED}, popularity from {sql.make_qualified_table_name(crew)} where job in ({jobs})"
        )
    return (
        f"select person_id from ({' union all '.join(parts)}) where person_id is not null "
        "group by person_id order by min(billing), max(coalesce(popularity, 0)) desc, person_id"
    )


def read_known_people(pipeline: Any) -> KnownPeople:
    """The people fetched before (details or a 404) and the candidates, from the pipeline's raw tables (DuckDB's,
    or the lake's parquet files)."""
    try:
        with pipeline.sql_client() as sql:
            declare_lake_views(sql, (*PEOPLE_TABLES, *CREDIT_TABLES))
            tables = {
                row[0]
                for row in sql.execute_sql(
                    "select table_name from information_schema.tables where table_schema = %s", pipeline.dataset_name
                )
            }
            fetched: set[int] = set()
            if "person_details" in tables:
                name = sql.make_qualified_table_name("person_details")
                fetched |= {row[0] for row in sql.execute_sql(f"select id from {name}")}
            if "person_tombstones" in tables:
                name = sql.make_qualified_table_name("person_tombstones")
                fetched |= {row[0] for row in sql.execute_sql(f"select person_id from {name}")}
            query = _candidates_sql(sql, tables)
            candidates = [row[0] for row in sql.execute_sql(query)] if query else []
    except DatabaseUndefinedRelation:
        return KnownPeople()
    return KnownPeople(frozenset(fetched), candidates)
