"""The `tmdb` dlt source: TMDB API v3 into the warehouse's raw schema.

Resources (tables):
- `genres`, `languages`, `countries` (replace): TMDB's reference lists (/genre/movie/list,
  /configuration/languages, /configuration/countries), the codes the dims resolve against.
- `discover_results` (merge on id + snapshot_date): the day's discover listing: the top-N most popular movies
  and, when asked, a release-year backfill sliced into date windows that never need page > 500.
- `movie_changes` (merge on id + window): the `/movie/changes` feed, read in windows of at most 14 days from a
  cursor kept in dlt state (the endpoint has no cursor field of its own).
- `movie_details` (merge on id): one request per movie with credits, keywords and release dates appended; dlt
  unnests them into child tables. Fetched for movies discovered for the first time, for tracked movies in the
  changes feed, and (weekly refresh) for every tracked movie. A 404 becomes a row in `movie_tombstones`.
- `movie_status` (merge on movie_id + snapshot_date): popularity, vote_count and vote_average per movie per
  ingestion day, from the discover listing and from details; re-running a day replaces that day.
- the fan resources of issue 17 (certifications.py, watch.py, listings.py, reviews.py), the people of tracked
  movies (`person_details`, `person_changes`, `person_tombstones`: people.py) and the daily ID exports of movies
  and people (exports.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import dlt
from dlt.common.schema.typing import TColumnSchema
from dlt.extract.resource import DltResource

from pipelines.tmdb.certifications import certifications, fetch_certifications
from pipelines.tmdb.client import MAX_PAGE, TMDBClient, TMDBError, TMDBHTTPError
from pipelines.tmdb.listings import DEFAULT_LISTING_PAGES, DEFAULT_LISTING_REGIONS, movie_listings
from pipelines.tmdb.reviews import reviews_rows
from pipelines.tmdb.tombstones import tombstone_transformer
from pipelines.tmdb.watch import (
    DEFAULT_WATCH_REGIONS,
    OFFER_COLUMNS,
    fetch_providers,
    watch_providers,
    with_watch_offers,
)
from pipelines.tmdb.windows import change_windows, discover_slices

DETAILS_APPEND = "credits,keywords,release_dates,external_ids,watch/providers,reviews"

# Declared types for the columns whose type must not depend on the first value seen (TMDB sends 0 for an
# unknown vote_average and 7.5 for a known one; a nested object may be null in every row of a first load).
_MOVIE_COLUMNS: dict[str, TColumnSchema] = {
    "id": {"data_type": "bigint", "nullable": False},
    "snapshot_date": {"data_type": "date", "nullable": False},
    "title": {"data_type": "text"},
    "original_title": {"data_type": "text"},
    "original_language": {"data_type": "text"},
    "overview": {"data_type": "text"},
    "release_date": {"data_type": "text"},
    "popularity": {"data_type": "double"},
    "vote_average": {"data_type": "double"},
    "vote_count": {"data_type": "bigint"},
    "adult": {"data_type": "bool"},
    "video": {"data_type": "bool"},
    "poster_path": {"data_type": "text"},
    "backdrop_path": {"data_type": "text"},
}
DETAILS_COLUMNS: dict[str, TColumnSchema] = {
    **_MOVIE_COLUMNS,
    "budget": {"data_type": "bigint"},
    "revenue": {"data_type": "bigint"},
    "runtime": {"data_type": "bigint"},
    "status": {"data_type": "text"},
    "tagline": {"data_type": "text"},
    "homepage": {"data_type": "text"},
    "imdb_id": {"data_type": "text"},
    "belongs_to_collection__id": {"data_type": "bigint"},
    "belongs_to_collection__name": {"data_type": "text"},
    "belongs_to_collection__poster_path": {"data_type": "text"},
    "belongs_to_collection__backdrop_path": {"data_type": "text"},
    "external_ids__imdb_id": {"data_type": "text"},
    "external_ids__wikidata_id": {"data_type": "text"},
    "external_ids__facebook_id": {"data_type": "text"},
    "external_ids__instagram_id": {"data_type": "text"},
    "external_ids__twitter_id": {"data_type": "text"},
}
_PERSON_COLUMNS: dict[str, TColumnSchema] = {
    "id": {"data_type": "bigint"},
    "name": {"data_type": "text"},
    "original_name": {"data_type": "text"},
    "gender": {"data_type": "bigint"},
    "adult": {"data_type": "bool"},
    "popularity": {"data_type": "double"},
    "profile_path": {"data_type": "text"},
    "known_for_department": {"data_type": "text"},
    "credit_id": {"data_type": "text"},
}
_PARENTS = {
    ("keywords", "keywords"): "movie_details",
    ("credits", "cast"): "movie_details",
    ("credits", "crew"): "movie_details",
    ("release_dates", "results"): "movie_details",
    ("release_dates", "results", "release_dates"): "movie_details__release_dates__results",
}
_ID_NAME: dict[str, TColumnSchema] = {"id": {"data_type": "bigint"}, "name": {"data_type": "text"}}
# Child tables of movie_details, typed so that a column null in every row of a load still exists, typed.
# A nested object (credits, keywords, release_dates) is flattened into its parent, so the lists inside it are
# children of movie_details itself: `parent` says so where the path alone would suggest another parent.
DETAILS_NESTED_HINTS: dict[Any, Any] = {
    path: dlt.mark.make_nested_hints(columns=columns, parent_table_name=_PARENTS.get(path))
    for path, columns in {
        ("genres",): _ID_NAME,
        ("keywords", "keywords"): _ID_NAME,
        ("production_companies",): {
            **_ID_NAME,
            "logo_path": {"data_type": "text"},
            "origin_country": {"data_type": "text"},
        },
        ("production_countries",): {"iso_3166_1": {"data_type": "text"}, "name": {"data_type": "text"}},
        ("spoken_languages",): {
            "english_name": {"data_type": "text"},
            "iso_639_1": {"data_type": "text"},
            "name": {"data_type": "text"},
        },
        ("credits", "cast"): {
            **_PERSON_COLUMNS,
            "character": {"data_type": "text"},
            "order": {"data_type": "bigint"},
            "cast_id": {"data_type": "bigint"},
        },
        ("credits", "crew"): {**_PERSON_COLUMNS, "department": {"data_type": "text"}, "job": {"data_type": "text"}},
        ("release_dates", "results"): {"iso_3166_1": {"data_type": "text"}},
        ("release_dates", "results", "release_dates"): {
            "certification": {"data_type": "text"},
            "iso_639_1": {"data_type": "text"},
            "note": {"data_type": "text"},
            "release_date": {"data_type": "text"},
            "type": {"data_type": "bigint"},
        },
        ("watch_providers",): OFFER_COLUMNS,
    }.items()
}
STATUS_COLUMNS: dict[str, TColumnSchema] = {
    "movie_id": {"data_type": "bigint", "nullable": False},
    "snapshot_date": {"data_type": "date", "nullable": False},
    "popularity": {"data_type": "double"},
    "vote_count": {"data_type": "bigint"},
    "vote_average": {"data_type": "double"},
}
STATUS_KEY = ["movie_id", "snapshot_date"]


def status_row(movie: dict[str, Any], snapshot_date: date) -> dict[str, Any]:
    """One movie_status row from a discover item or a details body (the same movie and day: the same values)."""
    return {
        "movie_id": movie["id"],
        "snapshot_date": snapshot_date,
        "popularity": movie.get("popularity"),
        "vote_count": movie.get("vote_count"),
        "vote_average": movie.get("vote_average"),
    }


class DetailsPlan:
    """Decides, across the transformer branches running in parallel, which movie ids get a details request.

    Each id is requested at most once per run. New ids (not yet tracked in the warehouse) come from discover;
    tracked ids come from the changes feed, or all of them on a full refresh. A changed id that is neither
    tracked nor discovered today is some other TMDB movie, outside this warehouse's catalog, and is skipped.
    """

    def __init__(self, tracked_ids: Iterable[int]) -> None:
        self.tracked = frozenset(tracked_ids)
        self._discovered: set[int] = set()
        self._claimed: set[int] = set()
        self._lock = threading.Lock()

    def _claim(self, ids: Iterable[int], wanted: Any) -> list[int]:
        with self._lock:
            picked = [i for i in dict.fromkeys(ids) if i not in self._claimed and wanted(i)]
            self._claimed.update(picked)
            return picked

    def claim_discovered(self, ids: Sequence[int]) -> list[int]:
        with self._lock:
            self._discovered.update(ids)
        return self._claim(ids, lambda i: i not in self.tracked)

    def claim_changed(self, ids: Sequence[int]) -> list[int]:
        return self._claim(ids, lambda i: i in self.tracked or i in self._discovered)

    def claim_tracked(self, ids: Sequence[int]) -> list[int]:
        return self._claim(ids, lambda i: True)


@dlt.resource(name="genres", write_disposition="replace", primary_key="id", columns=_ID_NAME)
def genres(client: TMDBClient) -> Iterator[list[dict[str, Any]]]:
    body = client.get_json("/genre/movie/list")
    yield [g for g in (body.get("genres") if isinstance(body, dict) else None) or [] if g.get("id") is not None]


_LANGUAGE_COLUMNS: dict[str, TColumnSchema] = {
    "iso_639_1": {"data_type": "text", "nullable": False},
    "english_name": {"data_type": "text"},
    "name": {"data_type": "text"},
}
_COUNTRY_COLUMNS: dict[str, TColumnSchema] = {
    "iso_3166_1": {"data_type": "text", "nullable": False},
    "english_name": {"data_type": "text"},
    "native_name": {"data_type": "text"},
}


def reference_list(client: TMDBClient, path: str, code: str) -> list[dict[str, Any]] | None:
    """A /configuration list (a bare JSON array), keeping the entries with a code; None when TMDB answers 404
    (see TMDBClient.get_json_unless_missing)."""
    body = client.get_json_unless_missing(path)
    if body is None:
        return None
    if not isinstance(body, list):
        raise TMDBError(f"TMDB answered {path} with a {type(body).__name__}, not a list")
    return [item for item in body if isinstance(item, dict) and item.get(code)]


@dlt.resource(name="languages", write_disposition="replace", primary_key="iso_639_1", columns=_LANGUAGE_COLUMNS)
def languages(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """TMDB's language list: ISO 639-1 codes and a few of its own (`xx` no language, `cn` Cantonese)."""
    yield rows


