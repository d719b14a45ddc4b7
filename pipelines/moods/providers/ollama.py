"""Moods from a local Ollama server through the `ollama` client: `/api/chat` with a JSON-schema `format`.

The schema restricts `primary_mood`/`secondary_mood` to the taxonomy, so a well-behaved server can only answer
with valid moods; answers are still validated (a server or model may ignore `format`). Temperature 0 and a fixed
seed make answers repeatable. A few requests are kept in flight: Ollama queues or batches them
(OLLAMA_NUM_PARALLEL) and the shared prompt prefix stays in its cache.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import httpx
import ollama

from pipelines.moods.prompt import answer_schema, chat_messages
from pipelines.moods.providers.base import (
    AnswerProvider,
    InvalidAnswer,
    MoodAnswer,
    MoodResult,
    MovieText,
    ProviderUnavailable,
    one_line,
    validated_answer,
)
from pipelines.moods.taxonomy import Taxonomy, load_taxonomy

DEFAULT_HOST = "http://localhost:11434"
DEFAULT_MODEL = "llama3.2"
MODEL_ENV = "TMDB_MOODS_OLLAMA_MODEL"
SEED = 20240601
CHECK_TIMEOUT_S = 5.0
MAX_ANSWER_TOKENS = 80  # the JSON answer is ~30 tokens; bounds a model that rambles


def normalized_host(host: str | None = None) -> str:
    """`scheme://host:port` from OLLAMA_HOST's accepted forms (`host`, `host:port`, `http://host[:port]`)."""
    raw = (host or os.environ.get("OLLAMA_HOST") or DEFAULT_HOST).strip().rstrip("/")
    explicit_scheme = "://" in raw
    parts = urlsplit(raw if explicit_scheme else f"http://{raw}")
    port = parts.port or (None if explicit_scheme else 11434)
    hostname = parts.hostname or "localhost"
    if ":" in hostname:  # IPv6 literal
        hostname = f"[{hostname}]"
    return f"{parts.scheme}://{hostname}" + (f":{port}" if port else "") + parts.path


class OllamaProvider(AnswerProvider):
    name = "ollama"

    def __init__(
        self,
        model: str | None = None,
        host: str | None = None,
        *,
        moods: Taxonomy | None = None,
        timeout: float = 120.0,
        concurrency: int = 4,
        seed: int = SEED,
    ) -> None:
        """`timeout` is per request and includes Ollama loading the model on the first one."""
        self.model = model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
        self.host = normalized_host(host)
        self.moods = moods or load_taxonomy()
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
        self.seed = seed
        self._schema = answer_schema(self.moods)
        self._client = ollama.Client(host=self.host, timeout=timeout)

    def check(self) -> None:
        """Raise ProviderUnavailable unless the server answers `/api/version` and `/api/show` knows the model."""
        try:
            response = httpx.get(f"{self.host}/api/version", timeout=CHECK_TIMEOUT_S)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise self._down(exc) from None
        try:
            self._client.show(self.model)
        except ollama.ResponseError as exc:
            if exc.status_code == 404:
                raise ProviderUnavailable(
                    f"ollama model '{self.model}' is not pulled: run `ollama pull {self.model}`"
                ) from None
            raise ProviderUnavailable(f"ollama at {self.host} cannot show model '{self.model}': {exc}") from None
        except (ConnectionError, httpx.HTTPError) as exc:
            raise self._down(exc) from None

    def _down(self, exc: Exception) -> ProviderUnavailable:
        detail = one_line(exc, 100)
        return ProviderUnavailable(
            f"ollama is not answering at {self.host} ({detail}): start `ollama serve` or set OLLAMA_HOST"
        )

    def answer(self, movie: MovieText) -> MoodAnswer:
        response = self._client.chat(
            model=self.model,
            messages=chat_messages(self.moods, movie),
            format=self._schema,
            options={"temperature": 0, "seed": self.seed, "num_predict": MAX_ANSWER_TOKENS},
        )
        return parse_answer(response.message.content or "", self.moods)

    def map(self, fn: Callable[[MovieText], MoodResult], movies: Sequence[MovieText]) -> list[MoodResult]:
        if len(movies) <= 1 or self.concurrency == 1:
            return super().map(fn, movies)
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="ollama-moods") as pool:
            return list(pool.map(fn, movies))


def parse_answer(content: str, moods: Taxonomy) -> MoodAnswer:
    """The answer in an `/api/chat` message: a JSON object with the schema's three fields."""
    try:
        data: Any = json.loads(content)
    except json.JSONDecodeError:
        raise InvalidAnswer(f"not JSON: {content[:80]!r}") from None
    if not isinstance(data, dict):
        raise InvalidAnswer(f"not a JSON object: {content[:80]!r}")
    return validated_answer(data.get("primary_mood"), data.get("secondary_mood"), data.get("confidence"), moods)
