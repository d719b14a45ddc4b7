"""Suites of the dbt staging models (schema `staging`): typed and cleaned, unknowns are NULL. Keys and ranges
are dbt tests (models/staging/tmdb/*.yml); here only completeness, the release horizon and dropped votes."""

from __future__ import annotations

from pipelines.quality.checks import DATE, INTEGER, NUMBER, TEXT
from pipelines.quality.rules import NotBeyondHorizon, completeness
from pipelines.quality.spec import TableSpec
from pipelines.quality.suites.common import (
    OVERVIEW_MISSING,
    RELEASE_DATE_MISSING,
    RELEASE_HORIZON_DAYS,
    STATUS_COLUMNS,
    TITLE_MISSING,
    status_window_rules,
)

MOVIES = TableSpec(
    table="staging.stg_tmdb__movies",
    key=("movie_id",),
    columns={
        "movie_id": INTEGER,
        "title": TEXT,
        "overview": TEXT,
        "release_date": DATE,
        "release_status": TEXT,
        "budget_usd": INTEGER,
        "revenue_usd": INTEGER,
        "runtime_minutes": INTEGER,
        "popularity": NUMBER,
        "vote_count": INTEGER,
        "vote_average": NUMBER,
        "details_fetched_on": DATE,
    },
    rules=(
        *completeness("title", TITLE_MISSING),
        *completeness("overview", OVERVIEW_MISSING),
        *completeness("release_date", RELEASE_DATE_MISSING),
        NotBeyondHorizon("release_date", "details_fetched_on", RELEASE_HORIZON_DAYS),
    ),
)

MOVIE_STATUS = TableSpec(
    table="staging.stg_tmdb__movie_status",
    key=("movie_id", "snapshot_date"),
    columns=STATUS_COLUMNS,
    rules=status_window_rules(),
)

STAGING: tuple[TableSpec, ...] = (MOVIES, MOVIE_STATUS)
