"""Derive the emulator's shipped catalog from the TMDB 5000 dataset (a dev script, run once).

Usage::

    python -m pipelines.emulator.build_catalog /path/to/shared/data/tmdb5000 [--output DIR]

Writes ``tmdb5000.jsonl.gz`` (one TMDB movie-details object a line, plus ``credits`` and ``keywords``)
and ``README.md`` (provenance) into ``pipelines/emulator/data/``. The output is byte-reproducible.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipelines.emulator.randomness import credit_id
from pipelines.emulator.reference import LANGUAGE_ENGLISH_NAMES

DATA_DIR = Path(__file__).parent / "data"
CATALOG_NAME = "tmdb5000.jsonl.gz"
MAX_CAST = 15
KEPT_CREW_JOBS = frozenset(
    {
        "Director",
        "Screenplay",
        "Writer",
        "Producer",
        "Executive Producer",
        "Original Music Composer",
        "Director of Photography",
        "Editor",
        "Novel",
        "Story",
    }
)
COLLECTION_ID_BASE = 9_000_000
CREW_POSITION_OFFSET = 100  # crew credit ids count on from here, after the (at most MAX_CAST) cast ones

Row = dict[str, str]


def _read_csv(path: Path) -> Iterator[Row]:
    # newline="" keeps the three bare "\r" inside quoted overviews intact (RFC 4180 quoting).
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _group_by_movie(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row["movie_id"]].append(row)
    return grouped


# --- franchise ("belongs_to_collection") heuristic -------------------------------------------------

_SEQUEL_SUFFIX = re.compile(r"^(?P<base>.+?)[\s:,]+(?:(?:Part|Chapter|Vol\.?|Volume)\s+)?(?:[2-9]|[IVX]{1,5})$")


def _normalized_title(title: str) -> str:
    """The title without a " - subtitle" tail or a trailing sequel number / roman numeral."""
    base = title.split(" - ")[0].strip()
    match = _SEQUEL_SUFFIX.match(base)
    return match.group("base").strip() if match else base


def _franchise_key(title: str) -> str:
    return _normalized_title(title).split(":")[0].strip().casefold()


def _collection_name(normalized_titles: list[str]) -> str:
    """The longest common word prefix, not reaching past the first ":" unless a title ends there.

    ``Die Hard`` / ``Die Hard: With a Vengeance`` -> ``Die Hard``;
    ``The Lord of the Rings: The Two Towers`` / ``...: The Return of the King`` -> ``The Lord of the Rings``;
    ``Mission: Impossible`` / ``Mission: Impossible - Ghost Protocol`` -> ``Mission: Impossible``.
    """
    tokens = [t.split() for t in normalized_titles]
    stripped = [[w.rstrip(":,") for w in ws] for ws in tokens]
    length = 0
    while all(len(ws) > length for ws in stripped) and len({ws[length] for ws in stripped}) == 1:
        length += 1
    first = tokens[0]
    key_length = next((i + 1 for i, w in enumerate(first) if w.endswith(":")), len(first))
    if length > key_length and all(len(ws) != length for ws in stripped):
        length = key_length
    return " ".join(first[:length]).rstrip(":,-– ")


def derive_collections(titles: dict[int, str]) -> dict[int, dict[str, Any]]:
    """Map movie id -> a synthetic ``belongs_to_collection`` for movies that look like one franchise.

    Movies are grouped by the part of the title before ":" after dropping a trailing sequel marker
    (``Iron Man 2`` -> ``Iron Man``, ``Rocky IV`` -> ``Rocky``); a group of >= 2 movies with >= 2
    distinct titles (so that two unrelated films called "The Host" are not a franchise) becomes a
    collection named after the titles' common prefix (see ``_collection_name``).
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for movie_id, title in titles.items():
        key = _franchise_key(title)
        if len(key) >= 3 and not key.isdigit():
            groups[key].append(movie_id)
    result: dict[int, dict[str, Any]] = {}
    qualifying = sorted(k for k, ids in groups.items() if len({titles[i] for i in ids}) >= 2)
    for n, key in enumerate(qualifying, start=1):
        ids = groups[key]
        name = _collection_name([_normalized_title(titles[i]) for i in ids]) or key.title()
        collection = {
            "id": COLLECTION_ID_BASE + n,
            "name": f"{name} Collection",
            "poster_path": None,
            "backdrop_path": None,
        }
        for movie_id in ids:
            result[movie_id] = collection
    return result


# --- per-movie record ------------------------------------------------------------------------------


