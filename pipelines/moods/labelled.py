"""Accuracy against human-judged moods: a labelled CSV, the movies' texts, the genre-prior baseline, the scores.

A labels file has the columns `movie_id,title,acceptable_moods`; `acceptable_moods` is one or more taxonomy moods
separated by `|`, the best first, and any of them counts as right (the labelled set of the repo and its rules:
pipelines/moods/labels/README.md).

Scores (`score`):

- top-1: the share of movies whose primary mood is acceptable; top-2: primary or secondary is acceptable;
- a confusion table of gold x predicted primary mood, where gold is the predicted mood when that is acceptable
  and the first acceptable mood otherwise, so its diagonal is the top-1 hits; per-mood precision (of the movies
  given that primary mood, the share for which it is right) and recall (of the movies whose gold mood it is,
  the share given it) come from that table.

The baseline is the one-line lookup the classifiers must beat: the first prior mood (pipelines/moods/evaluate.py)
of the movie's first TMDB genre (TMDB lists the main genre first); its top-2 adds the second prior mood.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.moods.evaluate import GENRE_PRIORS
from pipelines.moods.providers.base import MovieText

LABELS_DIR = Path(__file__).with_name("labels")
CATALOG = Path(__file__).resolve().parents[1] / "emulator" / "data" / "tmdb5000.jsonl.gz"

# Each genre's moods in order of how typical they are (GENRE_PRIORS holds them as sets); the baseline takes the
# first, its top-2 the first two.
BASELINE_ORDER: Mapping[str, tuple[str, ...]] = {
    "Action": ("intense", "dark"),
    "Adventure": ("intense", "happy"),
    "Animation": ("happy", "funny"),
    "Comedy": ("funny", "happy"),
    "Crime": ("dark", "intense"),
    "Documentary": ("thoughtful", "inspiring"),
    "Drama": ("sad", "thoughtful"),
    "Family": ("happy", "heartwarming"),
    "Fantasy": ("mysterious", "happy"),
    "History": ("thoughtful", "inspiring"),
    "Horror": ("scary", "dark"),
    "Music": ("happy", "inspiring"),
    "Mystery": ("mysterious", "dark"),
    "Romance": ("romantic", "heartwarming"),
    "Science Fiction": ("thoughtful", "intense"),
    "Thriller": ("intense", "mysterious"),
    "War": ("intense", "sad"),
    "Western": ("intense", "dark"),
}
assert all(set(moods) <= GENRE_PRIORS[genre] for genre, moods in BASELINE_ORDER.items())


@dataclass(frozen=True)
class Label:
    movie_id: int
    title: str
    acceptable: tuple[str, ...]


@dataclass(frozen=True)
class Prediction:
    movie_id: int
    primary: str | None
    secondary: str | None


def load_labels(path: str | Path, moods: Sequence[str]) -> list[Label]:
    """The rows of a labels CSV, checked: known moods only, at least one per movie, no duplicate ids."""
    labels: list[Label] = []
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"movie_id", "acceptable_moods"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            acceptable = tuple(m.strip().lower() for m in (row["acceptable_moods"] or "").split("|") if m.strip())
            unknown = [m for m in acceptable if m not in moods]
            if not acceptable or unknown:
                raise ValueError(f"{path}:{line}: acceptable_moods {row['acceptable_moods']!r} must be taxonomy moods")
            title = (row.get("title") or "").strip()
            labels.append(Label(int(row["movie_id"]), title, tuple(dict.fromkeys(acceptable))))
    ids = Counter(label.movie_id for label in labels)
    if duplicated := sorted(i for i, n in ids.items() if n > 1):
        raise ValueError(f"{path}: movie ids listed twice: {duplicated}")
    return labels


def movie_from_record(record: Mapping[str, Any]) -> MovieText:
    """MovieText from a TMDB movie object (`GET /movie/{id}` with keywords appended), as the catalog holds."""
    keywords = record.get("keywords") or []
    if isinstance(keywords, Mapping):
        keywords = keywords.get("keywords") or []
    return MovieText(
        movie_id=int(record["id"]),
        title=record.get("title") or "",
        overview=record.get("overview") or "",
        tagline=record.get("tagline") or "",
        genres=tuple(g["name"] if isinstance(g, Mapping) else str(g) for g in record.get("genres") or []),
        keywords=tuple((k["name"] if isinstance(k, Mapping) else str(k)).lower() for k in keywords),
    )


def catalog_movies(ids: Iterable[int] | None = None, path: Path = CATALOG) -> dict[int, MovieText]:
    """Movies of the bundled TMDB 5000 catalog (all, or those with the given ids)."""
    wanted = None if ids is None else set(ids)
    movies: dict[int, MovieText] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if wanted is None or record["id"] in wanted:
                movies[record["id"]] = movie_from_record(record)
    return movies


def baseline(movie: MovieText) -> Prediction:
    """The primary genre's typical mood (and its second as secondary); None without a known genre."""
    for genre in movie.genres:
        if genre in BASELINE_ORDER:
            first, second = BASELINE_ORDER[genre]
            return Prediction(movie.movie_id, first, second)
    return Prediction(movie.movie_id, None, None)