@dlt.resource(name="countries", write_disposition="replace", primary_key="iso_3166_1", columns=_COUNTRY_COLUMNS)
def countries(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """TMDB's country list: ISO 3166-1 codes, historic ones included (`SU`, `YU`, `XC`)."""
    yield rows


def without_nulls(value: Any) -> Any:
    """`value` with every null dropped from its objects and lists, recursively.

    TMDB sends null for "unknown" (and whole objects, e.g. `belongs_to_collection`, as null when absent). A
    dropped key loads as NULL all the same (declared columns exist in the schema), while a key that is null in
    every row of a load would leave dlt an untyped column and a WARNING block about it.
    """
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value if item is not None]
    return value


def _listing_rows(items: list[dict[str, Any]], snapshot_date: date) -> list[dict[str, Any]]:
    return [
        {**without_nulls(item), "snapshot_date": snapshot_date}
        for item in items
        if isinstance(item, dict) and item.get("id") is not None
    ]


def _discover_backfill(
    client: TMDBClient, first_year: int, last_year: int, snapshot_date: date
) -> Iterator[list[dict[str, Any]]]:
    """Every movie released in first_year..last_year, sliced so that no slice needs more than 500 pages."""
    params = {"sort_by": "primary_release_date.asc", "include_adult": "false"}
    first_pages: dict[tuple[date, date], dict[str, Any]] = {}

    def total_pages(start: date, end: date) -> int:
        body = client.get_json(
            "/discover/movie",
            {**params, "primary_release_date.gte": start.isoformat(), "primary_release_date.lte": end.isoformat()},
        )
        first_pages[(start, end)] = body
        return int(body.get("total_pages") or 0)

    for start, end, pages in discover_slices(date(first_year, 1, 1), date(last_year, 12, 31), total_pages, MAX_PAGE):
        first = first_pages.pop((start, end))
        yield _listing_rows(first.get("results") or [], snapshot_date)
        if pages > 1:
            window = {
                **params,
                "primary_release_date.gte": start.isoformat(),
                "primary_release_date.lte": end.isoformat(),
            }
            for page in client.paginate("/discover/movie", window, first_page=2, max_page=min(pages, MAX_PAGE)):
                yield _listing_rows(list(page), snapshot_date)


