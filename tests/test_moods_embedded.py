"""The embedded provider for real: Gemma 3 270M through llama-cpp-python (skipped when llama_cpp is missing)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.moods import load_taxonomy
from pipelines.moods.prompt import QUERY_TAIL
from pipelines.moods.providers.base import MovieText, ProviderUnavailable
from pipelines.moods.providers.embedded import INSTALL_HINT, N_CTX, EmbeddedProvider, available_threads
from pipelines.moods.providers.requantize import derived_path, requantized
from pipelines.moods.taxonomy import Mood, mood_names

MOODS = load_taxonomy()

# Plain cases a mood classifier must get right, with the moods that count as right.
PLAIN = [
    (
        "A family moves into an old haunted house, where doors slam at night and a ghost wants their daughter.",
        {"scary", "dark"},
    ),
    (
        "A masked killer stalks a group of teenagers through their small town, murdering them one by one.",
        {"scary", "dark"},
    ),
    (
        "A slapstick comedy of errors: two bumbling brothers swap suitcases at the airport and chaos follows.",
        {"funny", "happy"},
    ),
    (
        "Two strangers meet by chance in Paris and fall in love during one magical weekend.",
        {"romantic", "heartwarming"},
    ),
]


def test_missing_packages_give_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # makes `import llama_cpp` raise ImportError
    with pytest.raises(ProviderUnavailable) as raised:
        EmbeddedProvider()
    assert str(raised.value) == INSTALL_HINT


def test_a_gguf_path_that_does_not_exist_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (pip install -e '.[embedded]')")
    monkeypatch.setenv("TMDB_MOODS_GGUF", "/nowhere/model.gguf")
    with pytest.raises(ProviderUnavailable, match="/nowhere/model.gguf"):
        EmbeddedProvider()


@pytest.fixture(scope="module")
def provider() -> Iterator[EmbeddedProvider]:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (pip install -e '.[embedded]')")
    provider = EmbeddedProvider()
    provider.check()
    yield provider


def test_plain_overviews_get_the_obvious_moods(provider: EmbeddedProvider) -> None:
    movies = [MovieText(i, f"Movie {i}", overview) for i, (overview, _) in enumerate(PLAIN)]
    results = provider.classify(movies)
    for result, (overview, expected) in zip(results, PLAIN, strict=True):
        assert result.status == "classified", result.reason
        assert result.primary_mood in mood_names(MOODS)
        assert result.secondary_mood is None or result.secondary_mood in mood_names(MOODS)
        assert result.secondary_mood != result.primary_mood
        assert result.primary_mood in expected, (overview, result)
        assert result.confidence is not None and 0 < result.confidence <= 1
        assert (result.provider, result.model) == ("embedded", "gemma-3-270m-q4_k_m.q4_0.gguf+mood-hybrid-2")
    if "TMDB_MOODS_THREADS" not in os.environ:
        assert provider.n_threads in (1, available_threads())  # all cores when idle, one when busy


def test_the_packaged_gguf_runs_as_its_q4_0_copy_and_a_named_gguf_as_it_is(
    provider: EmbeddedProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert provider.runs == derived_path(provider.path) and provider.runs.is_file()
    assert provider._llm.metadata["general.file_type"] == "2"  # LLAMA_FTYPE_MOSTLY_Q4_0
    monkeypatch.setenv("TMDB_MOODS_GGUF", str(provider.path))
    named = EmbeddedProvider()
    assert named.runs == provider.path and named.model == "gemma-3-270m-q4_k_m.gguf+mood-hybrid-2"


def test_the_q4_0_copy_is_derived_again_when_the_source_is_newer(provider: EmbeddedProvider, tmp_path: Path) -> None:
    source = tmp_path / provider.path.name
    source.symlink_to(provider.path)
    stale = derived_path(source)
    stale.write_bytes(b"left from an older source")
    os.utime(stale, (provider.path.stat().st_mtime - 60,) * 2)
    assert requantized(provider._llama_cpp, source) == stale
    assert stale.read_bytes() == provider.runs.read_bytes()  # llama.cpp's quantizer is deterministic
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([source.name, stale.name])
    stale.unlink()  # 241 MB: not kept in pytest's temporary directories


def test_a_failed_requantization_leaves_no_file(tmp_path: Path) -> None:
    llama_cpp = pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a gguf")
    with pytest.raises(OSError, match="could not requantize"):
        requantized(llama_cpp, broken)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.gguf"]


def test_answers_do_not_depend_on_the_movies_before(provider: EmbeddedProvider) -> None:
    """The KV cache is cut back to the shared prefix for every movie: order and repetition change nothing."""
    a, b = (MovieText(i, "", overview) for i, (overview, _) in enumerate(PLAIN[:2]))
    first, _, again = provider.classify([a, b, a])
    alone = provider.classify([a])[0]
    assert (first.primary_mood, first.secondary_mood, first.confidence) == (
        again.primary_mood,
        again.secondary_mood,
        again.confidence,
    )
    assert first.confidence == alone.confidence


def test_an_empty_overview_is_unclassified(provider: EmbeddedProvider) -> None:
    [result] = provider.classify([MovieText(1, "Nothing", "   ")])
    assert (result.status, result.reason, result.primary_mood) == ("unclassified", "no overview", None)


def test_labels_of_several_tokens_are_scored_whole() -> None:
    """`melancholic` and `suspenseful` are two tokens each for Gemma's tokenizer."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (pip install -e '.[embedded]')")
    moods = (
        Mood("scary", "frightening, with horror, monsters, ghosts or killers meant to terrify"),
        Mood("funny", "comic and silly, built to make the audience laugh"),
        Mood("melancholic", "sad and wistful"),
        Mood("suspenseful", "tense, full of danger"),
    )
    small = EmbeddedProvider(moods=moods)
    results = small.classify([MovieText(1, "", PLAIN[0][0]), MovieText(2, "", PLAIN[2][0])])
    assert [r.primary_mood for r in results] == ["scary", "funny"]
    assert any(len(label.tokens) > 1 for label in small._labels)


def test_an_overview_too_long_for_the_context_is_cut(provider: EmbeddedProvider) -> None:
    """Only text whose tokens are bytes (emoji, rare scripts) can overflow; evaluating it would be slow, so
    check the cut on token ids."""
    tail = provider._llm.tokenize(QUERY_TAIL.encode(), add_bos=False)
    fitted = provider._fitted(list(range(1, 5000)))
    assert fitted[-len(tail) :] == tail
    assert provider._prefix_len + len(fitted) + 1 <= N_CTX
    assert provider._fitted([7, 8, 9]) == [7, 8, 9]
