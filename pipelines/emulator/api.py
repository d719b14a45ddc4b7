"""The TMDB v3 endpoints the ingestion uses, as plain functions of (path, query, simulated day).

No HTTP here: ``TMDBApi.handle`` returns a ``Response`` that the server writes (or mangles, when it
injects a fault). Auth, rate limits and faults are the server's business.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pipelines.emulator import fan, reference, reviews
from pipelines.emulator.catalog import Details
from pipelines.emulator.discover import DiscoverIndex, parse_sort
from pipelines.emulator.listings import Listings
from pipelines.emulator.people import People
from pipelines.emulator.simulation import Simulation
from pipelines.emulator.stats import Stats

PAGE_SIZE = 20
CHANGES_PAGE_SIZE = 100
MAX_PAGE = 500
MAX_CHANGES_RANGE_DAYS = 14
SUPPORTED_APPENDS = ("credits", "keywords", "release_dates", "external_ids", "watch/providers", "reviews")
DISCOVER_FIELDS = (
    "adult",
    "backdrop_path",
    "genre_ids",
    "id",
    "original_language",
    "original_title",
    "overview",
    "popularity",
    "poster_path",
    "release_date",
    "title",
    "video",
    "vote_average",
    "vote_count",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOVIE_PATH = re.compile(r"^/3/movie/(?P<id>[^/]+)(?:/(?P<sub>[^/]+(?:/providers)?))?/?$")
_PERSON_PATH = re.compile(r"^/3/person/(?P<id>[^/]+)/?$")

Query = dict[str, str]


@dataclass
class Response:
    status: int
    body: Any  # a JSON object, or an array (the /configuration lists)
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """Raised inside a handler to answer with a TMDB error body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("status_message"))
        self.response = Response(status, body)


def not_found() -> ApiError:
    return ApiError(404, reference.NOT_FOUND)


_FIXED_PATHS = {
    "/3/genre/movie/list": "genres",
    "/3/configuration": "configuration",
    "/3/configuration/languages": "configuration",
    "/3/configuration/countries": "configuration",
    "/3/discover/movie": "discover",
    "/3/movie/changes": "changes",
    "/3/certification/movie/list": "certifications",
    "/3/watch/providers/movie": "watch_providers",
    "/3/trending/movie/day": "trending",
    "/3/trending/movie/week": "trending",
    "/3/movie/now_playing": "now_playing",
    "/3/person/changes": "person_changes",
}


def endpoint_kind(path: str) -> str:
    """The stats bucket of a /3 path."""
    fixed = _FIXED_PATHS.get(path.rstrip("/"))
    if fixed is not None:
        return fixed
    if _PERSON_PATH.match(path):
        return "person"
    return "movie" if _MOVIE_PATH.match(path) else "unknown"


def parse_page(value: str | None) -> int:
    if value is None:
        return 1
    try:
        page = int(value)
    except ValueError:
        raise ApiError(400, reference.INVALID_PAGE) from None
    if not 1 <= page <= MAX_PAGE:
        raise ApiError(400, reference.INVALID_PAGE)
    return page


def parse_date(value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, reference.INVALID_DATE) from None


def page_body(page: int, results: list[Details], total: int, page_size: int) -> dict[str, Any]:
    return {
        "page": page,
        "results": results,
        "total_pages": max(1, math.ceil(total / page_size)),
        "total_results": total,
    }


def discover_item(details: Details) -> Details:
    """A /discover result item: a projection of the movie's details."""
    return {
        name: [g["id"] for g in details["genres"]] if name == "genre_ids" else details[name] for name in DISCOVER_FIELDS
    }


