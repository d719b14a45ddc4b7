"""Incremental classification: the LLM only sees movies whose input changed since the stored result.

A stored result is current when its input hash (the `overview_hash` column: a digest of the movie's text as
the prompt shows it: title, genres, keywords, tagline and overview), prompt version and model all match what
this run would use (and it did not fail: failed movies are tried again). A re-run on unchanged data therefore
makes no LLM call. `classify_movies` returns results only for the movies it (re)classified; the caller keeps
its existing rows for the others (an incremental merge on `movie_id`).

With no provider (`select_provider` gave None), the movies that are new or whose overview changed get
`unclassified` rows with the reason; stored moods of unchanged overviews are kept rather than overwritten,
and are revisited once a provider is available again (their model differs then).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from pipelines.moods.prompt import PROMPT_VERSION, clean_overview, movie_block
from pipelines.moods.providers.base import MoodProvider, MoodResult, MovieText, result_for
from pipelines.moods.rows import records

log = logging.getLogger(__name__)

# The columns of `result_rows`, in order: give them to a DataFrame so that an empty run still has a schema.
RESULT_COLUMNS: tuple[str, ...] = (*(field.name for field in dataclasses.fields(MoodResult)), "overview_hash")
OFF_PROVIDER = "off"
OFF_REASON = "mood classification is off"


class PreviousResult(NamedTuple):
    """What the stored table knows about a movie's last classification; `status` is optional."""

    overview_hash: str
    prompt_version: str
    model: str
    status: str | None = None


def overview_hash(text: str | None) -> str:
    """sha256 (hex) of the overview as the prompt shows it: whitespace-only edits do not reclassify."""
    return hashlib.sha256(clean_overview(text or "").encode("utf-8")).hexdigest()


def input_hash(movie: MovieText) -> str:
    """sha256 (hex) of the movie's text as the prompt shows it (title, genres, keywords, tagline, overview):
    an edit of any of them reclassifies the movie, a whitespace-only edit does not."""
    return hashlib.sha256(movie_block(movie).encode("utf-8")).hexdigest()


Progress = Callable[[int, int, float], None]


def print_progress(done: int, total: int, elapsed: float) -> None:
    """One line on stderr: `moods: 150/1228 movies (12%), 6.2 movies/s, about 3 min left`."""
    rate = done / elapsed if elapsed > 0 else 0.0
    left = f", about {(total - done) / rate / 60:.0f} min left" if rate and done < total else ""
    print(f"moods: {done}/{total} movies ({done / total:.0%}), {rate:.1f} movies/s{left}", file=sys.stderr, flush=True)


def classify_movies(
    movies: Sequence[MovieText],
    provider: MoodProvider | None,
    previous: Mapping[int, Sequence[Any]] | None = None,
    *,
    unavailable_reason: str | None = None,
    batch_size: int = 50,
    progress: Progress | None = None,
) -> list[MoodResult]:
    """Results for the movies that need one, in input order.

    `previous` maps movie_id to `(overview_hash, prompt_version, model[, status])` of the stored results.
    `unavailable_reason` is what `select_provider` returned with a None provider. `progress(done, total,
    elapsed_s)` is called after each batch of `batch_size` movies (e.g. `print_progress`).
    """
    stored = {movie_id: PreviousResult(*values) for movie_id, values in (previous or {}).items()}
    if provider is None:
        return _unclassified(movies, stored, unavailable_reason or OFF_REASON)

    version = provider.prompt_version
    todo = [movie for movie in movies if _needs_run(stored.get(movie.movie_id), movie, version, provider.model)]
    log.info("moods: %d of %d movies to classify with %s %s", len(todo), len(movies), provider.name, provider.model)
    results: list[MoodResult] = []
    started = time.perf_counter()
    for start in range(0, len(todo), batch_size):
        results.extend(provider.classify(todo[start : start + batch_size]))
        elapsed = time.perf_counter() - started
        log.info("moods: %d/%d classified, %.2f movies/s", len(results), len(todo), len(results) / elapsed)
        if progress is not None:
            progress(len(results), len(todo), elapsed)
    return results


def _needs_run(stored: PreviousResult | None, movie: MovieText, version: str, model: str) -> bool:
    return (
        stored is None
        or stored.status == "failed"
        or stored.overview_hash != input_hash(movie)
        or stored.prompt_version != version
        or stored.model != model
    )


def _unclassified(movies: Sequence[MovieText], stored: Mapping[int, PreviousResult], reason: str) -> list[MoodResult]:
    changed = [
        movie
        for movie in movies
        if (old := stored.get(movie.movie_id)) is None or old.overview_hash != input_hash(movie)
    ]
    meta = {"provider": OFF_PROVIDER, "model": "", "version": PROMPT_VERSION, "reason": reason}
    return [result_for(movie.movie_id, "unclassified", **meta) for movie in changed]


def movies_from_rows(rows: Any) -> list[MovieText]:
    """MovieText from rows with `movie_id` (or `id`), `title` and `overview`, and optionally `tagline`,
    `genre_names` (or `genres`) and `keyword_names` (or `keywords`) as lists of names: mappings, a DataFrame
    or a relation."""
    return [
        MovieText(
            movie_id=int(row["movie_id"] if "movie_id" in row else row["id"]),
            title=_text(row.get("title")),
            overview=_text(row.get("overview")),
            tagline=_text(row.get("tagline")),
            genres=_names(row.get("genre_names", row.get("genres"))),
            keywords=_names(row.get("keyword_names", row.get("keywords"))),
        )
        for row in records(rows)
    ]


def _names(value: Any) -> tuple[str, ...]:
    """A list (or array) of names, or of `{"name": ...}` objects; None and NaN are no names."""
    if value is None or isinstance(value, float | str):
        return (value,) if isinstance(value, str) and value else ()
    return tuple(str(v["name"] if isinstance(v, Mapping) else v) for v in value if v is not None)


def previous_from_rows(rows: Any) -> dict[int, PreviousResult]:
    """`previous` for `classify_movies` from the stored table's rows (`movie_id`, `overview_hash`,
    `prompt_version`, `model`, and `status` when present)."""
    return {
        int(row["movie_id"]): PreviousResult(
            _text(row["overview_hash"]), _text(row["prompt_version"]), _text(row["model"]), row.get("status")
        )
        for row in records(rows)
    }


def result_rows(results: Iterable[MoodResult], movies: Sequence[MovieText]) -> list[dict[str, Any]]:
    """The results as table rows, each with the input hash (`overview_hash`) that the next run compares against."""
    hashes = {movie.movie_id: input_hash(movie) for movie in movies}
    return [{**result.as_row(), "overview_hash": hashes.get(result.movie_id)} for result in results]


def _text(value: Any) -> str:
    """Strings stay; None and pandas' NaN for a missing value become ''."""
    return value if isinstance(value, str) else ""
