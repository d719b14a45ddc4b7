"""The fixed mood taxonomy: the dbt seed `seeds/moods.csv` (columns `mood,definition`).

Every provider constrains its answers to these names, and the prompt shows their definitions, so the seed is the
single source: `load_taxonomy()` reads the CSV for Python callers, and the dbt Python model passes the rows of
`dbt.ref('moods')` so that the warehouse and the prompt cannot disagree.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.moods.rows import records

# The repository root is two levels above this package (pipelines/moods/); the project is installed editable.
DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "seeds" / "moods.csv"


@dataclass(frozen=True)
class Mood:
    name: str
    definition: str


Taxonomy = tuple[Mood, ...]


def load_taxonomy(source: str | Path | Iterable[Any] | None = None) -> Taxonomy:
    """The moods, in seed order, from a CSV path (default: `seeds/moods.csv`) or from rows.

    Rows may be mappings with `mood` and `definition` keys, `(mood, definition)` pairs, a pandas DataFrame, or a
    DuckDB relation (what `dbt.ref('moods')` returns in a dbt-duckdb Python model).
    """
    if source is None or isinstance(source, str | Path):
        path = Path(source) if source is not None else DEFAULT_TAXONOMY_PATH
        with path.open(newline="", encoding="utf-8") as handle:
            return _validated(csv.DictReader(handle))
    return _validated(records(source))


def mood_names(moods: Iterable[Mood]) -> list[str]:
    return [mood.name for mood in moods]


def _validated(rows: Iterable[Any]) -> Taxonomy:
    moods: list[Mood] = []
    for row in rows:
        name, definition = (row["mood"], row["definition"]) if isinstance(row, Mapping) else row
        name, definition = str(name or "").strip().lower(), " ".join(str(definition or "").split())
        if not name or " " in name:
            raise ValueError(f"mood names must be single non-empty words, got {name!r}")
        if not definition:
            raise ValueError(f"mood {name!r} has no definition")
        moods.append(Mood(name, definition))
    names = mood_names(moods)
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate mood names in the taxonomy: {sorted(n for n in set(names) if names.count(n) > 1)}")
    if len(moods) < 2:
        raise ValueError("the taxonomy needs at least two moods")
    return tuple(moods)
