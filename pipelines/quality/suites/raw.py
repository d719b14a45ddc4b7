"""Suites of the raw tables dlt writes (schema `raw`): what the source delivered, before any cleaning.

TMDB's conventions hold here: '' is an unknown text, 0 an unknown amount; release_date is 'YYYY-MM-DD' text.
"""

from __future__ import annotations

from pipelines.quality.checks import CRITICAL, DATE, INTEGER, TEXT, WARNING
from pipelines.quality.rules import Between, HasChildren, Matches, NotBeyondHorizon, NotNull, Unique
from pipelines.quality.spec import TableSpec
from pipelines.quality.suites.common import (
    AUDIENCE_COLUMNS,
    GENRES_MISSING,
    RELEASE_HORIZON_DAYS,
    STATUS_COLUMNS,
    audience_rules,
    daily_status_rules,
    money_rules,
    movie_text_completeness,
)

MOVIE_DETAILS = TableSpec(
    table="raw.movie_details",
    key=("id",),
    columns={
        "id": INTEGER,
        "snapshot_date": DATE,
        "title": TEXT,
        "overview": TEXT,
        "release_date": TEXT,
        "budget": INTEGER,
        "revenue": INTEGER,
        "runtime": INTEGER,
        **AUDIENCE_COLUMNS,
        "status": TEXT,
        "_dlt_id": TEXT,
        "_dlt_load_id": TEXT,
    },
    rules=(
        NotNull("id"),
        NotNull("snapshot_date"),
        Unique(("id",)),
        *movie_text_completeness(blank_is_null=True),
        HasChildren("genres", "raw.movie_details__genres", GENRES_MISSING),
        Matches("release_date", r"^(?:\d{4}-\d{2}-\d{2})?$", label="release_date is 'YYYY-MM-DD' or empty"),
        NotBeyondHorizon("release_date", "snapshot_date", RELEASE_HORIZON_DAYS),
        *money_rules("budget", "revenue"),
        Between("runtime", min_value=0),
        *audience_rules(),
    ),
    missing_severity=CRITICAL,
)

MOVIE_STATUS = TableSpec(
    table="raw.movie_status",
    key=("movie_id", "snapshot_date"),
    columns={**STATUS_COLUMNS, "_dlt_load_id": TEXT},
    rules=daily_status_rules(),
    missing_severity=CRITICAL,
)

DISCOVER_RESULTS = TableSpec(
    table="raw.discover_results",
    key=("id", "snapshot_date"),
    columns={
        "id": INTEGER,
        "snapshot_date": DATE,
        "title": TEXT,
        "release_date": TEXT,
        **AUDIENCE_COLUMNS,
    },
    rules=(NotNull("id"), NotNull("snapshot_date"), Unique(("id", "snapshot_date")), *audience_rules()),
    missing_severity=CRITICAL,
)

GENRES = TableSpec(
    table="raw.genres",
    key=("id",),
    columns={"id": INTEGER, "name": TEXT},
    rules=(NotNull("id"), Unique(("id",)), NotNull("name", severity=WARNING, blank_is_null=True)),
    missing_severity=CRITICAL,
)

RAW: tuple[TableSpec, ...] = (MOVIE_DETAILS, MOVIE_STATUS, DISCOVER_RESULTS, GENRES)
