"""Suites of the marts (schema `marts`): what reports read. Outliers are looked for here, on the cleaned
amounts (NULL when unknown), with the offending movies reported as warnings."""

from __future__ import annotations

from pipelines.quality.checks import BOOLEAN, CRITICAL, DATE, INTEGER, INTEGER_LIST, NUMBER, TEXT, TEXT_LIST, WARNING
from pipelines.quality.rules import (
    Between,
    Finite,
    FlaggedIssues,
    InSet,
    NotNull,
    RobustBounds,
    Unique,
    completeness,
)
from pipelines.quality.spec import TableSpec
from pipelines.quality.suites.common import (
    GENRES_MISSING,
    OVERVIEW_MISSING,
    RELEASE_DATE_MISSING,
    STATUS_COLUMNS,
    TITLE_MISSING,
    audience_rules,
    daily_status_rules,
    money_rules,
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
        "popularity": NUMBER,
        "vote_count": INTEGER,
        "vote_average": NUMBER,
        "is_deleted": BOOLEAN,
        "first_seen_on": DATE,
        "last_seen_on": DATE,
        "data_issues": TEXT_LIST,
    },
    rules=(
        NotNull("movie_id"),
        Unique(("movie_id",)),
        *completeness("title", TITLE_MISSING),
        *completeness("overview", OVERVIEW_MISSING),
        *completeness("release_date", RELEASE_DATE_MISSING),
        *completeness("primary_genre_id", GENRES_MISSING, label="genres"),
        Between("runtime_minutes", min_value=0),
        *audience_rules(),
        RobustBounds("runtime_minutes", log_scale=False),
        RobustBounds("popularity"),
        FlaggedIssues("data_issues"),
    ),
)

FCT_MOVIE_STATUS_DAILY = TableSpec(
    table="marts.fct_movie_status_daily",
    key=DAILY_KEY,
    columns=STATUS_COLUMNS,
    rules=daily_status_rules(),
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
        NotNull("movie_id"),
        Unique(("movie_id",)),
        *money_rules("budget_usd", "revenue_usd"),
        Finite("roi"),
        Between("roi", min_value=-1, label="roi >= -1 (a loss never exceeds the budget)"),
        RobustBounds("budget_usd"),
        RobustBounds("revenue_usd"),
    ),
)

POPULARITY_MOMENTUM_DAILY = TableSpec(
    table="marts.popularity_momentum_daily",
    key=DAILY_KEY,
    columns={
        "movie_id": INTEGER,
        "snapshot_date": DATE,
        "popularity": NUMBER,
        "popularity_avg_7d": NUMBER,
        "observed_days_7d": INTEGER,
        "popularity_change_7d_pct": NUMBER,
        "trend_class": TEXT,
    },
    rules=(
        Unique(DAILY_KEY),
        NotNull("popularity_avg_7d", severity=WARNING),
        Between("popularity", min_value=0),
        Between("observed_days_7d", min_value=1, max_value=7, severity=CRITICAL),
        Finite("popularity_change_7d_pct"),
        InSet("trend_class", ("Surging", "Rising", "Stable", "Declining", "Falling"), severity=CRITICAL),
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
    rules=(
        Unique(DAILY_KEY),
        Between("vote_velocity", min_value=0, label="vote_velocity >= 0 (else TMDB removed votes)"),
        Between("viral_score", min_value=0, max_value=100, severity=CRITICAL),
        InSet(
            "viral_category", ("Extremely viral", "Highly viral", "Moderately viral", "Not viral"), severity=CRITICAL
        ),
    ),
)

MARTS: tuple[TableSpec, ...] = (
    DIM_MOVIE,
    FCT_MOVIE_STATUS_DAILY,
    FCT_MOVIE_FINANCIALS,
    POPULARITY_MOMENTUM_DAILY,
    MOVIE_VIRALITY_DAILY,
)
