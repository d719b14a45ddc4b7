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

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipelines.moods.taxonomy import Mood, mood_names

if TYPE_CHECKING:
    from pipelines.moods.providers.base import MovieText

# 2: the prompt shows title, genres, keywords and tagline beside the overview (1: the overview alone).
# 3: the completion prompt (embedded provider) shows the overview's opening, COMPLETION_OVERVIEW_CHARS.
# Bump when the wording, the examples or their rendering change: results carry the version, and a new version
# makes the next incremental run reclassify every movie. `prompt_version()` adds a digest of the taxonomy, so an
# edit of seeds/moods.csv does the same without a bump.
PROMPT_VERSION = "3"

# Overviews longer than this are cut (TMDB's are rarely above 1,000 characters): bounds the cost of one movie.
MAX_OVERVIEW_CHARS = 1200


@dataclass(frozen=True)
class Example:
    overview: str
    primary: str
    secondary: str | None
    title: str = ""
    genres: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    tagline: str = ""


# Invented movies, one per mood, in an order that does not put similar moods side by side. Their genres and
# keywords are the kind TMDB gives, so the model sees every field in the same shape as for a real movie.
EXAMPLES: tuple[Example, ...] = (
    Example(
        "A grumpy mall Santa has to team up with an overeager elf to win the town's holiday decorating contest.",
        "funny",
        "happy",
        "Jingle All the Way Down",
        ("Comedy", "Family"),
        ("christmas", "santa claus", "elf", "slapstick"),
        "This year, the gloves are off.",
    ),
    Example(
        "A corrupt detective sinks deeper into the drug trade he is paid to fight, betraying everyone who trusts him.",
        "dark",
        "intense",
        "Blue Rot",
        ("Crime", "Drama", "Thriller"),
        ("corrupt cop", "drug dealer", "betrayal", "neo-noir"),
        "",
    ),
    Example(
        "A shy bookshop owner and a travelling musician keep running into each other all summer and slowly fall "
        "for each other.",
        "romantic",
        "happy",
        "Chapter and Verse",
        ("Romance", "Comedy"),
        ("bookshop", "musician", "love at first sight", "summer"),
        "Some stories write themselves.",
    ),
    Example(
        "A young mother learns she has only months to live and spends them writing letters for her son to open as "
        "he grows up.",
        "sad",
        "heartwarming",
        "Letters for Leo",
        ("Drama",),
        ("terminal illness", "mother son relationship", "cancer", "grief"),
        "",
    ),
    Example(
        "A journalist receives photographs of a village that vanished from every map fifty years ago and sets out "
        "to learn what happened there.",
        "mysterious",
        None,
        "The Missing Village",
        ("Mystery", "Thriller"),
        ("investigation", "secret", "disappearance", "conspiracy"),
        "Some places don't want to be found.",
    ),
    Example(
        "A girl from a poor mining town trains in secret to become the first woman from her country to climb Everest.",
        "inspiring",
        None,
        "Summit",
        ("Drama", "Adventure"),
        ("based on true story", "mountain climbing", "underdog", "female athlete"),
        "",
    ),
    Example(
        "The crew of a deep-sea station wakes an ancient creature that hunts them one by one through the flooded "
        "corridors.",
        "scary",
        "intense",
        "Abyssal",
        ("Horror", "Science Fiction"),
        ("monster", "creature", "survival horror", "underwater"),
        "Down here, no one hears you drown.",
    ),
    Example(
        "Four friends spend one last summer of 1962 cruising their small town before they leave for college.",
        "nostalgic",
        "happy",
        "Main Street, 1962",
        ("Comedy", "Drama"),
        ("coming of age", "1960s", "small town", "friendship"),
        "Where were you in '62?",
    ),
    Example(
        "After his wife dies, an old farmer takes in a stray dog, and the two lonely souls help each other start "
        "living again.",
        "heartwarming",
        "sad",
        "Old Dog",
        ("Drama", "Family"),
        ("dog", "widower", "loneliness", "friendship"),
        "",
    ),
    Example(
        "A former soldier has one night to rescue his kidnapped daughter from an armed gang in a city under lockdown.",
        "intense",
        None,
        "Lockdown",
        ("Action", "Thriller"),
        ("rescue", "kidnapping", "shootout", "race against time"),
        "One night. No way out.",
    ),
    Example(
        "An aging judge looks back on a verdict he gave decades ago and asks what justice means in a divided country.",
        "thoughtful",
        None,
        "The Verdict of Time",
        ("Drama", "History"),
        ("judge", "justice", "politics", "society"),
        "",
    ),
    Example(
        "A cheerful baker and her talking cat throw the biggest birthday party the village has ever seen.",
        "happy",
        "funny",
        "Sugar and Whiskers",
        ("Animation", "Family"),
        ("birthday party", "talking animal", "baking", "village"),
        "Life is sweeter together!",
    ),
)

# At most this many keywords (TMDB's order, most telling first) go into the prompt.
MAX_KEYWORDS = 12


