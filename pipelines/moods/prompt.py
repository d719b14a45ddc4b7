"""The few-shot prompt every provider uses: the mood definitions and a few short labelled overviews.

Two renderings of the same content:

- a completion prompt for base models (the embedded Gemma 3 270M): a pattern of `Overview: ...` / `Mood: <label>`
  blocks that the model continues; a base model follows such a pattern far better than instructions;
- chat messages for instruction-tuned models (Ollama): a system message with the definitions, the examples as
  user/assistant turns answering in the JSON the provider asks for, then the movie.

In both, everything before the movie's own text is identical for every movie, so it can be evaluated once (the
embedded provider keeps its KV state; Ollama reuses its prompt cache).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pipelines.moods.taxonomy import Mood, mood_names

# Bump when the wording, the examples or their rendering change: results carry the version, and a new version
# makes the next incremental run reclassify every movie. `prompt_version()` adds a digest of the taxonomy, so an
# edit of seeds/moods.csv does the same without a bump.
PROMPT_VERSION = "1"

# Overviews longer than this are cut (TMDB's are rarely above 1,000 characters): bounds the cost of one movie.
MAX_OVERVIEW_CHARS = 1200


@dataclass(frozen=True)
class Example:
    overview: str
    primary: str
    secondary: str | None


# Invented overviews, one per mood, in an order that does not put similar moods side by side.
EXAMPLES: tuple[Example, ...] = (
    Example(
        "A grumpy mall Santa has to team up with an overeager elf to win the town's holiday decorating contest.",
        "funny",
        "happy",
    ),
    Example(
        "A corrupt detective sinks deeper into the drug trade he is paid to fight, betraying everyone who trusts him.",
        "dark",
        "intense",
    ),
    Example(
        "A shy bookshop owner and a travelling musician keep running into each other all summer and slowly fall "
        "for each other.",
        "romantic",
        "happy",
    ),
    Example(
        "A young mother learns she has only months to live and spends them writing letters for her son to open as "
        "he grows up.",
        "sad",
        "heartwarming",
    ),
    Example(
        "A journalist receives photographs of a village that vanished from every map fifty years ago and sets out "
        "to learn what happened there.",
        "mysterious",
        None,
    ),
    Example(
        "A girl from a poor mining town trains in secret to become the first woman from her country to climb Everest.",
        "inspiring",
        None,
    ),
    Example(
        "The crew of a deep-sea station wakes an ancient creature that hunts them one by one through the flooded "
        "corridors.",
        "scary",
        "intense",
    ),
    Example(
        "Four friends spend one last summer of 1962 cruising their small town before they leave for college.",
        "nostalgic",
        "happy",
    ),
    Example(
        "After his wife dies, an old farmer takes in a stray dog, and the two lonely souls help each other start "
        "living again.",
        "heartwarming",
        "sad",
    ),
    Example(
        "A former soldier has one night to rescue his kidnapped daughter from an armed gang in a city under lockdown.",
        "intense",
        None,
    ),
    Example(
        "An aging judge looks back on a verdict he gave decades ago and asks what justice means in a divided country.",
        "thoughtful",
        None,
    ),
    Example(
        "A cheerful baker and her talking cat throw the biggest birthday party the village has ever seen.",
        "happy",
        "funny",
    ),
)


def clean_overview(overview: str) -> str:
    """Whitespace collapsed (TMDB has bare `\\r` overviews) and cut to MAX_OVERVIEW_CHARS."""
    return " ".join(overview.split())[:MAX_OVERVIEW_CHARS]


def prompt_version(moods: tuple[Mood, ...]) -> str:
    """PROMPT_VERSION plus a short digest of the taxonomy the prompt shows, e.g. `1.3f2a9c01`."""
    text = "\n".join(f"{mood.name}: {mood.definition}" for mood in moods)
    return f"{PROMPT_VERSION}.{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def _examples(moods: tuple[Mood, ...]) -> list[Example]:
    """The examples whose labels are in the taxonomy (a custom taxonomy keeps the ones that still apply)."""
    names = set(mood_names(moods))
    return [
        Example(ex.overview, ex.primary, ex.secondary if ex.secondary in names else None)
        for ex in EXAMPLES
        if ex.primary in names
    ]


def _definitions(moods: tuple[Mood, ...]) -> str:
    return "\n".join(f"{mood.name}: {mood.definition}" for mood in moods)


# --- completion rendering (base models) ---


def completion_prefix(moods: tuple[Mood, ...]) -> str:
    """The shared part of the completion prompt; `completion_prefix(m) + completion_query(o)` is the whole."""
    blocks = [f"Overview: {ex.overview}\nMood: {ex.primary}\n" for ex in _examples(moods)]
    return (
        "Movie overviews, each labelled with the one mood that best describes how the movie feels.\n\n"
        f"Moods:\n{_definitions(moods)}\n\n" + "\n".join(blocks) + "\n"
    )


QUERY_TAIL = "\nMood:"


def completion_query(overview: str) -> str:
    """The movie's own part; the label follows as ` <mood>`."""
    return f"Overview: {clean_overview(overview)}{QUERY_TAIL}"


# --- chat rendering (instruction-tuned models) ---


def answer_schema(moods: tuple[Mood, ...]) -> dict[str, Any]:
    """The JSON schema of an answer: moods restricted to the taxonomy, the secondary one nullable."""
    names = mood_names(moods)
    return {
        "type": "object",
        "properties": {
            "primary_mood": {"type": "string", "enum": names},
            "secondary_mood": {"type": ["string", "null"], "enum": [*names, None]},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        },
        "required": ["primary_mood", "secondary_mood", "confidence"],
    }


def chat_prefix(moods: tuple[Mood, ...]) -> list[dict[str, str]]:
    """The system message and the worked examples, identical for every movie."""
    system = (
        "You label movies with moods. Given a movie overview, choose the mood that best describes how the movie "
        "feels (primary_mood) and, only if a second mood clearly applies too, a different secondary_mood; "
        "otherwise secondary_mood is null. confidence is your probability, from 0 to 1, that primary_mood is "
        "right. Use only these moods:\n"
        f"{_definitions(moods)}\n"
        'Answer with JSON only: {"primary_mood": ..., "secondary_mood": ..., "confidence": ...}.'
    )
    messages = [{"role": "system", "content": system}]
    for ex in _examples(moods):
        answer = {"primary_mood": ex.primary, "secondary_mood": ex.secondary, "confidence": 0.9}
        messages.append({"role": "user", "content": f"Overview: {ex.overview}"})
        messages.append({"role": "assistant", "content": json.dumps(answer)})
    return messages


def chat_messages(moods: tuple[Mood, ...], overview: str) -> list[dict[str, str]]:
    return [*chat_prefix(moods), {"role": "user", "content": f"Overview: {clean_overview(overview)}"}]
