"""The labelled set, the accuracy scores, the hybrid classifier's features and `moods-eval --labels`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from pipelines.moods import cli as moods_cli
from pipelines.moods import load_taxonomy
from pipelines.moods.classify import input_hash, movies_from_rows, print_progress
from pipelines.moods.hybrid import feature_names, features, fit, load_model
from pipelines.moods.labelled import (
    LABELS_DIR,
    Label,
    Prediction,
    baseline,
    catalog_movies,
    load_labels,
    score,
)
from pipelines.moods.prompt import completion_query, movie_block
from pipelines.moods.providers.base import MovieText
from pipelines.moods.taxonomy import mood_names

NAMES = mood_names(load_taxonomy())


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


# --- the labelled set in the repo ---


def test_the_labelled_set_covers_every_mood_and_its_splits_are_disjoint() -> None:
    dev = load_labels(LABELS_DIR / "dev.csv", NAMES)
    test = load_labels(LABELS_DIR / "test.csv", NAMES)
    assert len(dev) + len(test) >= 200
    assert not {label.movie_id for label in dev} & {label.movie_id for label in test}
    for mood in NAMES:  # at least 10 movies whose best mood it is, and some in each split
        firsts = [label for label in [*dev, *test] if label.acceptable[0] == mood]
        assert len(firsts) >= 10, mood
        assert any(label.acceptable[0] == mood for label in test), mood
    catalog = catalog_movies({label.movie_id for label in [*dev, *test]})
    assert len(catalog) == len(dev) + len(test)  # every labelled movie is in the bundled catalog
    assert all(catalog[label.movie_id].title == label.title for label in [*dev, *test])


def test_labels_files_are_checked(tmp_path: Path) -> None:
    assert load_labels(write(tmp_path, "movie_id,title,acceptable_moods\n1,A, Funny | happy \n"), NAMES) == [
        Label(1, "A", ("funny", "happy"))
    ]
    with pytest.raises(ValueError, match="must be taxonomy moods"):
        load_labels(write(tmp_path, "movie_id,title,acceptable_moods\n1,A,hilarious\n"), NAMES)
    with pytest.raises(ValueError, match="must be taxonomy moods"):
        load_labels(write(tmp_path, "movie_id,title,acceptable_moods\n1,A,\n"), NAMES)
    with pytest.raises(ValueError, match="listed twice"):
        load_labels(write(tmp_path, "movie_id,title,acceptable_moods\n1,A,funny\n1,A,happy\n"), NAMES)
    with pytest.raises(ValueError, match="missing column"):
        load_labels(write(tmp_path, "id,moods\n1,funny\n"), NAMES)


# --- scores ---


def test_scores_count_any_acceptable_mood_and_build_the_confusion_table() -> None:
    labels = [
        Label(1, "A", ("funny", "happy")),
        Label(2, "B", ("scary",)),
        Label(3, "C", ("sad", "romantic")),
        Label(4, "D", ("dark",)),  # not predicted: left out
    ]
    predictions = {
        1: Prediction(1, "happy", None),  # acceptable (second choice): gold becomes happy
        2: Prediction(2, "intense", "scary"),  # wrong, right at top-2
        3: Prediction(3, "funny", "happy"),  # wrong at both
    }
    report = score(labels, predictions, NAMES)
    assert (report["n"], report["top1"], report["top2"]) == (3, round(1 / 3, 4), round(2 / 3, 4))
    assert report["confusion"]["happy"]["happy"] == 1
    assert report["confusion"]["scary"]["intense"] == 1
    assert report["confusion"]["sad"]["funny"] == 1
    assert report["per_mood"]["happy"] == {"support": 1, "predicted": 1, "precision": 1.0, "recall": 1.0}
    assert report["per_mood"]["scary"] == {"support": 1, "predicted": 0, "precision": None, "recall": 0.0}
    assert report["per_mood"]["intense"]["precision"] == 0.0


def test_the_baseline_is_the_primary_genres_typical_mood() -> None:
    assert baseline(MovieText(1, "", "x", genres=("Comedy", "Horror"))) == Prediction(1, "funny", "happy")
    assert baseline(MovieText(2, "", "x", genres=("TV Movie", "Horror"))) == Prediction(2, "scary", "dark")
    assert baseline(MovieText(3, "", "x")) == Prediction(3, None, None)


# --- what the prompt and the classifier see ---


def test_the_catalog_gives_every_field_and_the_prompt_shows_them() -> None:
    avatar = catalog_movies({19995})[19995]
    assert avatar.title == "Avatar" and avatar.tagline == "Enter the World of Pandora."
    assert avatar.genres[:2] == ("Action", "Adventure") and "alien" in avatar.keywords
    block = movie_block(avatar)
    assert block.splitlines()[0] == "Title: Avatar"
    assert "Genres: Action, Adventure, Fantasy, Science Fiction" in block
    assert "Tagline: Enter the World of Pandora." in block and block.splitlines()[-1].startswith("Overview: ")
    assert completion_query(avatar).endswith("\nMood:")


def test_rows_with_genre_and_keyword_lists_become_movies_and_the_hash_covers_them() -> None:
    rows = [
        {"movie_id": 1, "title": "A", "overview": "x", "tagline": None, "genre_names": ["Horror"], "keyword_names": []},
        {"movie_id": 2, "title": "B", "overview": "y", "tagline": "t", "genre_names": None, "keyword_names": ["ghost"]},
    ]
    first, second = movies_from_rows(rows)
    assert first == MovieText(1, "A", "x", "", ("Horror",), ())
    assert second == MovieText(2, "B", "y", "t", (), ("ghost",))
    assert input_hash(first) != input_hash(MovieText(1, "A", "x", "", ("Comedy",), ()))
    assert input_hash(first) == input_hash(MovieText(1, "A", " x\r\n", "", ("Horror",), ()))


def test_the_shipped_hybrid_matches_the_taxonomy_and_its_features() -> None:
    model = load_model()
    assert model is not None and model.moods == tuple(NAMES) and model.uses_llm
    assert model.feature_names == tuple(feature_names(NAMES))
    horror = MovieText(1, "Night", "A ghost haunts a family.", "", ("Horror",), ("haunted house", "ghost"))
    x = features(horror, NAMES, np.zeros(len(NAMES)))
    assert x.shape == (len(feature_names(NAMES)),)
    assert NAMES[int(model.predict_proba(x)[0].argmax())] == "scary"


def test_the_fit_learns_a_separable_toy_problem() -> None:
    x = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    mean, scale, w, b = fit(x, [[0], [0, 1], [1], [1]], l2=0.1)
    probs = ((x - mean) / scale) @ w + b
    assert list(probs.argmax(axis=1)) == [0, 0, 1, 1]


def test_progress_lines_say_done_total_and_rate(capsys: pytest.CaptureFixture[str]) -> None:
    print_progress(50, 200, 10.0)
    assert capsys.readouterr().err == "moods: 50/200 movies (25%), 5.0 movies/s, about 0 min left\n"


# --- the command, with the real embedded model on a few movies ---


def test_moods_eval_scores_labelled_movies_and_lists_unknown_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (pip install -e '.[embedded]')")
    labels = write(
        tmp_path,
        "movie_id,title,acceptable_moods\n"
        "18785,The Hangover,funny\n"
        "138843,The Conjuring,scary\n"
        "1422,The Departed,dark|intense\n"
        "424242424,Nowhere,happy\n",
    )
    args = argparse.Namespace(labels=labels, provider="embedded", json=True, duckdb_path=tmp_path / "none.duckdb")
    assert moods_cli.run(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 3 and report["not_found"] == [424242424]
    assert report["provider"] == "embedded" and report["model"].endswith("+mood-hybrid-2")
    assert report["top1"] == 1.0 and report["baseline_top1"] == 0.6667  # The Departed: Drama first -> sad
    assert {"top2", "baseline_top2", "per_mood", "confusion", "prompt_version"} <= set(report)

    args.json = False
    assert moods_cli.run(args) == 0
    text = capsys.readouterr().out
    assert "top-1 accuracy: 100%" in text and "not found: 424242424" in text and "confusion" in text
