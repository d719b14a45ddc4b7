"""A replay server for the real recorded TMDB bodies in tests/fixtures/tmdb_api_examples/.

`serve(answer)` runs a local HTTP server whose answers come from `answer(path, query) -> (status, body)`;
`RealTmdbDays` is such an answer: several ingestion days of real recorded bodies with what real TMDB does and
the emulator's clean catalog never did (original languages no detailed movie speaks, `xx`/`cn` and unlisted
codes, null fields, votes that go down, a popularity sort that repeats a movie across pages, a changes feed
full of ids nobody tracks, details that answer 404).
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pipelines.ingest import IngestOptions, IngestReport, run_ingest
from pipelines.settings import Paths
from pipelines.tmdb.client import HttpSettings
from tests.json_http import send_json

EXAMPLES = Path(__file__).parent / "fixtures" / "tmdb_api_examples"
Answer = Callable[[str, dict[str, list[str]]], tuple[int, Any]]


def replay_http(base_url: str) -> HttpSettings:
    """Client settings for a replay server: no rate limit, short backoff."""
    return HttpSettings(base_url=base_url, api_key="recorded", rate_limit=0, timeout=5, backoff_factor=0.01)


def ingest_replayed_day(base_url: str, paths: Paths, day: date, top_n: int) -> IngestReport:
    """One ingestion day (changes since that day) against the replay server at `base_url`."""
    return run_ingest(
        IngestOptions(snapshot_date=day, top_n=top_n, changes_start_date=day), replay_http(base_url), paths, False
    )


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@contextmanager
def serve(answer: Answer) -> Iterator[str]:
    """Serve `answer` on 127.0.0.1; yields the base URL (ending in /3, like TMDB's)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            from urllib.parse import parse_qs, urlparse

            url = urlparse(self.path)
            status, body = answer(url.path, parse_qs(url.query))
            send_json(self, status, body)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/3"
    finally:
        server.shutdown()
        server.server_close()


class RealTmdbDays:
    """Real recorded bodies over several days, as the chain sees them through `run --source tmdb`.

    The day advances each time page 1 of the popularity listing is asked for. The 20 movies of the recorded
    discover page are the catalog: page 1 shows the first 12, page 2 the rest; from day 2 on, page 2 repeats
    a movie of page 1 (TMDB re-sorted between the two requests) and a vote count drops. Details: the recorded
    append-all body (original language `de`, spoken German only) under each movie's id, with the listing's
    original language; two movies answer 404, so they are known only from their listing. People: the recorded
    person body and changes page (see `changed_person_id`, `gone_person_id`). The fan endpoints, in the shapes
    TMDB documents with what real answers carry: a certification list keyed by 'CA-QC' (not an ISO country), a
    country whose list is empty; on `odd_release_id` a release of a type TMDB has not documented, rated 'Unrated'
    (outside TMDB's list), without a date; on `odd_offers_id` free and ads offers, one without logo or priority; a
    review whose author gave no rating; now playing announcing more than TMDB's 500 pages.
    """

    def __init__(self) -> None:
        self.discover = example("discover_movie__c-eg.json")["results"][:20]
        ids = [movie["id"] for movie in self.discover]
        self.gone_ids = {ids[5], ids[14]}
        self.unlisted_language_id, self.null_language_id, self.no_genres_id = ids[2], ids[3], ids[7]
        self.dropping_id = ids[0]
        self.odd_release_id, self.odd_offers_id = ids[8], ids[9]
        # People: the recorded /person/287 body under every credited id, except one deleted person (404); the
        # recorded /person/changes page lists one credited person as well
        cast = example("movie_details_12313_append_all__c-eg.json")["credits"]["cast"]
        self.changed_person_id, self.gone_person_id = cast[0]["id"], cast[1]["id"]
        overrides = {ids[1]: "ja", ids[4]: "xx", ids[6]: "cn", self.unlisted_language_id: "zz"}
        for movie in self.discover:
            movie["original_language"] = overrides.get(movie["id"], movie["original_language"])
        self.discover[3]["original_language"] = None
        self.discover[7]["genre_ids"] = []
        self.day = -1
        self.requests: list[str] = []

    def listing(self) -> list[dict[str, Any]]:
        """The day's movies in popularity order: votes grow a little each day, but one movie loses votes."""
        movies = copy.deepcopy(self.discover)
        for movie in movies:
            change = -40 if movie["id"] == self.dropping_id else 3
            movie["vote_count"] = max(0, movie["vote_count"] + change * self.day)
            movie["popularity"] = round(movie["popularity"] * (1 + 0.05 * self.day), 3)
        return movies

    def details(self, movie_id: int) -> tuple[int, Any]:
        if movie_id in self.gone_ids:
            return 404, example("error_404_not_found__jdrouet.json")
        listed = next((m for m in self.listing() if m["id"] == movie_id), None)
        if listed is None:
            return 404, example("error_404_not_found__jdrouet.json")
        body = example("movie_details_12313_append_all__c-eg.json")
        body.update({key: listed[key] for key in ("id", "title", "original_language", "vote_count", "popularity")})
        if movie_id == self.no_genres_id:
            body["genres"] = []
        if movie_id == self.odd_release_id:
            odd = {
                "certification": "Unrated",
                "descriptors": [],
                "iso_639_1": "",
                "note": "",
                "release_date": "",
                "type": 7,
            }
            body["release_dates"]["results"].append({"iso_3166_1": "US", "release_dates": [odd]})
        if movie_id == self.odd_offers_id:
            provider = body["watch/providers"]["results"]["AT"]["flatrate"][0]
            body["watch/providers"]["results"]["US"] = {
                "link": "https://www.themoviedb.org/movie/12313-bergkristall/watch?locale=US",
                "free": [{"provider_id": 538, "provider_name": "Plex"}],
                "ads": [{**provider, "display_priority": None, "logo_path": None}],
            }
        # the author of the recorded review gave no rating this time
        review = body["reviews"]["results"][0]
        body["reviews"]["results"] = [{**review, "author_details": {**review["author_details"], "rating": None}}]
        # null in every row of the load: a declared column, and a nested object's fields no hint declares
        body["homepage"] = None
        body["external_ids"] = {**body["external_ids"], "wikidata_id": None, "facebook_id": None, "twitter_id": None}
        return 200, body

    def __call__(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        self.requests.append(path)
        page = int(query.get("page", ["1"])[0])
        if path == "/3/configuration":
            return 200, example("configuration__c-eg.json")
        if path == "/3/configuration/languages":
            return 200, example("configuration_languages__c-eg.json")
        if path == "/3/configuration/countries":
            return 200, example("configuration_countries__c-eg.json")
        if path == "/3/genre/movie/list":
            return 200, example("genre_movie_list__c-eg.json")
        if path == "/3/discover/movie":
            if page == 1:
                self.day += 1
            movies = self.listing()
            shown = movies[:12] if page == 1 else movies[12:] + (movies[11:12] if self.day > 0 else [])
            body = {"page": page, "results": shown if page <= 2 else [], "total_pages": 2, "total_results": 20}
            return 200, body
        if path == "/3/movie/changes":
            body = example("movie_changes__c-eg.json")
            body["results"] = body["results"] + [{"id": self.discover[0]["id"], "adult": False}]
            return 200, {**body, "page": 1, "total_pages": 1} if page == 1 else {"page": page, "results": []}
        listing = self.lists(path)
        if listing is not None:
            return 200, listing
        if path.startswith("/3/movie/") and path.rsplit("/", 1)[1].isdigit():
            return self.details(int(path.rsplit("/", 1)[1]))
        if path == "/3/person/changes":  # the recorded page, with one credited person of the recorded credits
            body = example("person_changes__jdrouet.json")
            body["results"] = body["results"] + [{"id": self.changed_person_id, "adult": None}]
            return 200, {**body, "page": 1, "total_pages": 1} if page == 1 else {"page": page, "results": []}
        if path.startswith("/3/person/") and path.rsplit("/", 1)[1].isdigit():
            person_id = int(path.rsplit("/", 1)[1])
            if person_id == self.gone_person_id:
                return 404, example("error_404_not_found__jdrouet.json")
            return 200, {**example("person_details_287__jdrouet.json"), "id": person_id}  # external_ids not recorded
        return 404, example("error_404_not_found__jdrouet.json")

    def lists(self, path: str) -> Any:
        """Trending, now playing, certifications and watch providers: real recorded items in the shapes TMDB
        documents for these endpoints (no recording of them is published); None for any other path."""
        movies = self.listing()
        page = {"page": 1, "total_pages": 1, "total_results": len(movies)}
        if path in ("/3/trending/movie/day", "/3/trending/movie/week"):
            shown = movies if path.endswith("day") else movies[::-1]
            return {**page, "results": [{**movie, "media_type": "movie"} for movie in shown]}
        if path == "/3/movie/now_playing":  # every page the same five movies; TMDB serves 500 pages at most
            dates = {"maximum": "2023-01-20", "minimum": "2022-12-03"}
            return {"dates": dates, **page, "results": movies[:5], "total_pages": 612, "total_results": 12236}
        if path == "/3/certification/movie/list":
            return {
                "certifications": {
                    "DE": [{"certification": "6", "meaning": "Ab 6 Jahren.", "order": 2}],
                    "CA-QC": [{"certification": "13+", "meaning": "13 years and over.", "order": 2}],
                    "US": [{"certification": "R", "meaning": "Under 17 requires accompanying parent.", "order": 4}],
                    "LU": [],
                }
            }
        if path == "/3/watch/providers/movie":
            offers = example("movie_details_12313_append_all__c-eg.json")["watch/providers"]["results"]["AT"]
            providers = {p["provider_id"]: p for kind in ("flatrate", "rent", "buy") for p in offers.get(kind, [])}
            return {
                "results": [
                    {**p, "display_priorities": {"US": p["display_priority"], "AT": p["display_priority"]}}
                    for p in providers.values()
                ]
            }
        return None
