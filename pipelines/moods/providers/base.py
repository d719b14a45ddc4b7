"""What a mood provider takes and gives, and the per-movie rules every provider shares.

The rules (in `AnswerProvider.classify`): an empty overview is `unclassified` ('no overview') without an LLM call;
an answer that fails or is invalid is retried once, then the movie is `failed` with the reason. Classifying one
movie never raises; only a provider that cannot work at all raises `ProviderUnavailable`.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, runtime_checkable

from pipelines.moods.prompt import prompt_version
from pipelines.moods.taxonomy import Taxonomy, mood_names

log = logging.getLogger(__name__)

Status = Literal["classified", "failed", "unclassified"]
NO_OVERVIEW = "no overview"
ATTEMPTS = 2  # the first answer and one retry


class ProviderUnavailable(RuntimeError):
    """The provider cannot classify anything (server down, model missing, package not installed).

    The message is one line that tells the user what to do.
    """


class InvalidAnswer(ValueError):
    """The model answered, but not with moods from the taxonomy."""


@dataclass(frozen=True)
class MovieText:
    """What TMDB tells about a movie that the moods are judged from. Only an empty overview stops a
    classification; tagline, genres (names) and keywords are optional."""

    movie_id: int
    title: str
    overview: str
    tagline: str = ""
    genres: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class MoodAnswer:
    primary_mood: str
    secondary_mood: str | None
    confidence: float | None


@dataclass(frozen=True)
class MoodResult:
    movie_id: int
    primary_mood: str | None
    secondary_mood: str | None
    confidence: float | None
    status: Status
    reason: str | None
    provider: str
    model: str
    prompt_version: str
    classified_at: datetime

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


@runtime_checkable
class MoodProvider(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str: ...

    @property
    def prompt_version(self) -> str:
        """What results carry; `classify_movies` compares it with the stored one before calling `classify`."""
        ...

    def classify(self, movies: Sequence[MovieText]) -> list[MoodResult]: ...


def validated_answer(primary: Any, secondary: Any, confidence: Any, moods: Taxonomy) -> MoodAnswer:
    """An answer checked against the taxonomy; a secondary mood equal to the primary is dropped."""
    names = mood_names(moods)
    if not isinstance(primary, str) or primary.strip().lower() not in names:
        raise InvalidAnswer(f"primary_mood {primary!r} is not in the taxonomy")
    primary = primary.strip().lower()
    if secondary is not None:
        if not isinstance(secondary, str) or secondary.strip().lower() not in names:
            raise InvalidAnswer(f"secondary_mood {secondary!r} is not in the taxonomy")
        secondary = secondary.strip().lower()
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1
    ):
        raise InvalidAnswer(f"confidence {confidence!r} is not a number from 0 to 1")
    return MoodAnswer(
        primary, secondary if secondary != primary else None, None if confidence is None else float(confidence)
    )


def result_for(
    movie_id: int,
    status: Status,
    *,
    provider: str,
    model: str,
    version: str,
    answer: MoodAnswer | None = None,
    reason: str | None = None,
) -> MoodResult:
    return MoodResult(
        movie_id=movie_id,
        primary_mood=answer.primary_mood if answer else None,
        secondary_mood=answer.secondary_mood if answer else None,
        confidence=answer.confidence if answer else None,
        status=status,
        reason=reason,
        provider=provider,
        model=model,
        prompt_version=version,
        classified_at=datetime.now(UTC),
    )


class AnswerProvider(ABC):
    """A provider that answers one movie at a time; `classify` adds the shared rules around `answer`.

    Subclasses set `name`, `model` and `moods`, implement `answer`, and may override `map` to answer several
    movies concurrently (results must keep the input order).
    """

    name: str
    model: str
    moods: Taxonomy

    @abstractmethod
    def answer(self, movie: MovieText) -> MoodAnswer:
        """The moods of one movie with a non-empty overview; raises on a failed or invalid answer."""

    def map(self, fn: Callable[[MovieText], MoodResult], movies: Sequence[MovieText]) -> list[MoodResult]:
        return [fn(movie) for movie in movies]

    @property
    def prompt_version(self) -> str:
        return prompt_version(self.moods)

    def classify(self, movies: Sequence[MovieText]) -> list[MoodResult]:
        with_text = [movie for movie in movies if movie.overview and movie.overview.strip()]
        answered = {result.movie_id: result for result in self.map(self._classify_one, with_text)}
        return [answered.get(movie.movie_id) or self._no_overview(movie) for movie in movies]

    def _meta(self) -> dict[str, str]:
        return {"provider": self.name, "model": self.model, "version": self.prompt_version}

    def _no_overview(self, movie: MovieText) -> MoodResult:
        return result_for(movie.movie_id, "unclassified", reason=NO_OVERVIEW, **self._meta())

    def _classify_one(self, movie: MovieText) -> MoodResult:
        meta = self._meta()
        error: Exception | None = None
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return result_for(movie.movie_id, "classified", answer=self.answer(movie), **meta)
            except Exception as exc:  # one movie must never stop the batch
                error = exc
                log.warning("%s: movie %s, attempt %d: %s", self.name, movie.movie_id, attempt, exc)
        return result_for(movie.movie_id, "failed", reason=one_line(error), **meta)


def one_line(error: BaseException | None, limit: int = 300) -> str:
    """`Type: message` on one line, cut to `limit` characters: what a `reason` column holds."""
    if error is None:
        return "unknown error"
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