def score(labels: Sequence[Label], predictions: Mapping[int, Prediction], moods: Sequence[str]) -> dict[str, Any]:
    """top-1, top-2, the confusion table and per-mood precision/recall over the labelled movies predicted."""
    scored = [label for label in labels if label.movie_id in predictions]
    confusion = {gold: dict.fromkeys([*moods, "none"], 0) for gold in moods}
    top1 = top2 = 0
    for label in scored:
        prediction = predictions[label.movie_id]
        hit1 = prediction.primary in label.acceptable
        top1 += hit1
        top2 += hit1 or prediction.secondary in label.acceptable
        gold = prediction.primary if hit1 else label.acceptable[0]
        confusion[gold][prediction.primary or "none"] += 1
    per_mood = {}
    for mood in moods:
        predicted = sum(confusion[gold][mood] for gold in moods)
        actual = sum(confusion[mood].values())
        right = confusion[mood][mood]
        per_mood[mood] = {
            "support": actual,
            "predicted": predicted,
            "precision": _share(right, predicted),
            "recall": _share(right, actual),
        }
    n = len(scored)
    return {
        "n": n,
        "top1": _share(top1, n),
        "top2": _share(top2, n),
        "per_mood": per_mood,
        "confusion": confusion,
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def format_scores(report: Mapping[str, Any], moods: Sequence[str]) -> str:
    """The plain-text report of `moods-eval --labels`."""
    lines = [
        f"provider: {report['provider']}, model: {report['model'] or '-'}",
        f"movies scored: {report['n']}"
        + (f" (not found: {', '.join(map(str, report['not_found']))})" if report.get("not_found") else ""),
        f"top-1 accuracy: {_pct(report['top1'])}   top-2 accuracy: {_pct(report['top2'])}",
        f"genre-prior baseline on the same movies: top-1 {_pct(report['baseline_top1'])}, "
        f"top-2 {_pct(report['baseline_top2'])}",
        f"texts: {report['sources']}",
        "",
        f"{'mood':<14}{'support':>8}{'given':>7}{'precision':>11}{'recall':>8}",
    ]
    for mood, row in report["per_mood"].items():
        lines.append(
            f"{mood:<14}{row['support']:>8}{row['predicted']:>7}{_pct(row['precision']):>11}{_pct(row['recall']):>8}"
        )
    short = {mood: mood[:5] for mood in moods}
    columns = [*moods, "none"]
    lines += ["", "confusion (rows: gold mood, columns: predicted primary mood)"]
    lines.append(f"{'':<14}" + "".join(f"{short.get(c, c):>6}" for c in columns))
    for gold in moods:
        row = report["confusion"][gold]
        lines.append(f"{gold:<14}" + "".join(f"{row[c] or '.':>6}" for c in columns))
    return "\n".join(lines)
