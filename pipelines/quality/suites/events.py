"""Suites of the raw user events (`raw.events`, `raw.events_quarantine`, written by the dlt source `events`).

One home per check: the events' keys, types, accepted values and rating range are dbt's tests on
stg_events__* (models/staging/events/); the loader itself sends every unusable line to the quarantine. What is
left for GX is what neither says: distributions and completeness over the whole load. All are warnings: what
the producers send is a fact about them, not an invariant of the warehouse.

- the event type mix within plausible shares (a producer that stops sending rates, or floods views);
- the share of events naming a movie (every type but search does);
- ratings on the half-star grid, with a plausible mean and some spread (not every rating the same);
- events per user: log-IQR outliers (a bot, a replayed backlog), reported once per user;
- the share of a producer's lines that were quarantined (producers of at least `QUARANTINE_MIN_LINES` lines; the
  producer is read from the landing file's name), naming its quarantined files and lines.
"""

from __future__ import annotations

from pipelines.events.schema import EVENT_TYPES, RATING_STEP
from pipelines.quality.checks import INTEGER, NUMBER, TEXT, Derived, quote_table
from pipelines.quality.rules import CountOutliers, DerivedBetween, OnGrid, Rule, Share, Statistic, completeness
from pipelines.quality.spec import TableSpec

# Plausible shares of each event type in a movie app's traffic (min, max); beyond them a producer changed.
EVENT_TYPE_SHARES: dict[str, tuple[float | None, float | None]] = {
    "view": (0.30, 0.90),
    "rate": (0.05, 0.50),
    **{event_type: (None, 0.25) for event_type in EVENT_TYPES if event_type not in ("view", "rate")},
}
# Every event but a search names a movie: at most this share of the events without one.
MOVIE_ID_MISSING = 0.30
# The mean of the ratings (0.5-5.0) and their spread: beyond these, a producer's scale or default changed.
RATING_MEAN = (1.5, 4.5)
RATING_STDEV_MIN = 0.25
# A producer with more of its lines quarantined than this (the simulator sends 0.2%) has a problem worth naming;
# only producers of at least QUARANTINE_MIN_LINES lines are judged (one bad line among a few is noise).
QUARANTINE_MAX_SHARE = 0.02
QUARANTINE_MIN_LINES = 200


def _event_rules() -> tuple[Rule, ...]:
    mix = tuple(
        Share(f"{event_type}_events", f"event_type = '{event_type}'", ("event_type",), low, high)
        for event_type, (low, high) in EVENT_TYPE_SHARES.items()
    )
    low, high = RATING_MEAN
    return (
        *mix,
        *completeness("movie_id", MOVIE_ID_MISSING),
        OnGrid("rating", RATING_STEP),
        Statistic("rating", "mean", low, high, label=f"mean of rating between {low} and {high}"),
        Statistic("rating", "stdev", RATING_STDEV_MIN, label=f"stdev of rating >= {RATING_STDEV_MIN}"),
        CountOutliers("user_id", order_by="event_id", noun="events"),
    )


EVENTS = TableSpec(
    table="raw.events",
    key=("user_id", "event_id"),
    columns={
        "event_id": TEXT,
        "event_type": TEXT,
        "user_id": TEXT,
        "movie_id": INTEGER,
        "rating": NUMBER,
        "file_name": TEXT,
        "line_number": INTEGER,
    },
    rules=_event_rules(),
)


# The producer of a landing file, from the documented layout `<day>/<producer>-<YYYYMMDDTHH>.ndjson[.gz]`; a file
# named otherwise is its own producer.
PRODUCER_SQL = "coalesce(nullif(regexp_extract({file}, '([^/]+)-[0-9]{{8}}T[0-9]{{2}}[.]ndjson[^/]*$', 1), ''), {file})"


def _producer_lines(table: str) -> str:
    producer = PRODUCER_SQL.format(file="x.file_name")
    return f"(select count(*) from {quote_table(table)} x where {producer} = {PRODUCER_SQL.format(file='t.file_name')})"


# A quarantined line's producer: the share of its lines quarantined over the whole load (NULL for producers of
# fewer than QUARANTINE_MIN_LINES lines). raw.events keeps one copy of a redelivered event, so a producer's
# events are counted as the copies kept.
_QUARANTINED = _producer_lines("raw.events_quarantine")
_LINES = f"({_QUARANTINED} + {_producer_lines('raw.events')})"
QUARANTINE_SHARE = Derived(
    "dq_producer_quarantined_share",
    f"case when {_LINES} >= {QUARANTINE_MIN_LINES} then {_QUARANTINED} / {_LINES} end",
    needs=("file_name",),
    needs_tables=("raw.events",),
)

EVENTS_QUARANTINE = TableSpec(
    table="raw.events_quarantine",
    key=("file_name", "line_number"),
    columns={"file_name": TEXT, "line_number": INTEGER, "reason": TEXT},
    rules=(
        DerivedBetween(
            QUARANTINE_SHARE,
            max_value=QUARANTINE_MAX_SHARE,
            label=f"at most {QUARANTINE_MAX_SHARE:.0%} of a producer's lines quarantined "
            f"(producers of {QUARANTINE_MIN_LINES}+ lines)",
        ),
    ),
)

EVENTS_SPECS: tuple[TableSpec, ...] = (EVENTS, EVENTS_QUARANTINE)
