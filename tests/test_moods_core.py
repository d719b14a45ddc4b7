"""Taxonomy, prompt, the shared per-movie rules, incremental classification and the genre-prior evaluation."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd
import pytest

from pipelines.moods import (
    PROMPT_VERSION,
    RESULT_COLUMNS,
    classify_movies,
    evaluate,
    format_report,
    load_taxonomy,
    movies_from_rows,
    overview_hash,
    previous_from_rows,
    result_rows,
)
from pipelines.moods.prompt import (
    COMPLETION_OVERVIEW_CHARS,
    EXAMPLES,
    MAX_OVERVIEW_CHARS,
    chat_messages,
    completion_prefix,
    completion_query,
    opening,
    prompt_version,
)
from pipelines.moods.providers.base import AnswerProvider, InvalidAnswer, MoodAnswer, MovieText, validated_answer
from pipelines.moods.providers.embedded import answer_from_scores
from pipelines.moods.taxonomy import DEFAULT_TAXONOMY_PATH, Mood, mood_names

MOODS = load_taxonomy()
EXPECTED = [
    *("happy", "funny", "romantic", "heartwarming", "inspiring", "intense"),
    *("dark", "scary", "sad", "mysterious", "nostalgic", "thoughtful"),
]


class StubProvider(AnswerProvider):
    """Answers from a function of the overview; counts its calls."""

    name = "stub"

    def __init__(self, answers: dict[str, list[object]] | None = None, model: str = "stub-1") -> None:
        self.model = model
        self.moods = MOODS
        self.answers = answers or {}
        self.calls: list[int] = []

    def answer(self, movie: MovieText) -> MoodAnswer:
        self.calls.append(movie.movie_id)
        scripted = self.answers.get(movie.overview)
        if scripted:
            item = scripted.pop(0)
            if isinstance(item, Exception):
                raise item
            assert isinstance(item, MoodAnswer)
            return item
        return MoodAnswer("happy", None, 0.5)


def movies(*overviews: str) -> list[MovieText]:
    return [MovieText(i, f"Movie {i}", text) for i, text in enumerate(overviews, start=1)]


# --- taxonomy ---


def test_the_seed_has_the_twelve_moods_in_order() -> None:
    assert mood_names(MOODS) == EXPECTED
    assert all(mood.definition and "\n" not in mood.definition for mood in MOODS)
    assert DEFAULT_TAXONOMY_PATH.name == "moods.csv"


def test_the_taxonomy_loads_from_rows_a_dataframe_and_a_duckdb_relation() -> None:
    rows = [{"mood": m.name, "definition": m.definition} for m in MOODS]
    assert load_taxonomy(rows) == MOODS
    assert load_taxonomy([(m.name, m.definition) for m in MOODS]) == MOODS
    assert load_taxonomy(pd.DataFrame(rows)) == MOODS
    con = duckdb.connect()
    relation = con.sql(f"select * from read_csv('{DEFAULT_TAXONOMY_PATH}')")
    assert load_taxonomy(relation) == MOODS


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("happy", "x"), ("happy", "y")], "duplicate"),
        ([("happy", "x"), ("very sad", "y")], "single non-empty words"),
        ([("happy", "x"), ("sad", "")], "no definition"),
        ([("happy", "x")], "at least two"),
    ],
)
def test_a_broken_taxonomy_is_refused(rows: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_taxonomy(rows)


# --- prompt ---


def test_every_mood_has_an_example_and_every_example_label_is_a_mood() -> None:
    assert sorted(ex.primary for ex in EXAMPLES) == sorted(EXPECTED)
    assert all(ex.secondary is None or ex.secondary in EXPECTED for ex in EXAMPLES)


def test_the_prompt_prefix_is_shared_and_the_movie_comes_last() -> None:
    prefix = completion_prefix(MOODS)
    assert all(f"{m.name}: {m.definition}" in prefix for m in MOODS)
    assert completion_query("A  ghost\r\nstory.") == "Overview: A ghost story.\nMood:"
    assert len(completion_query("x" * 5000)) == len("Overview: \nMood:") + COMPLETION_OVERVIEW_CHARS
    first, second = chat_messages(MOODS, "one"), chat_messages(MOODS, "two")
    assert first[:-1] == second[:-1] and first[-1] == {"role": "user", "content": "Overview: one"}


def test_the_small_model_sees_the_overviews_opening_and_ollama_all_of_it() -> None:
    """The embedded provider's cost grows with every token, so its prompt keeps the overview's opening, cut at a
    word; the chat prompt (Ollama) keeps the whole overview (up to MAX_OVERVIEW_CHARS)."""
    words = " ".join(["word"] * 100)  # 499 characters
    cut = opening(words)
    assert len(cut) <= COMPLETION_OVERVIEW_CHARS and words.startswith(cut) and not cut.endswith(" ")
    assert words[len(cut)] == " "  # a whole word: the next character is the space after it
    assert opening("Short  and\r\nsweet.") == "Short and sweet."
    assert opening("a" * 10 + " " + "b" * 190) == "a" * 10  # 201 characters: the word that crosses 200 goes
    assert opening("x" * 300) == "x" * 200  # one word longer than the limit is cut inside
    exact = "c" * 195 + " dddd"  # 200 characters: kept whole
    assert opening(exact) == exact
    movie = MovieText(1, "Title", words, "Tagline")
    assert completion_query(movie) == f"Title: Title\nTagline: Tagline\nOverview: {cut}\nMood:"
    assert chat_messages(MOODS, movie)[-1]["content"].endswith(f"Overview: {words}")
    assert len(words) < MAX_OVERVIEW_CHARS


def test_the_prompt_version_follows_the_taxonomy() -> None:
    version = prompt_version(MOODS)
    assert version.startswith(f"{PROMPT_VERSION}.")
    edited = (Mood("happy", "joyful"), *MOODS[1:])
    assert prompt_version(edited) != version


# --- the per-movie rules ---


def test_answers_are_validated_against_the_taxonomy() -> None:
    assert validated_answer(" Scary", "dark", 1, MOODS) == MoodAnswer("scary", "dark", 1.0)
    assert validated_answer("scary", "scary", None, MOODS) == MoodAnswer("scary", None, None)
    for primary, secondary, confidence in [("gloomy", None, 0.5), ("scary", 3, 0.5), ("scary", None, True)]:
        with pytest.raises(InvalidAnswer):
            validated_answer(primary, secondary, confidence, MOODS)


def test_one_failure_is_retried_and_two_fail_the_movie_without_raising() -> None:
    provider = StubProvider(
        {
            "flaky": [RuntimeError("connection reset"), MoodAnswer("sad", None, 0.7)],
            "broken": [RuntimeError("boom"), InvalidAnswer("primary_mood 'x' is not in the taxonomy")],
        }
    )
    flaky, broken, empty = provider.classify(movies("flaky", "broken", "  "))
    assert (flaky.status, flaky.primary_mood) == ("classified", "sad")
    assert broken.status == "failed"
    assert broken.reason == "InvalidAnswer: primary_mood 'x' is not in the taxonomy"
    assert (empty.status, empty.reason) == ("unclassified", "no overview")
    assert provider.calls == [1, 1, 2, 2]
    assert {r.prompt_version for r in (flaky, broken, empty)} == {prompt_version(MOODS)}


def test_scores_become_primary_secondary_and_confidence() -> None:
    names = ["a", "b", "c"]
    close = answer_from_scores(names, np.log(np.array([0.2, 0.45, 0.35])))
    assert close == MoodAnswer("b", "c", 0.45)
    clear = answer_from_scores(names, np.log(np.array([0.1, 0.8, 0.1])))
    assert clear == MoodAnswer("b", None, 0.8)


# --- incremental classification ---


def test_only_changed_movies_are_classified_again() -> None:
    provider = StubProvider()
    catalog = movies("one", "two", "three")
    first = classify_movies(catalog, provider)
    assert len(first) == 3 and provider.calls == [1, 2, 3]
    frame = pd.DataFrame(result_rows(first, catalog), columns=list(RESULT_COLUMNS))
    assert frame.notna().all().drop(["reason", "secondary_mood"]).all()
    previous = previous_from_rows(frame)

    provider.calls.clear()
    assert classify_movies(catalog, provider, previous) == []
    assert provider.calls == []

    # whitespace-only edits keep the hash; real edits, new movies and failed movies are classified
    edited = [MovieText(1, "Movie 1", " one\n"), MovieText(2, "Movie 2", "two, rewritten"), *catalog[2:]]
    edited.append(MovieText(4, "Movie 4", "four"))
    previous[3] = previous[3]._replace(status="failed")
    assert [r.movie_id for r in classify_movies(edited, provider, previous)] == [2, 3, 4]


def test_a_new_prompt_version_or_model_classifies_everything_again() -> None:
    catalog = movies("one", "two")
    provider = StubProvider()
    previous = previous_from_rows(result_rows(classify_movies(catalog, provider), catalog))
    stale = {movie_id: old._replace(prompt_version="0.old") for movie_id, old in previous.items()}
    assert len(classify_movies(catalog, provider, stale)) == 2
    assert len(classify_movies(catalog, StubProvider(model="stub-2"), previous)) == 2
    # tuples work as well as PreviousResult
    plain = {movie_id: tuple(old[:3]) for movie_id, old in previous.items()}
    assert classify_movies(catalog, provider, plain) == []


def test_without_a_provider_only_new_or_edited_movies_get_unclassified_rows() -> None:
    catalog = movies("one", "two")
    previous = previous_from_rows(result_rows(classify_movies(catalog, StubProvider()), catalog))
    edited = [catalog[0], MovieText(2, "Movie 2", "two, rewritten"), MovieText(3, "Movie 3", "three")]
    results = classify_movies(edited, None, previous, unavailable_reason="ollama is down")
    assert [(r.movie_id, r.status, r.reason) for r in results] == [
        (2, "unclassified", "ollama is down"),
        (3, "unclassified", "ollama is down"),
    ]
    # a provider coming back reclassifies the movies that were left unclassified
    previous.update(previous_from_rows(result_rows(results, edited)))
    assert [r.movie_id for r in classify_movies(edited, StubProvider(), previous)] == [2, 3]


def test_movies_come_from_dataframes_with_missing_overviews() -> None:
    frame = pd.DataFrame({"id": [1, 2], "title": ["A", None], "overview": ["text", None]})
    assert movies_from_rows(frame) == [MovieText(1, "A", "text"), MovieText(2, "", "")]
    assert overview_hash(None) == overview_hash("") == overview_hash(" \r ")
    assert overview_hash("a b") == overview_hash("a\n b") != overview_hash("a c")


# --- evaluation ---


def rows(*items: tuple[int, Sequence[str], str | None, str | None]) -> list[dict[str, object]]:
    return [{"movie_id": m, "genres": g, "primary_mood": p, "secondary_mood": s} for m, g, p, s in items]


def test_agreement_with_genre_priors() -> None:
    report = evaluate(
        rows(
            (1, ["Horror"], "scary", None),
            (2, ["Horror", "Comedy"], "funny", "dark"),
            (3, ["Comedy"], "sad", None),
            (4, ["Romance", "Drama"], "romantic", None),
            (5, ["TV Movie"], "happy", None),
            (6, ["Horror"], None, None),
        )
    )
    assert report["movies"] == 6 and report["classified"] == 5
    assert report["genres"]["Horror"] == {"movies": 2, "agreeing": 2, "agreement": 1.0}
    assert report["genres"]["Comedy"] == {"movies": 2, "agreeing": 1, "agreement": 0.5}
    assert report["genres"]["Drama"]["agreement"] == 0.0
    assert "TV Movie" not in report["genres"]
    assert report["overall"] == {"movies": 4, "agreeing": 3, "agreement": 0.75}
    assert report["primary_distribution"]["scary"] == 0.2
    text = format_report(report)
    assert "agreement with genre priors: 75% of 4 movies" in text and "Horror" in text


def test_evaluate_takes_tuples_and_tmdb_genre_objects() -> None:
    report = evaluate([(1, [{"id": 27, "name": "Horror"}], "dark", None), (2, None, "happy", None)])
    assert report["overall"]["agreement"] == 1.0 and report["classified"] == 2
    assert evaluate([])["overall"]["agreement"] is None


def test_the_round_trip_a_dbt_python_model_makes_through_duckdb() -> None:
    """Movies and the stored results read as DuckDB relations, results written back from a DataFrame."""
    con = duckdb.connect()
    con.execute("create table movies as select * from (values (1, 'A', 'one'), (2, 'B', null)) t(id, title, overview)")
    provider = StubProvider()
    catalog = movies_from_rows(con.sql("select id as movie_id, title, overview from movies"))
    results = classify_movies(catalog, provider, {})
    frame = pd.DataFrame(result_rows(results, catalog), columns=list(RESULT_COLUMNS))
    con.register("frame", frame)
    con.execute("create table movie_moods as select * from frame")
    assert con.sql("select status from movie_moods order by movie_id").fetchall() == [
        ("classified",),
        ("unclassified",),
    ]

    previous = previous_from_rows(con.sql("select * from movie_moods"))
    assert classify_movies(catalog, provider, previous) == []
    assert provider.calls == [1]
