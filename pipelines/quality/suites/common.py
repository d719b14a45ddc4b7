"""Rule groups and thresholds shared by several layers (the same business rule on raw, staging and marts)."""

from __future__ import annotations

from pipelines.quality.checks import DATE, INTEGER, NUMBER, ColumnType
from pipelines.quality.rules import Between, NeverDecreasing, NotNull, Rule, Unique

# A release date more than ten years after the day it was fetched is a typo, not a plan.
RELEASE_HORIZON_DAYS = 3653

# Completeness thresholds (share of rows missing the value): a warning above the first, critical above the second.
TITLE_MISSING = (0.0, 0.01)
OVERVIEW_MISSING = (0.10, 0.50)
RELEASE_DATE_MISSING = (0.05, 0.50)
GENRES_MISSING = (0.05, 0.50)

STATUS_COLUMNS: dict[str, ColumnType] = {
    "movie_id": INTEGER,
    "snapshot_date": DATE,
    "popularity": NUMBER,
    "vote_count": INTEGER,
    "vote_average": NUMBER,
}


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


def daily_status_rules(movie: str = "movie_id", day: str = "snapshot_date") -> tuple[Rule, ...]:
    """A movie's status per ingestion day: keys present, one row per movie per day, vote_count never drops
    from one observed day to the next, audience figures in range."""
    return (
        NotNull(movie),
        NotNull(day),
        NotNull("popularity"),
        NotNull("vote_count"),
        Unique((movie, day)),
        NeverDecreasing("vote_count", partition_by=movie, order_by=day),
        *audience_rules(),
    )
