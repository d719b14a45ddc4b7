"""Rule groups and thresholds shared by several layers (the same business rule on raw, staging and marts).

One home per check: the dbt models' keys, not-nulls, ranges and accepted values are dbt tests (and model
contracts), whose results join the quality run (dbt_results.py); on staging and the marts GX checks only what
dbt does not do well: completeness thresholds, outliers, rules over windows (votes that drop), the issues
flagged in dim_movie.data_issues. The raw tables, which dbt does not test, keep their full suites here."""

from __future__ import annotations

from pipelines.quality.checks import DATE, INTEGER, NUMBER, WARNING, ColumnType
from pipelines.quality.rules import Between, NeverDecreasing, NotNull, Rule, Unique, completeness

# A release date more than ten years after the day it was fetched is a typo, not a plan.
RELEASE_HORIZON_DAYS = 3653

# Completeness thresholds (share of rows missing the value): a warning above them (TMDB's data, never an error).
TITLE_MISSING = 0.0
OVERVIEW_MISSING = 0.10
RELEASE_DATE_MISSING = 0.05
GENRES_MISSING = 0.05

# TMDB's audience figures of a movie (checked by audience_rules), the same types on every layer.
AUDIENCE_COLUMNS: dict[str, ColumnType] = {"popularity": NUMBER, "vote_count": INTEGER, "vote_average": NUMBER}

STATUS_COLUMNS: dict[str, ColumnType] = {"movie_id": INTEGER, "snapshot_date": DATE, **AUDIENCE_COLUMNS}


def movie_text_completeness(*, blank_is_null: bool = False) -> tuple[Rule, ...]:
    """The thresholds on a movie's title, overview and release date left empty (TMDB's facts: warnings);
    `blank_is_null` on raw, where TMDB's '' means unknown."""
    return (
        *completeness("title", TITLE_MISSING, blank_is_null=blank_is_null),
        *completeness("overview", OVERVIEW_MISSING, blank_is_null=blank_is_null),
        *completeness("release_date", RELEASE_DATE_MISSING, blank_is_null=blank_is_null),
    )


def audience_rules(
    popularity: str = "popularity", vote_count: str = "vote_count", vote_average: str = "vote_average"
) -> tuple[Rule, ...]:
    """TMDB's audience figures: popularity and vote_count >= 0, vote_average on TMDB's 0-10 scale."""
    return (
        Between(popularity, min_value=0),
        Between(vote_count, min_value=0),
        Between(vote_average, min_value=0, max_value=10),
    )


def money_rules(budget: str, revenue: str) -> tuple[Rule, ...]:
    """Amounts are never negative (TMDB's 0, or NULL after staging, means unknown)."""
    return Between(budget, min_value=0), Between(revenue, min_value=0)


def status_window_rules(movie: str = "movie_id", day: str = "snapshot_date") -> tuple[Rule, ...]:
    """What dbt's tests on a movie's daily status lack: TMDB's figures present, and vote_count not dropping from
    one observed day to the next (a window; warnings: TMDB does remove votes)."""
    return (
        NotNull("popularity", severity=WARNING),
        NotNull("vote_count", severity=WARNING),
        NeverDecreasing("vote_count", partition_by=movie, order_by=day),
    )


def daily_status_rules(movie: str = "movie_id", day: str = "snapshot_date") -> tuple[Rule, ...]:
    """A movie's status per ingestion day in raw (no dbt tests there): keys present and one row per movie per
    day (our invariants); TMDB's figures present, in range, and vote_count not dropping (warnings)."""
    return (
        NotNull(movie),
        NotNull(day),
        Unique((movie, day)),
        *status_window_rules(movie, day),
        *audience_rules(),
    )
