"""Suites of the marts (schema `marts`): what reports read. Keys, not-nulls, ranges and accepted values are
dbt tests and model contracts (models/marts/**.yml); here only what dbt does not do well: completeness
thresholds, outliers on the cleaned amounts (NULL when unknown), votes that drop (windows) and the issues
flagged in dim_movie.data_issues, each a warning with the offending movies."""

from __future__ import annotations

from pipelines.quality.checks import BOOLEAN, DATE, INTEGER, INTEGER_LIST, NUMBER, TEXT, TEXT_LIST
from pipelines.quality.rules import Between, FlaggedIssues, RobustBounds, completeness
from pipelines.quality.spec import TableSpec
from pipelines.quality.suites.common import (
    AUDIENCE_COLUMNS,
    GENRES_MISSING,
    STATUS_COLUMNS,
    movie_text_completeness,
    status_window_rules,
)

DAILY_KEY = ("movie_id", "snapshot_date")

DIM_MOVIE = TableSpec(
    table="marts.dim_movie",
    key=("movie_id",),
    columns={
        "movie_id": INTEGER,
        "title": TEXT,
        "overview": TEXT,
        "release_date": DATE,
        "release_year": INTEGER,
        "runtime_minutes": INTEGER,
        "genre_ids": INTEGER_LIST,
        "genre_names": TEXT_LIST,
        "primary_genre_id": INTEGER,
        **AUDIENCE_COLUMNS,
        "is_deleted": BOOLEAN,
        "first_seen_on": DATE,
        "last_seen_on": DATE,
        "data_issues": TEXT_LIST,
    },
    rules=(
        *movie_text_completeness(),
        *completeness("primary_genre_id", GENRES_MISSING, label="genres"),
        RobustBounds("runtime_minutes", log_scale=False),
        RobustBounds("popularity"),
        FlaggedIssues("data_issues"),
    ),
)

FCT_MOVIE_STATUS_DAILY = TableSpec(
    table="marts.fct_movie_status_daily",
    key=DAILY_KEY,
    columns=STATUS_COLUMNS,
    rules=status_window_rules(),
)

FCT_MOVIE_FINANCIALS = TableSpec(
    table="marts.fct_movie_financials",
    key=("movie_id",),
    columns={
        "movie_id": INTEGER,
        "budget_usd": INTEGER,
        "revenue_usd": INTEGER,
        "profit_usd": INTEGER,
        "roi": NUMBER,
        "has_known_financials": BOOLEAN,
    },
    rules=(
        RobustBounds("budget_usd"),
        RobustBounds("revenue_usd"),
    ),
)

MOVIE_VIRALITY_DAILY = TableSpec(
    table="marts.movie_virality_daily",
    key=DAILY_KEY,
    columns={
        "movie_id": INTEGER,
        "snapshot_date": DATE,
        "vote_count": INTEGER,
        "vote_velocity": INTEGER,
        "viral_score": NUMBER,
        "viral_category": TEXT,
    },
    # vote_velocity is a day-over-day difference: a negative one is a vote drop (a window rule dbt lacks)
    rules=(Between("vote_velocity", min_value=0, label="vote_velocity >= 0 (else TMDB removed votes)"),),
)

MARTS: tuple[TableSpec, ...] = (
    DIM_MOVIE,
    FCT_MOVIE_STATUS_DAILY,
    FCT_MOVIE_FINANCIALS,
    MOVIE_VIRALITY_DAILY,
)
