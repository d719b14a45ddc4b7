"""Fit the hybrid mood classifier (pipelines/moods/hybrid.py) on the dev split and compare candidates.

Run: `python -m bench.fit_moods` (cross-validation on dev only), `--write` to fit on all of dev and write
pipelines/moods/hybrid.json, `--test` to score the candidates on the test split once (for README).
The LLM's label scores are computed once per prompt version and model and cached in target/ (they take a minute).

Candidates: the genre-prior baseline; the LLM alone (calibrated label scores, argmax); genres + cue words
without the LLM; the hybrid (LLM scores + genres + cue words). Every fitted candidate is scored by 5-fold
cross-validation on dev (folds by movie id hash), for a few L2 strengths and shares of the target on the best
mood (`first_weight`); the pair written is the one with the best cross-validated top-1 among those that leave no
mood with zero recall, a tie going to the higher lowest per-mood recall.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np

from pipelines.moods.hybrid import MODEL_PATH, HybridModel, feature_names, features, fit
from pipelines.moods.labelled import LABELS_DIR, Label, Prediction, baseline, catalog_movies, load_labels, score
from pipelines.moods.prompt import completion_prefix, completion_query
from pipelines.moods.providers.base import MovieText
from pipelines.moods.providers.embedded import EmbeddedProvider
from pipelines.moods.taxonomy import load_taxonomy, mood_names

CACHE_DIR = Path(__file__).resolve().parents[1] / "target"
FOLDS = 5
L2_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)
# The name rows carry after the GGUF (`...gguf+mood-hybrid-2`); a new name when the features or the LLM change.
HYBRID_NAME = "mood-hybrid-2"
# The share of the fitting target on each movie's best acceptable mood (hybrid.fit `first_weight`).
FIRST_WEIGHT_GRID = (0.5, 0.7)


def llm_scores(movies: list[MovieText]) -> dict[int, np.ndarray]:
    """Calibrated label scores of the LLM (without the hybrid), cached by prompt version and model."""
    provider = EmbeddedProvider(hybrid=False, requantize=True)  # the scores of the GGUF the hybrid runs on
    rendering = completion_prefix(provider.moods) + completion_query(MovieText(0, "t", "o", "g", ("G",), ("k",)))
    key = hashlib.sha256(f"{provider.prompt_version}|{provider.model}|{rendering}".encode()).hexdigest()[:12]
    cache = CACHE_DIR / f"moods_llm_scores_{key}.json"
    stored: dict[str, list[float]] = json.loads(cache.read_text()) if cache.exists() else {}
    todo = [m for m in movies if str(m.movie_id) not in stored]
    if todo:
        started = time.perf_counter()
        for movie in todo:
            stored[str(movie.movie_id)] = [round(float(v), 5) for v in provider.label_scores(movie)]
        elapsed = time.perf_counter() - started
        print(f"LLM scores: {len(todo)} movies in {elapsed:.1f}s ({len(todo) / elapsed:.1f} movies/s)")
        CACHE_DIR.mkdir(exist_ok=True)
        cache.write_text(json.dumps(stored))
    return {m.movie_id: np.array(stored[str(m.movie_id)]) for m in movies}


def matrix(movies: list[MovieText], names: list[str], scores: dict[int, np.ndarray] | None) -> np.ndarray:
    return np.array([features(m, names, None if scores is None else scores[m.movie_id]) for m in movies])


def predictions_from_probs(ids: list[int], probs: np.ndarray, names: list[str]) -> dict[int, Prediction]:
    order = np.argsort(-probs, axis=1, kind="stable")
    return {i: Prediction(i, names[o[0]], names[o[1]]) for i, o in zip(ids, order, strict=True)}


def fold_of(movie_id: int) -> int:
    return int(hashlib.sha256(str(movie_id).encode()).hexdigest(), 16) % FOLDS


def cross_validated(
    labels: list[Label], x: np.ndarray, names: list[str], l2: float, first_weight: float = 0.5
) -> dict[int, Prediction]:
    acceptable = [[names.index(m) for m in label.acceptable] for label in labels]
    folds = np.array([fold_of(label.movie_id) for label in labels])
    predictions: dict[int, Prediction] = {}
    for k in range(FOLDS):
        train, held = folds != k, folds == k
        mean, scale, w, b = fit(
            x[train], [a for a, t in zip(acceptable, train, strict=True) if t], l2=l2, first_weight=first_weight
        )
        probs = HybridModel("cv", tuple(names), (), mean, scale, w, b, True, {}).predict_proba(x[held])
        held_ids = [label.movie_id for label, h in zip(labels, held, strict=True) if h]
        predictions.update(predictions_from_probs(held_ids, probs, names))
    return predictions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="fit the hybrid on all of dev, write hybrid.json")
    parser.add_argument("--test", action="store_true", help="also score the candidates on the test split")
    parser.add_argument("--l2", type=float, default=None, help="the L2 strength to write (default: best in CV)")
    args = parser.parse_args()

    names = mood_names(load_taxonomy())
    dev = load_labels(LABELS_DIR / "dev.csv", names)
    test = load_labels(LABELS_DIR / "test.csv", names)
    texts = catalog_movies({label.movie_id for label in [*dev, *test]})
    dev_movies = [texts[label.movie_id] for label in dev]
    test_movies = [texts[label.movie_id] for label in test]
    scores = llm_scores(dev_movies + (test_movies if args.test else []))

    def llm_only(movies: list[MovieText]) -> dict[int, Prediction]:
        return predictions_from_probs(
            [m.movie_id for m in movies], np.array([scores[m.movie_id] for m in movies]), names
        )

    print(f"dev: {len(dev)} movies; {FOLDS}-fold cross-validation")
    rows = [
        ("genre-prior baseline", score(dev, {m.movie_id: baseline(m) for m in dev_movies}, names)),
        ("LLM alone (calibrated label scores)", score(dev, llm_only(dev_movies), names)),
    ]
    # the best cross-validated top-1 without a mood of zero recall; a tie goes to the higher lowest recall
    best: tuple[float, float, float, float] = (-1.0, -1.0, L2_GRID[0], FIRST_WEIGHT_GRID[0])
    best_result: dict = {}
    for label, use_llm in (("genres + cues", False), ("hybrid: LLM + genres + cues", True)):
        x = matrix(dev_movies, names, scores if use_llm else None)
        for first_weight in FIRST_WEIGHT_GRID:
            for l2 in L2_GRID:
                result = score(dev, cross_validated(dev, x, names, l2, first_weight), names)
                rows.append((f"{label}, l2={l2:g}, first={first_weight:g} (CV)", result))
                lowest = min(r["recall"] for r in result["per_mood"].values() if r["support"])
                if use_llm and lowest and (result["top1"], lowest) > best[:2]:
                    best, best_result = (result["top1"], lowest, l2, first_weight), result
    for label, result in rows:
        zero = [m for m, r in result["per_mood"].items() if r["support"] and not r["recall"]]
        print(f"  {label:<54} top1 {result['top1']:.3f}  top2 {result['top2']:.3f}  zero recall: {zero or '-'}")
    recall = best_result["per_mood"]
    print(
        "  recall per mood of the best hybrid (CV): " + ", ".join(f"{m} {r['recall']:.2f}" for m, r in recall.items())
    )

    l2 = args.l2 if args.l2 is not None else best[2]
    first_weight = best[3]
    x_dev = matrix(dev_movies, names, scores)
    acceptable = [[names.index(m) for m in label.acceptable] for label in dev]
    mean, scale, w, b = fit(x_dev, acceptable, l2=l2, first_weight=first_weight)
    notes = {
        "fitted_on": "pipelines/moods/labels/dev.csv",
        "movies": len(dev),
        "l2": l2,
        "first_weight": first_weight,
        "cv_top1": best[0],
    }
    model = HybridModel(HYBRID_NAME, tuple(names), tuple(feature_names(names)), mean, scale, w, b, True, notes)
    if args.test:
        x_test = matrix(test_movies, names, scores)
        plain = matrix(dev_movies, names, None)
        m0, s0, w0, b0 = fit(plain, acceptable, l2=l2, first_weight=first_weight)
        no_llm = HybridModel("no-llm", tuple(names), (), m0, s0, w0, b0, False, {})
        print(f"test: {len(test)} movies (fitted on all of dev, l2={l2:g}, first={first_weight:g})")
        test_rows = [
            ("genre-prior baseline", score(test, {m.movie_id: baseline(m) for m in test_movies}, names)),
            ("LLM alone", score(test, llm_only(test_movies), names)),
            (
                "genres + cues",
                score(
                    test,
                    predictions_from_probs(
                        [m.movie_id for m in test_movies], no_llm.predict_proba(matrix(test_movies, names, None)), names
                    ),
                    names,
                ),
            ),
            (
                "hybrid",
                score(
                    test,
                    predictions_from_probs([m.movie_id for m in test_movies], model.predict_proba(x_test), names),
                    names,
                ),
            ),
        ]
        for label, result in test_rows:
            zero = [m for m, r in result["per_mood"].items() if r["support"] and not r["recall"]]
            print(f"  {label:<54} top1 {result['top1']:.3f}  top2 {result['top2']:.3f}  zero recall: {zero or '-'}")
    if args.write:
        MODEL_PATH.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} (l2={l2:g})")


if __name__ == "__main__":
    main()
