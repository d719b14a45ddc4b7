"""How plausible the moods are: agreement with what a movie's TMDB genres lead one to expect.

There is no labelled truth for moods, so this is a sanity check, not accuracy: a horror movie labelled `funny`
is suspicious, one labelled `scary` or `dark` is not. A movie *agrees* with one of its genres when its primary or
secondary mood is among that genre's expected moods (GENRE_PRIORS). Genres without a prior (e.g. "TV Movie")
are left out. Per genre: the share of its classified movies that agree. Overall: the share of classified movies
with at least one prior genre that agree with at least one of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pipelines.moods.rows import records

# TMDB genre name -> the moods that agree with it.
GENRE_PRIORS: Mapping[str, frozenset[str]] = {
    genre: frozenset(moods)
    for genre, moods in {
        "Action": ("intense", "dark"),
        "Adventure": ("intense", "inspiring", "happy"),
        "Animation": ("happy", "heartwarming", "funny"),
        "Comedy": ("funny", "happy"),
        "Crime": ("dark", "intense", "mysterious"),
        "Documentary": ("thoughtful", "inspiring"),
        "Drama": ("sad", "thoughtful", "heartwarming"),
        "Family": ("happy", "heartwarming", "funny"),
        "Fantasy": ("mysterious", "heartwarming", "happy", "inspiring"),
        "History": ("thoughtful", "inspiring", "sad", "nostalgic"),
        "Horror": ("scary", "dark"),
        "Music": ("happy", "inspiring", "nostalgic"),
        "Mystery": ("mysterious", "dark"),
        "Romance": ("romantic", "heartwarming"),
        "Science Fiction": ("thoughtful", "mysterious", "intense"),
        "Thriller": ("intense", "mysterious", "dark"),
        "War": ("intense", "sad", "dark"),
        "Western": ("intense", "dark", "nostalgic"),
    }.items()
}


def evaluate(rows: Any, priors: Mapping[str, frozenset[str]] = GENRE_PRIORS) -> dict[str, Any]:
    """Agreement per genre and overall, and the mood distribution.

    `rows`: mappings with `movie_id`, `genres` (a list of names), `primary_mood` (or `primary`) and
    `secondary_mood` (or `secondary`), or `(movie_id, genres, primary, secondary)` tuples, or a DataFrame.
    Rows without a primary mood count as unclassified and are left out of agreement and distribution.
    """
    per_genre: dict[str, list[int]] = {}  # genre -> [movies, agreeing]
    overall = [0, 0]
    primaries: Counter[str] = Counter()
    secondaries: Counter[str] = Counter()
    total = 0
    for genres, primary, secondary in _normalized(rows):
        total += 1
        if not primary:
            continue
        primaries[primary] += 1
        if secondary:
            secondaries[secondary] += 1
        moods = {primary, secondary} - {None}
        judged = [genre for genre in dict.fromkeys(genres) if genre in priors]
        for genre in judged:
            counts = per_genre.setdefault(genre, [0, 0])
            counts[0] += 1
            counts[1] += bool(moods & priors[genre])
        if judged:
            overall[0] += 1
            overall[1] += any(moods & priors[genre] for genre in judged)
    classified = sum(primaries.values())
    return {
        "movies": total,
        "classified": classified,
        "overall": {"movies": overall[0], "agreeing": overall[1], "agreement": _share(overall[1], overall[0])},
        "genres": {
            genre: {"movies": n, "agreeing": agree, "agreement": _share(agree, n)}
            for genre, (n, agree) in sorted(per_genre.items(), key=lambda item: (-item[1][0], item[0]))
        },
        "primary_distribution": {mood: _share(n, classified) for mood, n in primaries.most_common()},
        "primary_counts": dict(primaries.most_common()),
        "secondary_counts": dict(secondaries.most_common()),
    }


def format_report(report: Mapping[str, Any]) -> str:
    """A plain-text table of `evaluate`'s result."""
    overall = report["overall"]
    lines = [
        f"movies: {report['movies']}, classified: {report['classified']}",
        f"agreement with genre priors: {_pct(overall['agreement'])} of {overall['movies']} movies",
        "",
        f"{'genre':<18}{'movies':>8}{'agree':>9}",
    ]
    lines += [f"{genre:<18}{row['movies']:>8}{_pct(row['agreement']):>9}" for genre, row in report["genres"].items()]
    lines += ["", f"{'primary mood':<18}{'movies':>8}{'share':>9}"]
    counts = report["primary_counts"]
    lines += [f"{mood:<18}{counts[mood]:>8}{_pct(share):>9}" for mood, share in report["primary_distribution"].items()]
    return "\n".join(lines)


def _normalized(rows: Any) -> Iterable[tuple[Sequence[str], str | None, str | None]]:
    for row in records(rows):
        if isinstance(row, Mapping):
            primary = row.get("primary_mood", row.get("primary"))
            secondary = row.get("secondary_mood", row.get("secondary"))
            yield _genre_names(row.get("genres")), _mood(primary), _mood(secondary)
        else:
            _movie_id, genres, primary, secondary = row
            yield _genre_names(genres), _mood(primary), _mood(secondary)


def _mood(value: Any) -> str | None:
    """A mood name, or None for None, '' and pandas' NaN."""
    return value if isinstance(value, str) and value else None


def _genre_names(genres: Any) -> list[str]:
    """Names from a list of names or of TMDB's `{"id", "name"}` objects; None (or NaN) is no genre."""
    if genres is None or isinstance(genres, float | str):
        return [genres] if isinstance(genres, str) else []
    return [genre["name"] if isinstance(genre, Mapping) else str(genre) for genre in genres]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"
