"""LLM mood per movie: a fixed taxonomy (seeds/moods.csv), providers that classify overviews into it, and the
incremental driver a dbt Python model calls.

    from pipelines.moods import classify_movies, movies_from_rows, select_provider

    provider, reason = select_provider("auto")
    results = classify_movies(movies_from_rows(rows), provider, previous, unavailable_reason=reason)
"""

from pipelines.moods.classify import (
    RESULT_COLUMNS,
    PreviousResult,
    classify_movies,
    input_hash,
    movies_from_rows,
    overview_hash,
    previous_from_rows,
    result_rows,
)
from pipelines.moods.evaluate import evaluate, format_report
from pipelines.moods.prompt import PROMPT_VERSION
from pipelines.moods.providers.base import MoodProvider, MoodResult, MovieText, ProviderUnavailable
from pipelines.moods.selection import select_provider
from pipelines.moods.taxonomy import Mood, load_taxonomy

__all__ = [
    "PROMPT_VERSION",
    "RESULT_COLUMNS",
    "Mood",
    "MoodProvider",
    "MoodResult",
    "MovieText",
    "PreviousResult",
    "ProviderUnavailable",
    "classify_movies",
    "evaluate",
    "format_report",
    "input_hash",
    "load_taxonomy",
    "movies_from_rows",
    "overview_hash",
    "previous_from_rows",
    "result_rows",
    "select_provider",
]
