"""Each movie's mood from what TMDB tells about it (title, genres, keywords, tagline, overview), asked of a
local LLM (pipelines/moods).

Incremental on movie_id: a run sends the LLM only the movies whose input hash (`overview_hash`: the text the
prompt shows), prompt version or model changed since their stored row (or whose last try failed), so a re-run
on unchanged data makes no LLM call. Progress (movies done / total, rate) goes to stderr as it classifies.
The provider comes from the `moods_provider` var (auto | ollama | embedded | off); with none available the
new movies are stored `unclassified` with the reason and the build goes on.
"""

import pandas as pd

from pipelines.moods import (
    classify_movies,
    load_taxonomy,
    movies_from_rows,
    previous_from_rows,
    result_rows,
    select_provider,
)
from pipelines.moods.classify import print_progress

COLUMNS = {
    "movie_id": "int64",
    "primary_mood": "string",
    "secondary_mood": "string",
    "confidence": "float64",
    "status": "string",
    "reason": "string",
    "provider": "string",
    "model": "string",
    "prompt_version": "string",
    "classified_at": "datetime64[us, UTC]",
    "overview_hash": "string",
}


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="movie_id", incremental_strategy="delete+insert")
    kind = dbt.config.get("moods_provider") or "auto"
    ollama_model = dbt.config.get("moods_ollama_model") or None

    movies = movies_from_rows(
        dbt.ref("dim_movie")
        .filter("not is_deleted")
        .project("movie_id, title, overview, tagline, genre_names, keyword_names")
    )
    previous = {}
    if dbt.is_incremental:
        stored = session.sql(f"select movie_id, overview_hash, prompt_version, model, status from {dbt.this}")
        previous = previous_from_rows(stored)
    provider, reason = select_provider(kind, moods=load_taxonomy(dbt.ref("moods")), ollama_model=ollama_model)
    results = classify_movies(movies, provider, previous, unavailable_reason=reason, progress=print_progress)

    frame = pd.DataFrame(result_rows(results, movies), columns=list(COLUMNS))
    return frame.astype(COLUMNS)
