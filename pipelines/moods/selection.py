"""Which provider classifies moods: `select_provider(kind)` -> (provider or None, reason).

`auto` prefers Ollama (a larger instruction-tuned model) when its server answers and has the model, else the
embedded model when its packages are installed, else no provider: the caller then marks movies `unclassified`
with the reason (`classify_movies(..., provider=None, unavailable_reason=reason)`), and nothing fails.
An explicit `ollama` or `embedded` raises ProviderUnavailable when that provider cannot work: the user asked
for it by name. The kind defaults to TMDB_MOODS_PROVIDER, else `auto`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, get_args

from pipelines.moods.classify import OFF_REASON
from pipelines.moods.providers.base import MoodProvider, ProviderUnavailable
from pipelines.moods.providers.embedded import EmbeddedProvider
from pipelines.moods.providers.ollama import OllamaProvider
from pipelines.moods.taxonomy import Taxonomy

ProviderKind = Literal["auto", "ollama", "embedded", "off"]
KIND_ENV = "TMDB_MOODS_PROVIDER"


def select_provider(
    kind: ProviderKind | str | None = None,
    *,
    moods: Taxonomy | None = None,
    ollama_model: str | None = None,
    ollama_host: str | None = None,
    ollama_concurrency: int = 4,
    ollama_timeout: float = 120.0,
    gguf_path: str | Path | None = None,
) -> tuple[MoodProvider | None, str]:
    kind = (kind or os.environ.get(KIND_ENV) or "auto").strip().lower()
    if kind not in get_args(ProviderKind):
        raise ValueError(f"unknown mood provider {kind!r}: use one of {', '.join(get_args(ProviderKind))}")
    if kind == "off":
        return None, OFF_REASON

    def ollama() -> tuple[MoodProvider, str]:
        provider = OllamaProvider(
            ollama_model, ollama_host, moods=moods, timeout=ollama_timeout, concurrency=ollama_concurrency
        )
        provider.check()
        return provider, f"ollama model '{provider.model}' at {provider.host}"

    def embedded() -> tuple[MoodProvider, str]:
        provider = EmbeddedProvider(gguf_path, moods=moods)
        return provider, f"embedded model {provider.model} (llama.cpp, {provider.n_threads} threads)"

    if kind == "ollama":
        return ollama()
    if kind == "embedded":
        return embedded()
    try:
        return ollama()
    except ProviderUnavailable as ollama_down:
        try:
            provider, reason = embedded()
        except ProviderUnavailable as no_embedded:
            return None, f"no mood provider: {ollama_down}; {no_embedded}"
        return provider, f"{reason}, because {ollama_down}"
