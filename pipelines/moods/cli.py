"""`tmdb-warehouse moods-eval`: how the stored moods agree with genre priors, per provider and model.

Reads `marts.movie_moods` and the genres of `marts.dim_movie` from the built warehouse (read-only) and prints
`evaluate`'s report for each provider/model that labelled movies, plus the mood distribution.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from pipelines.moods.evaluate import evaluate, format_report
from pipelines.settings import Paths

QUERY = """
    select moods.provider, moods.model, moods.movie_id, movies.genre_names as genres,
        moods.primary_mood, moods.secondary_mood
    from marts.movie_moods as moods
    inner join marts.dim_movie as movies on moods.movie_id = movies.movie_id
    order by moods.provider, moods.model, moods.movie_id
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--duckdb-path",
        type=Path,
        help="the warehouse (default: the published copy, $TMDB_DUCKDB_PATH or warehouse/tmdb.duckdb)",
    )


def reports_by_provider(duckdb_path: Path) -> dict[tuple[str, str], dict]:
    """`evaluate`'s report for each (provider, model) in the warehouse's movie_moods."""
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        frame = con.execute(QUERY).df()
    return {
        (str(provider), str(model)): evaluate(group)
        for (provider, model), group in frame.groupby(["provider", "model"], dropna=False)
    }


def run(args: argparse.Namespace) -> int:
    path = args.duckdb_path or Paths.from_env().duckdb_path
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