@dlt.resource(
    name="discover_results", write_disposition="merge", primary_key=["id", "snapshot_date"], columns=_MOVIE_COLUMNS
)
def discover(
    client: TMDBClient,
    snapshot_date: date,
    top_n: int,
    backfill_years: tuple[int, int] | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """The top-N most popular movies today, then (optionally) every movie of a range of release years.

    TMDB re-sorts by popularity while one pages through a listing, so a movie can show on two pages (and
    another on none): the top N are N distinct movies, read on as many pages as that takes.
    """
    if top_n > 0:
        seen: set[int] = set()
        params = {"sort_by": "popularity.desc", "include_adult": "false"}
        for page in client.paginate("/discover/movie", params):
            rows = []
            for row in _listing_rows(list(page), snapshot_date):
                if row["id"] not in seen and len(seen) < top_n:
                    seen.add(row["id"])
                    rows.append(row)
            yield rows
            if len(seen) >= top_n:
                break
    if backfill_years:
        yield from _discover_backfill(client, backfill_years[0], backfill_years[1], snapshot_date)


@dlt.transformer(
    name="movie_status_from_discover",
    table_name="movie_status",
    write_disposition="merge",
    primary_key=STATUS_KEY,
    columns=STATUS_COLUMNS,
)
def status_from_discover(items: list[dict[str, Any]], snapshot_date: date) -> Iterator[list[dict[str, Any]]]:
    yield [status_row(item, snapshot_date) for item in items]


@dlt.resource(
    name="movie_changes",
    write_disposition="merge",
    primary_key=["id", "change_window_start"],
    columns={"id": {"data_type": "bigint", "nullable": False}, "adult": {"data_type": "bool"}},
)
def changes(client: TMDBClient, snapshot_date: date, first_date: date | None = None) -> Iterator[list[dict[str, Any]]]:
    """Ids TMDB lists as changed since the cursor, in windows of at most 14 days.

    The cursor (`last_date`, the last day whose changes were read) lives in this resource's dlt state, which dlt
    commits together with the loaded data: a run that dies before its load re-reads the same windows.
    """
    yield from changes_feed(client, "/movie/changes", snapshot_date, first_date)


def changes_feed(
    client: TMDBClient, path: str, snapshot_date: date, first_date: date | None
) -> Iterator[list[dict[str, Any]]]:
    """The pages of a TMDB changes feed (`/movie/changes`, `/person/changes`) from the cursor in the calling
    resource's dlt state to `snapshot_date`, in windows of at most 14 days; the cursor moves after each window."""
    state = dlt.current.resource_state()
    last = state.get("last_date")
    begin = date.fromisoformat(last) + timedelta(days=1) if last else (first_date or snapshot_date)
    for start, end in change_windows(begin, snapshot_date):
        params = {"start_date": start.isoformat(), "end_date": end.isoformat()}
        for page in client.paginate(path, params):
            yield [
                {"id": item["id"], "adult": item.get("adult"), "change_window_start": start, "change_window_end": end}
                for item in page
                if isinstance(item, dict) and item.get("id") is not None
            ]
        state["last_date"] = end.isoformat()


@dlt.resource(name="tracked_movies", selected=False)
def tracked_movies(tracked_ids: Sequence[int], page_size: int = 100) -> Iterator[list[dict[str, Any]]]:
    """Every movie already in the warehouse, as `{id}` pages for a full details refresh."""
    ordered = sorted(tracked_ids)
    for start in range(0, len(ordered), page_size):
        yield [{"id": movie_id} for movie_id in ordered[start : start + page_size]]


def fetch_object(client: TMDBClient, kind: str, object_id: int, append: str) -> dict[str, Any]:
    """`/{kind}/{object_id}` with `append` appended, as `{"<kind>_id", "body", "error"}`: a 404 is an answer (the
    movie or person was deleted), `body` None and `error` the tombstone's fields, not an error."""
    key = f"{kind}_id"
    try:
        body = client.get_json(f"/{kind}/{object_id}", {"append_to_response": append})
    except TMDBHTTPError as exc:
        if not exc.not_found:  # a 404, or "not found" in a 200 body (some proxies and old API answers)
            raise
        error = {
            "http_status": exc.status_code,
            "tmdb_status_code": exc.tmdb_status_code,
            "tmdb_status_message": exc.tmdb_status_message,
        }
        return {key: object_id, "body": None, "error": error}
    if not isinstance(body, dict):
        raise TMDBError(f"TMDB answered /{kind}/{object_id} with a {type(body).__name__}, not a {kind} object")
    return {key: object_id, "body": {**body, "id": body.get("id") or object_id}, "error": None}


def objects_fetcher(
    name: str, client: TMDBClient, kind: str, append: str, claim: Callable[[list[int]], list[int]]
) -> DltResource:
    """A transformer answering the ids its parent yields with `fetch_object` (`/{kind}/{id}` with `append`):
    only the ids `claim` keeps (not fetched yet this run); one list of answers per parent page. The movie details
    branches and the people branches fetch through it.

    dlt runs it in its extract pool (`parallelized`), so the pages of every branch wait for their answers side by
    side while dlt's main thread reads further pages and writes the answers already in; their requests share the
    client's pool (`client.settings.concurrency` in flight, `TMDBClient.map_concurrently`), which therefore always
    has the next ids queued. Measured with `make bench-ingest` (README)."""

    @dlt.transformer(name=name, selected=False, parallelized=True)
    def fetch(items: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        ids = claim([item["id"] for item in items if item.get("id") is not None])
        if not ids:
            return None
        return client.map_concurrently(lambda object_id: fetch_object(client, kind, object_id, append), ids)

    return fetch


def details_row(body: dict[str, Any], snapshot_date: date) -> dict[str, Any]:
    """A details body as its raw row: nulls dropped, the region-keyed `watch/providers` as a list of offers, the
    appended reviews left to their own table (`movie_reviews`)."""
    body = {key: value for key, value in body.items() if key != "reviews"}
    return {**without_nulls(with_watch_offers(body)), "snapshot_date": snapshot_date}


@dlt.transformer(
    table_name="movie_details",
    write_disposition="merge",
    primary_key="id",
    columns=DETAILS_COLUMNS,
    nested_hints=DETAILS_NESTED_HINTS,
)
def details_rows(answers: list[dict[str, Any]], snapshot_date: date) -> Iterator[list[dict[str, Any]]]:
    yield [details_row(a["body"], snapshot_date) for a in answers if a["body"] is not None]


@dlt.transformer(table_name="movie_status", write_disposition="merge", primary_key=STATUS_KEY, columns=STATUS_COLUMNS)
def status_rows(answers: list[dict[str, Any]], snapshot_date: date) -> Iterator[list[dict[str, Any]]]:
    yield [status_row(a["body"], snapshot_date) for a in answers if a["body"] is not None]


tombstone_rows = tombstone_transformer("movie")


def details_branch(
    parent: DltResource, client: TMDBClient, snapshot_date: date, claim: Any, branch: str
) -> list[DltResource]:
    """Details for the ids one parent yields (`branch`: discovered, changed or tracked), fanned out to the
    movie_details, movie_status, movie_tombstones and movie_reviews tables."""

    fetch = objects_fetcher(f"details_requests_{branch}", client, "movie", DETAILS_APPEND, claim)
    answers = parent | fetch
    return [
        answers | details_rows(snapshot_date).with_name(f"movie_details_{branch}"),
        answers | status_rows(snapshot_date).with_name(f"movie_status_{branch}"),
        answers | tombstone_rows(snapshot_date).with_name(f"movie_tombstones_{branch}"),
        answers | reviews_rows(client, snapshot_date).with_name(f"movie_reviews_{branch}"),
    ]


# root_key: every child row carries `_dlt_root_id`, the movie_details (or listing) row it belongs to, whatever the
# destination: dlt adds it for merge tables, and the lake's filesystem destination appends instead of merging.
@dlt.source(name="tmdb", section="tmdb", root_key=True)
def tmdb_source(
    snapshot_date: date | None = None,
    top_n: int = 1000,
    changes_start_date: date | None = None,
    backfill_years: tuple[int, int] | None = None,
    tracked_ids: Sequence[int] = (),
    refresh_tracked: bool = False,
    client: TMDBClient | None = None,
    catalog: tuple[Any, Any] | None = None,
    crawl_ids: Sequence[int] = (),
    catalog_backfill_days: int = 90,
    watch_regions: Sequence[str] = DEFAULT_WATCH_REGIONS,
    listing_pages: int = DEFAULT_LISTING_PAGES,
    listing_regions: Sequence[str] = DEFAULT_LISTING_REGIONS,
    people_per_run: int = 0,
    known_people: Any = None,
    person_exports: Any = None,
    person_backfill_days: int = 7,
) -> Any:
    """TMDB's catalog, changes, details and daily status for one ingestion day (`snapshot_date`, default today).

    dlt injects what is not given from its configuration, `[sources.tmdb]` (`top_n`, `changes_start_date`,
    `catalog_backfill_days`: the days of daily ID exports a first run loads).
    `client` defaults to one built from the same configuration and the TMDB_* variables (`settings.http_settings`);
    pass one to read its counters after the run. `tracked_ids` are the movies already in the warehouse, read by the
    caller before the run. Details are fetched `client.settings.concurrency` at a time. `catalog` adds TMDB's daily
    ID exports (an `ExportSettings` and a `CatalogContext`, pipelines/tmdb/exports.py); `crawl_ids` are untracked
    movies whose details this run fetches (the crawl's budget, pipelines/tmdb/crawl.py). `watch_regions` are the
    regions whose watch-provider list is loaded (`[sources.tmdb] watch_regions`; a movie's own providers come with
    its details, for every region TMDB lists). `listing_pages` pages (20 movies each, 0 for none) of trending today,
    trending this week and, per `listing_regions`, now playing are read every day (`movie_listings`).
    `known_people` (a `KnownPeople`, read by the caller before the run) adds the people of tracked movies: at most
    `people_per_run` new ones a run, and the changed ones again (pipelines/tmdb/people.py; 0 or None: no people).
    `person_exports` (an `ExportSettings`) adds TMDB's daily person export, everyone's popularity, a first run
    loading `person_backfill_days` days (`[sources.tmdb] person_backfill_days`).
    """
    if client is None:
        from pipelines.settings import http_settings

        client = TMDBClient(http_settings())
    day = snapshot_date or date.today()
    plan = DetailsPlan(tracked_ids)

    listing = discover(client, day, top_n, backfill_years)
    feed = changes(client, day, changes_start_date)
    resources: list[DltResource] = [
        genres(client),
        listing,
        listing | status_from_discover(day),
        feed,
        *details_branch(listing, client, day, plan.claim_discovered, "discovered"),
        *details_branch(feed, client, day, plan.claim_changed, "changed"),
    ]
    language_list = reference_list(client, "/configuration/languages", "iso_639_1")
    if language_list is not None:
        resources.append(languages(language_list))
    country_list = reference_list(client, "/configuration/countries", "iso_3166_1")
    if country_list is not None:
        resources.append(countries(country_list))
    if catalog is not None:  # the daily ID exports (pipelines/tmdb/exports.py): (ExportSettings, CatalogContext)
        from pipelines.tmdb.exports import catalog_resources

        settings, context = catalog
        resources += catalog_resources(day, replace(settings, backfill_days=catalog_backfill_days), context)
    if person_exports is not None:  # the daily person export, same loader (pipelines/tmdb/exports.py)
        from pipelines.tmdb.exports import person_export_resources

        resources += person_export_resources(day, replace(person_exports, backfill_days=person_backfill_days))
    if crawl_ids:  # untracked movies within the details budget, breakouts first (pipelines/tmdb/crawl.py)
        from pipelines.tmdb.crawl import crawl_movies

        resources += details_branch(crawl_movies(crawl_ids, day), client, day, plan.claim_tracked, "crawl")
    certification_list = fetch_certifications(client)
    if certification_list is not None:
        resources.append(certifications(certification_list))
    provider_list = fetch_providers(client, watch_regions) if watch_regions else None
    if provider_list is not None:
        resources.append(watch_providers(provider_list))
    if listing_pages > 0:
        resources.append(movie_listings(client, day, listing_pages, listing_regions))
    if known_people is not None and people_per_run > 0:  # people of tracked movies (pipelines/tmdb/people.py)
        from pipelines.tmdb.people import people_resources

        resources += people_resources(client, day, known_people, people_per_run, changes_start_date)
    if refresh_tracked:
        resources += details_branch(tracked_movies(plan.tracked), client, day, plan.claim_tracked, "tracked")
    return resources
