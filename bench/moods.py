"""Mood classification benchmark: movies per second of the embedded provider, and of Ollama when it answers.

Run: `python -m bench.moods` (options: `--movies 50`, `--ollama-model llama3.2`, `--gguf PATH`, `--threads N`,
`--report`). Movies (title, genres, keywords, tagline, overview: what the prompt shows) come from the emulator's
catalog (pipelines/emulator/data/tmdb5000.jsonl.gz, every k-th movie, so the sample spans genres) when it is
there, else from built-in samples. Prints the model load time, movies per second and its ratio to the goal
(5 movies/s on 2 idle cores); `--report` adds the agreement with genre priors (pipelines/moods/evaluate).
Accuracy is `tmdb-warehouse moods-eval --labels pipelines/moods/labels/test.csv`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time
from pathlib import Path
from typing import Any

from pipelines.moods.evaluate import evaluate, format_report
from pipelines.moods.labelled import movie_from_record
from pipelines.moods.providers.base import MoodProvider, MovieText, ProviderUnavailable
from pipelines.moods.providers.embedded import EmbeddedProvider
from pipelines.moods.providers.ollama import OllamaProvider

GOAL_MOVIES_PER_S = 5.0
CATALOG = Path(__file__).resolve().parents[1] / "pipelines" / "emulator" / "data" / "tmdb5000.jsonl.gz"
SAMPLES: tuple[tuple[str, str], ...] = (
    ("Horror", "A young couple inherits a lakeside cabin, and each night the voices under the floor grow louder."),
    ("Comedy", "A clumsy waiter is mistaken for a famous chef and must cook the president's birthday dinner."),
    ("Romance", "Two rival florists on the same street fall in love while fighting over the town's wedding season."),
    ("Drama", "A retired teacher cares for her husband as his memory fades, one ordinary day at a time."),
    ("Thriller", "A hacker discovers that her own bank is laundering money for a cartel, and they know she knows."),
    (
        "Animation",
        "A brave little snail sets off across the garden to find the rainbow his grandmother told him about.",
    ),
    ("War", "In the winter of 1944, a platoon is cut off behind enemy lines and must carry a wounded boy to safety."),
    ("Documentary", "Scientists spend a year on a melting glacier to measure how fast the world is changing."),
    (
        "Mystery",
        "A locked-room murder at a mountain hotel leaves six guests, one detective and no footprints in the snow.",
    ),
    ("Music", "A teenage drummer from a small town gets one chance to play with the band that saved her life."),
)


def load_movies(count: int) -> tuple[list[MovieText], dict[int, list[str]], str]:
    """`count` movies with an overview, their genres, and where they came from."""
    if CATALOG.exists():
        with gzip.open(CATALOG, "rt", encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines]
        with_text = [r for r in records if (r.get("overview") or "").strip()]
        step = max(1, len(with_text) // count)
        chosen = with_text[::step][:count]
        movies = [movie_from_record(r) for r in chosen]
        genres = {r["id"]: [g["name"] for g in r.get("genres") or []] for r in chosen}
        return movies, genres, f"{CATALOG.name} (every {step}th movie with an overview)"
    picked = [SAMPLES[i % len(SAMPLES)] for i in range(count)]
    movies = [MovieText(i, f"Sample {i}", text) for i, (_, text) in enumerate(picked)]
    return movies, {i: [genre] for i, (genre, _) in enumerate(picked)}, "built-in samples"


def run(
    label: str, provider: MoodProvider, movies: list[MovieText], genres: dict[int, list[str]], report: bool
) -> None:
    started, cpu_started = time.perf_counter(), time.process_time()
    results = provider.classify(movies)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = len(movies) / elapsed
    statuses = {status: sum(r.status == status for r in results) for status in ("classified", "failed", "unclassified")}
    print(
        f"{label}: {len(movies)} movies in {elapsed:.1f}s -> {rate:.2f} movies/s "
        f"(goal {GOAL_MOVIES_PER_S:g}, ratio {rate / GOAL_MOVIES_PER_S:.2f}); {statuses}"
    )
    # On a shared machine the wall-clock rate says more about the neighbours than about the model: the CPU time
    # this process used is what the same work costs on idle cores (movies per CPU-second ~ movies/s on one
    # idle core).
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  CPU time {cpu:.1f}s -> {len(movies) / cpu:.2f} movies per CPU-second; 1-min load average {load:.1f}")
    if report:
        rows: list[dict[str, Any]] = [{**r.as_row(), "genres": genres.get(r.movie_id, [])} for r in results]
        print(format_report(evaluate(rows)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--movies", type=int, default=50)
    parser.add_argument("--ollama-model", default=None, help="default: TMDB_MOODS_OLLAMA_MODEL or llama3.2")
    parser.add_argument("--gguf", default=None, help="default: TMDB_MOODS_GGUF or the packaged Gemma 3 270M")
    parser.add_argument("--threads", type=int, default=None, help="embedded: default all available cores")
    parser.add_argument("--report", action="store_true", help="print the agreement with genre priors")
    args = parser.parse_args()

    movies, genres, source = load_movies(args.movies)
    print(f"overviews: {len(movies)} from {source}")
    try:
        started = time.perf_counter()
        embedded = EmbeddedProvider(args.gguf, n_threads=args.threads)
        resolved = time.perf_counter()
        embedded.check()  # loads the model and evaluates the shared prompt prefix
        loaded = time.perf_counter()
        print(
            f"embedded {embedded.model}: GGUF ready in {resolved - started:.1f}s, model loaded and prompt prefix "
            f"evaluated in {loaded - resolved:.1f}s, {embedded.n_threads} threads"
        )
        run("embedded", embedded, movies, genres, args.report)
    except ProviderUnavailable as exc:
        print(f"embedded: unavailable: {exc}")

    ollama = OllamaProvider(args.ollama_model)
    try:
        ollama.check()
    except ProviderUnavailable as exc:
        print(f"ollama: skipped: {exc}")
        return
    run(f"ollama {ollama.model} ({ollama.concurrency} in flight)", ollama, movies, genres, args.report)


if __name__ == "__main__":
    main()