def clean_overview(overview: str) -> str:
    """Whitespace collapsed (TMDB has bare `\\r` overviews) and cut to MAX_OVERVIEW_CHARS."""
    return " ".join(overview.split())[:MAX_OVERVIEW_CHARS]


def clean_text(text: str | None) -> str:
    return " ".join((text or "").split())


def movie_block(movie: MovieText | Example | str, *, lists: bool = True) -> str:
    """The lines the prompt shows for one movie: title, genres, keywords, tagline (each only when known), then
    the overview. A plain string is an overview alone. `lists=False` leaves genres and keywords out: the
    embedded provider's classifier takes them as features directly, and each token costs the small model time."""
    if isinstance(movie, str):
        return f"Overview: {clean_overview(movie)}"
    lines = []
    if clean_text(movie.title):
        lines.append(f"Title: {clean_text(movie.title)}")
    if movie.genres and lists:
        lines.append(f"Genres: {', '.join(clean_text(g) for g in movie.genres)}")
    keywords = [clean_text(k) for k in movie.keywords[:MAX_KEYWORDS] if clean_text(k)] if lists else []
    if keywords:
        lines.append(f"Keywords: {', '.join(keywords)}")
    if clean_text(movie.tagline):
        lines.append(f"Tagline: {clean_text(movie.tagline)[:200]}")
    lines.append(f"Overview: {clean_overview(movie.overview)}")
    return "\n".join(lines)


def prompt_version(moods: tuple[Mood, ...]) -> str:
    """PROMPT_VERSION plus a short digest of the taxonomy the prompt shows, e.g. `1.3f2a9c01`."""
    text = "\n".join(f"{mood.name}: {mood.definition}" for mood in moods)
    return f"{PROMPT_VERSION}.{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def _examples(moods: tuple[Mood, ...]) -> list[Example]:
    """The examples whose labels are in the taxonomy (a custom taxonomy keeps the ones that still apply)."""
    names = set(mood_names(moods))
    return [
        dataclasses.replace(ex, secondary=ex.secondary if ex.secondary in names else None)
        for ex in EXAMPLES
        if ex.primary in names
    ]


def _definitions(moods: tuple[Mood, ...]) -> str:
    return "\n".join(f"{mood.name}: {mood.definition}" for mood in moods)


# --- completion rendering (base models) ---


def completion_prefix(moods: tuple[Mood, ...]) -> str:
    """The shared part of the completion prompt; `completion_prefix(m) + completion_query(o)` is the whole."""
    blocks = [f"{movie_block(ex, lists=False)}\nMood: {ex.primary}\n" for ex in _examples(moods)]
    return (
        "Movies, each labelled with the one mood that best describes how the movie feels.\n\n"
        f"Moods:\n{_definitions(moods)}\n\n" + "\n".join(blocks) + "\n"
    )


QUERY_TAIL = "\nMood:"
# The completion prompt shows the overview's first COMPLETION_OVERVIEW_CHARS characters (cut at a word): the
# small model's cost grows with every token, and its label scores from the opening sentences served the hybrid
# classifier as well as from the whole overview (README, moods: the candidates table).
COMPLETION_OVERVIEW_CHARS = 200


def opening(overview: str, limit: int = COMPLETION_OVERVIEW_CHARS) -> str:
    """The cleaned overview cut to at most `limit` characters at a word boundary (a single longer word is cut)."""
    text = clean_overview(overview)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    return cut if cut and len(cut) <= limit else text[:limit]


def completion_query(movie: MovieText | str) -> str:
    """The movie's own part (title, tagline, the overview's opening); the label follows as ` <mood>`."""
    if isinstance(movie, str):
        return f"{movie_block(opening(movie))}{QUERY_TAIL}"
    return f"{movie_block(dataclasses.replace(movie, overview=opening(movie.overview)), lists=False)}{QUERY_TAIL}"


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
        "You label movies with moods. Given a movie's title, genres, keywords, tagline and overview, choose "
        "the mood that best describes how the movie "
        "feels (primary_mood) and, only if a second mood clearly applies too, a different secondary_mood; "
        "otherwise secondary_mood is null. confidence is your probability, from 0 to 1, that primary_mood is "
        "right. Use only these moods:\n"
        f"{_definitions(moods)}\n"
        'Answer with JSON only: {"primary_mood": ..., "secondary_mood": ..., "confidence": ...}.'
    )
    messages = [{"role": "system", "content": system}]
    for ex in _examples(moods):
        answer = {"primary_mood": ex.primary, "secondary_mood": ex.secondary, "confidence": 0.9}
        messages.append({"role": "user", "content": movie_block(ex)})
        messages.append({"role": "assistant", "content": json.dumps(answer)})
    return messages


def chat_messages(moods: tuple[Mood, ...], movie: MovieText | str) -> list[dict[str, str]]:
    return [*chat_prefix(moods), {"role": "user", "content": movie_block(movie)}]
