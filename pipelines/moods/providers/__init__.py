"""Mood providers: one interface (`MoodProvider`), an Ollama client and an embedded llama.cpp model."""

from pipelines.moods.providers.base import (
    MoodProvider,
    MoodResult,
    MovieText,
    ProviderUnavailable,
)

__all__ = ["MoodProvider", "MoodResult", "MovieText", "ProviderUnavailable"]