class TMDBApi:
    def __init__(self, simulation: Simulation, today: Callable[[], int], stats: Stats) -> None:
        self.simulation = simulation
        self.catalog = simulation.catalog
        self.discover_index = DiscoverIndex(simulation)
        self.listings = Listings(simulation, self.simulation.movie_details)
        self.people = People(simulation)
        self.today = today
        self.stats = stats

    def handle(self, path: str, query: Query) -> Response:
        try:
            return self._route(path, query)
        except ApiError as error:
            return error.response

    def _route(self, path: str, query: Query) -> Response:
        kind = endpoint_kind(path)
        if kind == "genres":
            return Response(200, {"genres": [{"id": i, "name": n} for i, n in reference.GENRES]})
        if kind == "configuration":
            return Response(200, self._configuration(path.rstrip("/")))
        if kind == "discover":
            return self.discover(query)
        if kind == "changes":
            return self.changes(query)
        if kind == "certifications":
            return Response(200, fan.certification_list())
        if kind == "watch_providers":
            return Response(200, fan.provider_list(query.get("watch_region") or None))
        if kind == "trending":
            return self.trending(path.rstrip("/").rsplit("/", 1)[1], query)
        if kind == "now_playing":
            return self.now_playing(query)
        if kind == "person_changes":
            return self.person_changes(query)
        if kind == "person":
            return self.person(path, query)
        match = _MOVIE_PATH.match(path)
        if match is None:
            raise not_found()
        return self.movie(match.group("id"), match.group("sub"), query)

    @staticmethod
    def _configuration(path: str) -> Any:
        if path.endswith("/languages"):
            return list(reference.languages())
        if path.endswith("/countries"):
            return list(reference.countries())
        return reference.CONFIGURATION

    def discover(self, query: Query) -> Response:
        page = parse_page(query.get("page"))
        gte = parse_date(query.get("primary_release_date.gte"))
        lte = parse_date(query.get("primary_release_date.lte"))
        window = (gte and gte.toordinal(), lte and lte.toordinal())
        include_adult = query.get("include_adult", "").lower() == "true"
        day = self.today()
        order = self.discover_index.query(day, query.get("sort_by"), *window, include_adult=include_adult)
        if parse_sort(query.get("sort_by")) == ("popularity", True):
            chunk = self.simulation.realism.page_rows(order, page, PAGE_SIZE, day, (*window, include_adult))
        else:
            chunk = order[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        results = [self._details_or_404(int(self.catalog.ids[i]), day) for i in chunk]
        return Response(200, page_body(page, [discover_item(d) for d in results], order.size, PAGE_SIZE))

    def _listing_page(self, ids: list[int], page: int, day: int, extra: dict[str, Any]) -> list[Details]:
        items = []
        for movie_id in ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
            details = self.simulation.movie_details(movie_id, day)
            if details is not None:
                items.append({**discover_item(details), **extra})
        return items

    def trending(self, window: str, query: Query) -> Response:
        """``/trending/movie/{day|week}``: items carry ``media_type`` "movie", as TMDB's do."""
        page = parse_page(query.get("page"))
        day = self.today()
        ids = self.listings.trending(day, window)
        results = self._listing_page(ids, page, day, {"media_type": "movie"})
        return Response(200, page_body(page, results, len(ids), PAGE_SIZE))

    def now_playing(self, query: Query) -> Response:
        """``/movie/now_playing`` (optionally ``region``), with TMDB's ``dates`` window."""
        page = parse_page(query.get("page"))
        day = self.today()
        region = (query.get("region") or "").upper() or None
        ids = self.listings.now_playing(day, region)
        first, last = self.listings.now_playing_window(day)
        body = page_body(page, self._listing_page(ids, page, day, {}), len(ids), PAGE_SIZE)
        return Response(200, {"dates": {"maximum": last.isoformat(), "minimum": first.isoformat()}, **body})

    def changes(self, query: Query) -> Response:
        page = parse_page(query.get("page"))
        first, last = self._changes_window(query)
        adult: dict[int, bool] = {}
        for d in range(first, last + 1):
            adult.update(self.simulation.change_feed(d))
        ids = sorted(adult)
        chunk = ids[(page - 1) * CHANGES_PAGE_SIZE : page * CHANGES_PAGE_SIZE]
        results = [{"id": movie_id, "adult": adult[movie_id]} for movie_id in chunk]
        return Response(200, page_body(page, results, len(ids), CHANGES_PAGE_SIZE))

    def _changes_window(self, query: Query) -> tuple[int, int]:
        """The simulated days of a changes request (`start_date`..`end_date`, at most 14 days, default today)."""
        today = self.today()
        end = parse_date(query.get("end_date")) or self.simulation.date_of(today)
        start = parse_date(query.get("start_date")) or end
        if end - start > timedelta(days=MAX_CHANGES_RANGE_DAYS):
            raise ApiError(422, reference.INVALID_DATE_RANGE)
        return max(1, self.simulation.day_index(start)), min(today, self.simulation.day_index(end))

    def person_changes(self, query: Query) -> Response:
        """``/person/changes``: ``{id, adult}`` items, 100 a page, like /movie/changes."""
        page = parse_page(query.get("page"))
        first, last = self._changes_window(query)
        ids = sorted({i for d in range(first, last + 1) for i in self.people.changed_ids(d)})
        people = self.people.index()
        chunk = ids[(page - 1) * CHANGES_PAGE_SIZE : page * CHANGES_PAGE_SIZE]
        results = [{"id": i, "adult": people[i].adult if i in people else False} for i in chunk]
        return Response(200, page_body(page, results, len(ids), CHANGES_PAGE_SIZE))

    def person(self, path: str, query: Query) -> Response:
        """``/person/{id}`` (``append_to_response=external_ids`` honoured); 404 for an id no movie credits."""
        match = _PERSON_PATH.match(path)
        raw_id = match.group("id") if match else ""
        if not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > 18:
            raise not_found()
        appends = {a.strip() for a in query.get("append_to_response", "").split(",")}
        body = self.people.details(int(raw_id), self.today(), "external_ids" in appends)
        if body is None:
            raise not_found()
        return Response(200, body)

    def movie(self, raw_id: str, sub: str | None, query: Query) -> Response:
        if not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > 18:
            raise not_found()
        movie_id = int(raw_id)
        if sub is None:  # the stats list the details requests (/3/movie/{id}), not the sub-resources' pages
            self.stats.movie(movie_id)
        details = self._details_or_404(movie_id, self.today())
        if sub is None:
            requested = query.get("append_to_response", "").split(",")
            for name in dict.fromkeys(a.strip() for a in requested):
                if name in SUPPORTED_APPENDS:
                    details[name] = self._appendix(name, movie_id, details)
            return Response(200, details)
        if sub not in SUPPORTED_APPENDS:
            raise not_found()
        if sub == "reviews":  # paged, unlike the other sub-resources
            page = parse_page(query.get("page"))
            return Response(200, self._reviews(details, page))
        appendix = self._appendix(sub, movie_id, details)
        return Response(200, {"id": movie_id, **appendix})

    def _appendix(self, name: str, movie_id: int, details: Details) -> dict[str, Any]:
        if name == "credits":
            return self.catalog.credits(movie_id)
        if name == "keywords":
            return {"keywords": self.catalog.keywords(movie_id)}
        if name == "reviews":
            body = self._reviews(details, 1)
            return {key: value for key, value in body.items() if key != "id"}
        if name == "external_ids":
            return fan.external_ids(self.simulation.seed, details)
        if name == "watch/providers":
            return fan.watch_providers(self.simulation.seed, details)
        odd_rate = self.simulation.realism.config.rate("odd_certification_rate")
        return {"results": fan.release_dates(self.simulation.seed, details, odd_rate)}

    def _reviews(self, details: Details, page: int) -> dict[str, Any]:
        """From the movie's base details (day 0): its reviews must not move as its votes drift."""
        today = self.simulation.date_of(self.today())
        base = {**self.catalog.details(details["id"]), "release_date": details.get("release_date")}
        return reviews.reviews_page(self.simulation.seed, base, self.simulation.start_date, today, page)

    def _details_or_404(self, movie_id: int, day: int) -> Details:
        details = self.simulation.movie_details(movie_id, day)
        if details is None:
            raise not_found()
        return details
