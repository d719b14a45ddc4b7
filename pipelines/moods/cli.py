"""`tmdb-warehouse moods-eval`: how good the moods are.

- `--labels FILE` (a CSV `movie_id,title,acceptable_moods`, e.g. pipelines/moods/labels/test.csv): classifies
  exactly those movies with the chosen provider (`--provider`), their texts taken from the warehouse when it has
  them and from the bundled TMDB 5000 catalog otherwise, and prints top-1/top-2 accuracy, the genre-prior
  baseline on the same movies, per-mood precision and recall and a confusion table (pipelines/moods/labelled.py);
  `--json` prints one object instead. Ids found nowhere are listed, not fatal.
- without `--labels`: reads `marts.movie_moods` and the genres of `marts.dim_movie` from the built warehouse
  (read-only) and prints how the stored moods agree with genre priors, per provider/model, and their
  distribution (`evaluate`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

from pipelines.cli_types import add_duckdb_path
from pipelines.moods.evaluate import evaluate, format_report
from pipelines.moods.labelled import Prediction as LabelledPrediction
from pipelines.moods.labelled import baseline, catalog_movies, format_scores, load_labels, score
from pipelines.moods.providers.base import MovieText, ProviderUnavailable
from pipelines.moods.taxonomy import load_taxonomy, mood_names
from pipelines.settings import Paths

QUERY = """
    select moods.provider, moods.model, moods.movie_id, movies.genre_names as genres,
        moods.primary_mood, moods.secondary_mood
    from marts.movie_moods as moods
    inner join marts.dim_movie as movies on moods.movie_id = movies.movie_id
    order by moods.provider, moods.model, moods.movie_id
"""


TEXTS_QUERY = """
    select movie_id, title, overview, tagline, genre_names, keyword_names
    from marts.dim_movie
    where movie_id in (select unnest($ids))
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_duckdb_path(parser)
    parser.add_argument(
        "--labels", type=Path, help="a CSV movie_id,title,acceptable_moods: score a provider against it"
    )
    parser.add_argument(
        "--provider", default="auto", choices=["auto", "ollama", "embedded"], help="with --labels (default auto)"
    )
    parser.add_argument("--json", action="store_true", help="with --labels: print one JSON object")


def warehouse_path(args: argparse.Namespace) -> Path:
    """The warehouse moods-eval reads: the published copy (`--duckdb-path`, else $TMDB_DUCKDB_PATH)."""
    return Paths.from_env(args.duckdb_path).duckdb_path


def warehouse_movies(path: Path, ids: list[int]) -> dict[int, MovieText]:
    """The labelled movies the warehouse has (none when it is missing or not built)."""
    if not path.exists():
        return {}
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            rows = con.execute(TEXTS_QUERY, {"ids": ids}).fetchall()
    except duckdb.Error:
        return {}
    return {
        int(movie_id): MovieText(
            int(movie_id), title or "", overview or "", tagline or "", tuple(genres or ()), tuple(keywords or ())
        )
        for movie_id, title, overview, tagline, genres, keywords in rows
    }


def labelled_report(labels_path: Path, provider_kind: str, duckdb_path: Path) -> dict:
    """Classify the labelled movies with the provider and score them (and the baseline on the same movies)."""
    from pipelines.moods.selection import select_provider

    moods = load_taxonomy()
    names = mood_names(moods)
    labels = load_labels(labels_path, names)
    ids = [label.movie_id for label in labels]
    from_warehouse = warehouse_movies(duckdb_path, ids)
    from_catalog = catalog_movies(set(ids) - set(from_warehouse))
    texts = {**from_catalog, **from_warehouse}
    movies = [texts[i] for i in ids if i in texts and texts[i].overview.strip()]
    not_found = [i for i in ids if i not in texts or not texts[i].overview.strip()]
    provider, reason = select_provider(provider_kind, moods=moods)
    if provider is None:
        raise ProviderUnavailable(reason)
    started = time.perf_counter()
    results = provider.classify(movies)
    elapsed = time.perf_counter() - started
    predictions = {
        r.movie_id: LabelledPrediction(r.movie_id, r.primary_mood, r.secondary_mood)
        for r in results
        if r.status == "classified"
    }
    scored = [label for label in labels if label.movie_id in predictions]
    base = score(scored, {m.movie_id: baseline(m) for m in movies}, names)
    report = score(labels, predictions, names)
    return {
        "n": report["n"],
        "top1": report["top1"],
        "top2": report["top2"],
        "baseline_top1": base["top1"],
        "baseline_top2": base["top2"],
        "provider": provider.name,
        "model": provider.model,
        "prompt_version": provider.prompt_version,
        "labels": str(labels_path),
        "not_found": not_found,
        "failed": [r.movie_id for r in results if r.status != "classified"],
        "sources": f"{len(from_warehouse)} from the warehouse, {len(from_catalog)} from the TMDB 5000 catalog",
        "movies_per_s": round(len(movies) / elapsed, 2) if elapsed else None,
        "per_mood": report["per_mood"],
        "confusion": report["confusion"],
    }


def reports_by_provider(duckdb_path: Path) -> dict[tuple[str, str], dict]:
    """`evaluate`'s report for each (provider, model) in the warehouse's movie_moods."""
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        frame = con.execute(QUERY).df()
    return {
        (str(provider), str(model)): evaluate(group)
        for (provider, model), group in frame.groupby(["provider", "model"], dropna=False)
    }


def run(args: argparse.Namespace) -> int:
    path = warehouse_path(args)
    if getattr(args, "labels", None):
        return run_labelled(args, path)
    if not path.exists():
        print(f"error: no warehouse at {path}: build it first (make demo), or pass --duckdb-path")
        return 2
    try:
        reports = reports_by_provider(path)
    except duckdb.CatalogException as exc:
        print(f"error: {path} has no moods yet ({' '.join(str(exc).split())[:200]}): run the chain first")
        return 2
    for (provider, model), report in reports.items():
        print(f"== provider {provider}, model {model or '-'}")
        print(format_report(report))
        print()
    return 0


def run_labelled(args: argparse.Namespace, path: Path) -> int:
    if not args.labels.is_file():
        print(f"error: no labels file at {args.labels}", file=sys.stderr)
        return 2
    try:
        report = labelled_report(args.labels, args.provider, path)
    except (ProviderUnavailable, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report))
    else:
        print(format_scores(report, mood_names(load_taxonomy())))
    return 0
