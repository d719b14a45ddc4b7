"""Suites of the dbt staging models (schema `staging`): typed and cleaned, unknowns are NULL. Keys and ranges
are dbt tests (models/staging/tmdb/*.yml); here only completeness, the release horizon and dropped votes."""

from __future__ import annotations

from pipelines.quality.checks import DATE, INTEGER, TEXT
from pipelines.quality.rules import NotBeyondHorizon
from pipelines.quality.spec import TableSpec
from pipelines.quality.suites.common import (
    AUDIENCE_COLUMNS,
    RELEASE_HORIZON_DAYS,
    STATUS_COLUMNS,
    movie_text_completeness,
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
        **AUDIENCE_COLUMNS,
        "details_fetched_on": DATE,
    },
    rules=(
        *movie_text_completeness(),
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
