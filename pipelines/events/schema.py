"""The user-event schema: one home for what an event is, shared by the simulator, the loader and the docs.

An event is one JSON object on one line of an NDJSON file (README, "Users: events"). The loader keeps the
documented fields in typed columns of `raw.events` and any other field, as the producer sent it, in the JSON
column `extra_fields`; a line it cannot use goes to `raw.events_quarantine` with the reason `validate` gives.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

EVENT_TYPES = ("view", "rate", "watchlist_add", "watchlist_remove", "comment", "like", "dislike", "search")
# Every event type but search is about one movie and must name it.
MOVIE_EVENT_TYPES = frozenset(EVENT_TYPES) - {"search"}
RATING_MIN, RATING_MAX, RATING_STEP = 0.5, 5.0, 0.5

# name -> (dlt data type, required, description). Order = column order in raw.events.
FIELDS: dict[str, tuple[str, bool, str]] = {
    "event_id": ("text", True, "the producer's unique id of the event; a redelivered event repeats it"),
    "event_type": ("text", True, "one of " + ", ".join(EVENT_TYPES)),
    "user_id": ("text", True, "pseudonymous user id (no name, e-mail or IP ever reaches the warehouse)"),
    "session_id": ("text", False, "the client's session id: not trusted (sessions are rebuilt from the events)"),
    "movie_id": ("bigint", False, "TMDB movie id; required for every type but search"),
    "rating": ("double", False, "0.5 to 5.0 in steps of 0.5; required for rate"),
    "comment_text": ("text", False, "free text of a comment: stays in raw (retention in README), never in marts"),
    "search_query": ("text", False, "free text of a search: stays in raw like comments"),
    "client_ts": ("timestamp", True, "when the client says the event happened (ISO 8601; its clock may be off)"),
    "received_at": ("timestamp", True, "when the collector received it (ISO 8601, the server's clock)"),
    "device": ("text", False, "mobile, tablet, desktop or tv"),
    "browser": ("text", False, "browser or app name"),
    "country": ("text", False, "ISO 3166-1 alpha-2 country code from the client's settings"),
    "app_version": ("text", False, "the client application's version"),
}
KNOWN_FIELDS = frozenset(FIELDS)
_EVENT_TYPES = frozenset(EVENT_TYPES)


class InvalidEvent(ValueError):
    """A line that is not a usable event; the message is the reason stored in raw.events_quarantine."""


_REQUIRED = tuple(name for name, (_, required, _) in FIELDS.items() if required)


def parse_timestamp(value: Any, name: str) -> datetime:
    """An ISO 8601 timestamp as a naive datetime in UTC (naive input is UTC). Raises InvalidEvent with the field's
    name. Naive, because Arrow reads naive datetimes several times faster than aware ones (the loader's column is
    UTC)."""
    if not isinstance(value, str):
        raise InvalidEvent(f"{name} is not an ISO 8601 string: {value!r:.40}")
    try:
        parsed = datetime.fromisoformat(value)  # "Z" included (Python 3.11)
    except ValueError:
        raise InvalidEvent(f"{name} is not an ISO 8601 timestamp: {value!r:.40}") from None
    zone = parsed.tzinfo
    if zone is None:
        return parsed
    return parsed.replace(tzinfo=None) if zone is UTC else parsed.astimezone(UTC).replace(tzinfo=None)


def _text(value: Any) -> str | None:
    return value if value is None or type(value) is str else str(value)


# The order of the values `validate` returns: the documented fields in column order, then the extra fields.
ROW_FIELDS = (*FIELDS, "extra_fields")


def validate(event: Any) -> tuple[Any, ...]:
    """The event's documented fields typed (missing optional ones None, timestamps naive UTC), in the order of
    ROW_FIELDS, the last value a dict of the undocumented fields (None if there are none).

    Raises InvalidEvent naming the first problem: not an object, a required field missing or mistyped, an
    unknown event type, a movie event without a movie, a rating out of range. (Written for speed: it runs once
    per line of every landing file.)
    """
    if not isinstance(event, dict):
        raise InvalidEvent(f"not a JSON object but a JSON {type(event).__name__}")
    get = event.get
    for name in _REQUIRED:
        value = get(name)
        if value is None or value == "":
            raise InvalidEvent(f"required field {name} is missing")
    for name in ("event_id", "event_type", "user_id"):
        if not isinstance(event[name], str):
            raise InvalidEvent(f"{name} is not a string: {event[name]!r:.40}")
    event_type = event["event_type"]
    if event_type not in _EVENT_TYPES:
        raise InvalidEvent(f"unknown event_type {event_type!r:.40}")
    movie_id = get("movie_id")
    if movie_id is not None and (type(movie_id) is not int or movie_id <= 0):
        raise InvalidEvent(f"movie_id is not a positive integer: {movie_id!r:.40}")
    if movie_id is None and event_type in MOVIE_EVENT_TYPES:
        raise InvalidEvent(f"{event_type} event without movie_id")
    rating = None
    if event_type == "rate":
        rating = get("rating")
        if isinstance(rating, bool) or not isinstance(rating, int | float):
            raise InvalidEvent(f"rate event without a numeric rating: {rating!r:.40}")
        if not RATING_MIN <= rating <= RATING_MAX or (rating / RATING_STEP) % 1:
            raise InvalidEvent(f"rating {rating!r} is not 0.5-5.0 in steps of 0.5")
        rating = float(rating)
    client_ts = parse_timestamp(event["client_ts"], "client_ts")
    received_at = parse_timestamp(event["received_at"], "received_at")
    return (
        event["event_id"],
        event_type,
        event["user_id"],
        _text(get("session_id")),
        movie_id,
        rating,
        _text(get("comment_text")),
        _text(get("search_query")),
        client_ts,
        received_at,
        _text(get("device")),
        _text(get("browser")),
        _text(get("country")),
        _text(get("app_version")),
        undocumented_fields(event),
    )


def undocumented_fields(event: dict[str, Any]) -> dict[str, Any] | None:
    """The fields of `event` the schema does not document, as sent (None if there are none): kept in raw."""
    return None if KNOWN_FIELDS.issuperset(event) else {k: v for k, v in event.items() if k not in KNOWN_FIELDS}


# the tuple above is written out for speed; it must follow FIELDS
assert ROW_FIELDS == (
    "event_id", "event_type", "user_id", "session_id", "movie_id", "rating", "comment_text", "search_query",
    "client_ts", "received_at", "device", "browser", "country", "app_version", "extra_fields",
)  # fmt: skip