def _cast_item(movie_id: int, position: int, row: Row) -> dict[str, Any]:
    person_id = int(row["person_id"])
    return {
        "adult": False,
        "gender": int(row["gender"] or 0),
        "id": person_id,
        "known_for_department": "Acting",
        "name": row["name"],
        "original_name": row["name"],
        "popularity": 0.0,
        "profile_path": None,
        "cast_id": position + 1,
        "character": row["character"],
        "credit_id": credit_id(movie_id, position),
        "order": int(row["cast_order"]),
    }


def _crew_item(movie_id: int, position: int, row: Row, genders: dict[int, int]) -> dict[str, Any]:
    person_id = int(row["person_id"])
    return {
        "adult": False,
        "gender": genders.get(person_id, 0),
        "id": person_id,
        "known_for_department": row["department"],
        "name": row["name"],
        "original_name": row["name"],
        "popularity": 0.0,
        "profile_path": None,
        "credit_id": credit_id(movie_id, CREW_POSITION_OFFSET + position),
        "department": row["department"],
        "job": row["job"],
    }


def movie_record(
    row: Row,
    cast_rows: list[Row],
    crew_rows: list[Row],
    collection: dict[str, Any] | None,
    genders: dict[int, int],
) -> dict[str, Any]:
    movie_id = int(row["id"])
    countries = json.loads(row["production_countries"])
    languages = json.loads(row["spoken_languages"])
    kept_crew = [r for r in crew_rows if r["job"] in KEPT_CREW_JOBS]
    return {
        "adult": False,
        "backdrop_path": None,
        "belongs_to_collection": collection,
        "budget": int(row["budget"]),
        "genres": json.loads(row["genres"]),
        "homepage": row["homepage"],
        "id": movie_id,
        "imdb_id": None,
        "origin_country": [countries[0]["iso_3166_1"]] if countries else [],
        "original_language": row["original_language"],
        "original_title": row["original_title"],
        "overview": row["overview"],
        "popularity": round(float(row["popularity"]), 3),
        "poster_path": None,
        "production_companies": [
            {"id": c["id"], "logo_path": None, "name": c["name"], "origin_country": ""}
            for c in json.loads(row["production_companies"])
        ],
        "production_countries": [{"iso_3166_1": c["iso_3166_1"], "name": c["name"]} for c in countries],
        "release_date": row["release_date"],
        "revenue": int(row["revenue"]),
        "runtime": int(float(row["runtime"])) if row["runtime"] else None,
        "spoken_languages": [
            {
                "english_name": LANGUAGE_ENGLISH_NAMES.get(lang["iso_639_1"], lang["name"]),
                "iso_639_1": lang["iso_639_1"],
                "name": lang["name"],
            }
            for lang in languages
        ],
        "status": row["status"],
        "tagline": row["tagline"],
        "title": row["title"],
        "video": False,
        "vote_average": float(row["vote_average"]),
        "vote_count": int(row["vote_count"]),
        "credits": {
            "cast": [_cast_item(movie_id, i, r) for i, r in enumerate(cast_rows[:MAX_CAST])],
            "crew": [_crew_item(movie_id, i, r, genders) for i, r in enumerate(kept_crew)],
        },
        "keywords": json.loads(row["keywords"]),
    }


# --- output ----------------------------------------------------------------------------------------


def _gzip_lines(lines: Iterable[str]) -> bytes:
    buffer = io.BytesIO()
    # mtime=0 and no file name keep the output byte-identical from run to run.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        for line in lines:
            out.write(line.encode("utf-8") + b"\n")
    return buffer.getvalue()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _readme(stats: dict[str, Any]) -> str:
    return README_TEMPLATE.format(**stats)


