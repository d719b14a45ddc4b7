"""Simulated editorial changes to a movie's details, as TMDB's contributors make them every day.

Every operation is guaranteed to change the field it touches, so "listed in /movie/changes on day D"
and "details differ between day D-1 and day D" are the same set of movies.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

from pipelines.emulator import words

Details = dict[str, Any]
EditOperation = Callable[[Details, random.Random], None]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
TITLE_SUFFIX = " (Restored)"


def edit_overview(details: Details, r: random.Random) -> None:
    """Drop the last sentence (when there are several) or append one; a null overview gets one."""
    details["overview"] = details["overview"] or ""
    sentences = [s for s in _SENTENCE_END.split(details["overview"]) if s]
    if len(sentences) > 1 and r.random() < 0.4:
        details["overview"] = " ".join(sentences[:-1])
        return
    addition = r.choice(words.EDIT_SENTENCES)
    details["overview"] = f"{details['overview']} {addition}".strip()


def edit_revenue(details: Details, r: random.Random) -> None:
    """Box office keeps coming in; an unknown (0) revenue becomes known."""
    revenue, budget = details["revenue"], details["budget"]
    if revenue > 0:
        details["revenue"] = revenue + max(1_000, int(revenue * r.uniform(0.002, 0.05)))
    elif budget > 0:
        details["revenue"] = max(1, int(budget * r.uniform(0.5, 4.0)))
    else:
        details["revenue"] = r.randrange(100_000, 80_000_000, 1_000)


def edit_budget(details: Details, r: random.Random) -> None:
    budget = details["budget"]
    if budget == 0:
        details["budget"] = r.randrange(1, 200) * 500_000
        return
    changed = int(round(budget * r.uniform(0.8, 1.25), -5))
    details["budget"] = changed if changed not in (budget, 0) else budget + 100_000


def edit_runtime(details: Details, r: random.Random) -> None:
    runtime = details["runtime"]
    if not runtime:  # null or 0: someone finally fills it in
        details["runtime"] = r.randint(75, 150)
        return
    delta = r.choice((-5, -4, -3, -2, -1, 1, 2, 3, 4, 5))
    details["runtime"] = runtime + delta if runtime + delta >= 1 else runtime + abs(delta)


def edit_tagline(details: Details, r: random.Random) -> None:
    current = details["tagline"]
    if current and r.random() < 0.25:
        details["tagline"] = ""
        return
    details["tagline"] = r.choice([t for t in words.TAGLINES if t != current])


def edit_title(details: Details, r: random.Random) -> None:
    """Toggle a release-version suffix: rare, but title changes do happen and must be handled."""
    title = details["title"]
    details["title"] = title[: -len(TITLE_SUFFIX)] if title.endswith(TITLE_SUFFIX) else title + TITLE_SUFFIX


OPERATIONS: tuple[tuple[EditOperation, int], ...] = (
    (edit_overview, 3),
    (edit_revenue, 3),
    (edit_budget, 2),
    (edit_runtime, 2),
    (edit_tagline, 2),
    (edit_title, 1),
)


def apply_edit(details: Details, r: random.Random) -> None:
    """One day's edit of one movie: one to three fields change."""
    pool = list(OPERATIONS)
    for _ in range(r.choice((1, 1, 1, 2, 2, 3))):
        operation, _weight = pool.pop(r.choices(range(len(pool)), weights=[w for _, w in pool])[0])
        operation(details, r)