README_TEMPLATE = """\
# Emulator catalog: `tmdb5000.jsonl.gz`

Derived by `python -m pipelines.emulator.build_catalog <tmdb5000 dir>` from the Kaggle "TMDB 5000 Movie
Dataset" (a 2017 snapshot of The Movie Database) as kept in `shared/data/tmdb5000/` (see the README there
for where each source file came from). The emulator reads only this file at run time.

- {movies} movies, one JSON object a line, UTF-8, gzip ({size_bytes} bytes, sha256 `{sha256}`).
- Sources (sha256 of the .gz files as read):
{sources}
- `popularity`, `vote_count` and `vote_average` are the emulator's day-0 values; the simulation makes
  them drift from there, and edits, deletes and reveals movies (see `pipelines/emulator/simulation.py`).

## What each line holds

The fields of TMDB's `GET /3/movie/{{id}}` answer, in TMDB's order, plus `credits` ({{cast, crew}}) and
`keywords` ([{{id, name}}]) for `append_to_response`.

Taken from the dataset as is: `budget`, `revenue` (0 = unknown), `genres`, `homepage` ("" when empty),
`id`, `original_language`, `original_title`, `overview` ("" when empty; three keep a bare `\\r`),
`production_countries`, `release_date` ("" when empty), `status`, `tagline` ("" when empty), `title`,
`vote_average`, `vote_count`, `keywords`. `popularity` is rounded to 3 decimals, like TMDB's.
`runtime` is null where the CSV is empty ({runtime_null} movies) and 0 stays 0 ({runtime_zero} movies).

Not in the dataset, filled the way TMDB answers when it has nothing:

- `adult` and `video` false; `backdrop_path`, `poster_path` and `imdb_id` null.
- `production_companies`: `logo_path` null and `origin_country` "".
- `origin_country`: the first production country's code, or [] (TMDB keeps a separate list).
- `spoken_languages[].english_name`: the English name of the ISO 639-1 code from a built-in table,
  otherwise the native `name`.

Credits (from the rebuilt credits files):

- `cast`: the first {max_cast} credits by billing order ({cast_items} items). `cast_id` is the position + 1
  (the dataset dropped the real one), `known_for_department` is "Acting", `popularity` 0.0,
  `profile_path` null.
- `crew`: only the jobs {crew_jobs} ({crew_items} items), in the original crew-list order.
  `known_for_department` is the credit's department; `gender` is the person's gender from the cast file
  when they also act somewhere, else 0.
- `credit_id`: 24 hex digits shaped like TMDB's ObjectIds: a 16-digit prefix hashed from the movie id,
  then a counter by credit position (cast first, crew from position 100). Deterministic, not TMDB's.

`belongs_to_collection` is **invented**: the dataset has no collections. Titles are grouped by the part
before ":" after dropping a " - subtitle" tail and a trailing sequel number or roman numeral
(`Iron Man 2` -> `Iron Man`, `The Godfather: Part II` -> `The Godfather`); every group of at least two
movies with at least two distinct titles becomes `{{id: 9000000 + n, name: "<common title prefix>
Collection", poster_path: null, backdrop_path: null}}`, n numbering the groups in alphabetical order.
This gives {collections} collections over {collection_movies} movies. It is a heuristic: it misses
franchises without a shared prefix and may join unrelated films that share one.

## Terms

TMDB data is subject to TMDB's terms of use. This product uses the TMDB API but is not endorsed or
certified by TMDB.
"""


def build(source_dir: Path, output_dir: Path) -> dict[str, Any]:
    sources = ("tmdb_5000_movies.csv.gz", "tmdb_5000_cast.csv.gz", "tmdb_5000_crew.csv.gz")
    movies = list(_read_csv(source_dir / "tmdb_5000_movies.csv.gz"))
    cast = _group_by_movie(_read_csv(source_dir / "tmdb_5000_cast.csv.gz"))
    crew = _group_by_movie(_read_csv(source_dir / "tmdb_5000_crew.csv.gz"))
    genders = {
        int(r["person_id"]): int(r["gender"])
        for rows in cast.values()
        for r in rows
        if r["gender"] and r["gender"] != "0"
    }
    collections = derive_collections({int(m["id"]): m["title"] for m in movies})
    records = [
        movie_record(m, cast.get(m["id"], []), crew.get(m["id"], []), collections.get(int(m["id"])), genders)
        for m in movies
    ]
    payload = _gzip_lines(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / CATALOG_NAME).write_bytes(payload)
    stats = {
        "movies": len(records),
        "sources": "\n".join(f"  - `{name}`: `{_sha256(source_dir / name)}`" for name in sources),
        "size_bytes": f"{len(payload):,}",
        "sha256": hashlib.sha256(payload).hexdigest(),
        "runtime_null": sum(r["runtime"] is None for r in records),
        "runtime_zero": sum(r["runtime"] == 0 for r in records),
        "max_cast": MAX_CAST,
        "cast_items": f"{sum(len(r['credits']['cast']) for r in records):,}",
        "crew_items": f"{sum(len(r['credits']['crew']) for r in records):,}",
        "crew_jobs": ", ".join(sorted(KEPT_CREW_JOBS)),
        "collections": len({c["id"] for c in collections.values()}),
        "collection_movies": len(collections),
    }
    (output_dir / "README.md").write_text(_readme(stats), encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source_dir", type=Path, help="directory holding the tmdb_5000_*.csv.gz files")
    parser.add_argument("--output", type=Path, default=DATA_DIR, help=f"default: {DATA_DIR}")
    args = parser.parse_args(argv)
    stats = build(args.source_dir, args.output)
    print(json.dumps({k: v for k, v in stats.items() if k != "sources"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
