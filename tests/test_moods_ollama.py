"""The Ollama provider and provider selection against a fake Ollama server (tests/fake_ollama.py)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from pipelines.moods import classify_movies, load_taxonomy, previous_from_rows, result_rows, select_provider
from pipelines.moods.prompt import movie_block
from pipelines.moods.providers.base import MovieText, ProviderUnavailable
from pipelines.moods.providers.embedded import INSTALL_HINT
from pipelines.moods.providers.ollama import SEED, OllamaProvider, normalized_host
from pipelines.moods.taxonomy import mood_names
from tests.fake_ollama import FakeOllama

MOODS = load_taxonomy()
NAMES = mood_names(MOODS)
MOVIES = [
    MovieText(1, "Night House", "A family moves into a house where something walks the halls at night."),
    MovieText(2, "Mixups", "Two identical twins swap jobs for a day and cause chaos at a wedding."),
    MovieText(3, "Paris", "Two strangers meet on a train to Paris and fall in love."),
]


def answer(primary: str, secondary: str | None = None, confidence: float = 0.9) -> str:
    return json.dumps({"primary_mood": primary, "secondary_mood": secondary, "confidence": confidence})


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama() as server:
        yield server


def provider_for(fake: FakeOllama, **kwargs: object) -> OllamaProvider:
    return OllamaProvider(host=fake.url, moods=MOODS, **kwargs)  # type: ignore[arg-type]


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_requests_carry_the_schema_temperature_0_and_the_seed(fake: FakeOllama) -> None:
    fake.script({"strangers": [answer("romantic", "heartwarming", 0.8)]})
    provider = provider_for(fake)
    provider.check()
    results = provider.classify(MOVIES)

    assert [r.status for r in results] == ["classified"] * 3
    assert (results[2].primary_mood, results[2].secondary_mood, results[2].confidence) == (
        "romantic",
        "heartwarming",
        0.8,
    )
    assert {(r.provider, r.model) for r in results} == {("ollama", "llama3.2")}
    chats = fake.chats
    assert len(chats) == 3
    for chat in chats:
        schema = chat["format"]
        assert schema["properties"]["primary_mood"]["enum"] == NAMES
        assert schema["properties"]["secondary_mood"]["enum"] == [*NAMES, None]
        assert set(schema["required"]) == {"primary_mood", "secondary_mood", "confidence"}
        assert chat["options"]["temperature"] == 0
        assert chat["options"]["seed"] == SEED
        assert chat["stream"] is False
        assert chat["model"] == "llama3.2"
    # the prompt before the movie is the same for every movie (Ollama's prompt cache reuses it)
    prefixes = {json.dumps(chat["messages"][:-1]) for chat in chats}
    assert len(prefixes) == 1
    assert all(mood.definition in chats[0]["messages"][0]["content"] for mood in MOODS)
    assert {chat["messages"][-1]["content"] for chat in chats} == {movie_block(m) for m in MOVIES}
    # check() used the documented endpoints
    assert fake.calls("/api/version") and fake.calls("/api/show")[0].body == {"model": "llama3.2"}


def test_a_model_that_is_not_pulled_gives_the_pull_command() -> None:
    with FakeOllama(models=["qwen2.5:7b"]) as fake:
        with pytest.raises(ProviderUnavailable) as raised:
            provider_for(fake, model="llama3.2").check()
        assert str(raised.value) == "ollama model 'llama3.2' is not pulled: run `ollama pull llama3.2`"
        with pytest.raises(ProviderUnavailable, match="is not pulled"):
            select_provider("ollama", ollama_host=fake.url)
        provider_for(fake, model="qwen2.5:7b").check()  # a pulled model with a tag passes


def test_a_server_that_is_down_is_named_in_the_message() -> None:
    url = closed_port_url()
    with pytest.raises(ProviderUnavailable) as raised:
        OllamaProvider(host=url, moods=MOODS).check()
    message = str(raised.value)
    assert url in message and "\n" not in message


def test_auto_falls_back_when_ollama_is_down() -> None:
    url = closed_port_url()
    provider, reason = select_provider("auto", ollama_host=url)
    assert url in reason
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        assert provider is None
        assert INSTALL_HINT in reason
    else:
        assert provider is not None and provider.name == "embedded"


def test_auto_is_off_with_the_reason_when_nothing_is_available(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(*args: object, **kwargs: object) -> None:
        raise ProviderUnavailable(INSTALL_HINT)

    monkeypatch.setattr("pipelines.moods.selection.EmbeddedProvider", not_installed)
    url = closed_port_url()
    provider, reason = select_provider("auto", ollama_host=url)
    assert provider is None
    assert url in reason and INSTALL_HINT in reason
    results = classify_movies(MOVIES, provider, unavailable_reason=reason)
    assert {(r.status, r.reason) for r in results} == {("unclassified", reason)}


def test_auto_uses_ollama_when_it_has_the_model(fake: FakeOllama) -> None:
    provider, reason = select_provider("auto", ollama_host=fake.url)
    assert isinstance(provider, OllamaProvider)
    assert reason == f"ollama model 'llama3.2' at {fake.url}"


def test_an_invalid_answer_is_retried_once_then_the_movie_fails(fake: FakeOllama) -> None:
    fake.script(
        {
            "walks the halls": ["not json at all", answer("bored")],  # both attempts invalid
            "identical twins": [answer("hilarious"), answer("funny", "happy")],  # the retry is valid
        }
    )
    results = provider_for(fake).classify(MOVIES)

    failed, retried, fine = results
    assert failed.status == "failed" and failed.primary_mood is None
    assert "'bored' is not in the taxonomy" in (failed.reason or "")
    assert (retried.status, retried.primary_mood, retried.secondary_mood) == ("classified", "funny", "happy")
    assert fine.status == "classified"
    per_movie = [json.dumps(chat["messages"][-1]) for chat in fake.chats]
    assert sorted(per_movie.count(json.dumps({"role": "user", "content": movie_block(m)})) for m in MOVIES) == [
        1,
        2,
        2,
    ]


@pytest.mark.parametrize(
    "content",
    [
        '{"primary_mood": "scary", "secondary_mood": "gloomy", "confidence": 0.5}',
        '{"primary_mood": "scary", "secondary_mood": null, "confidence": 7}',
        '["scary"]',
        "",
    ],
)
def test_other_invalid_answers_fail_the_movie(fake: FakeOllama, content: str) -> None:
    fake.responder = lambda request: content
    [result] = provider_for(fake).classify(MOVIES[:1])
    assert result.status == "failed" and result.reason
    assert len(fake.chats) == 2


def test_a_model_removed_after_the_check_fails_movies_without_raising(fake: FakeOllama) -> None:
    provider = provider_for(fake)
    provider.check()
    fake.models = []
    results = provider.classify(MOVIES)
    assert {r.status for r in results} == {"failed"}
    assert "model 'llama3.2' not found" in (results[0].reason or "")


def test_requests_time_out_and_run_a_few_at_a_time(fake: FakeOllama) -> None:
    fake.delay_s = 0.3
    many = [MovieText(i, f"m{i}", f"Overview number {i}.") for i in range(8)]
    results = provider_for(fake, concurrency=4).classify(many)
    assert {r.status for r in results} == {"classified"}
    assert 2 <= fake.max_in_flight <= 4

    slow = provider_for(fake, timeout=0.1).classify(MOVIES[:1])
    assert slow[0].status == "failed" and "Timeout" in (slow[0].reason or "")


def test_an_empty_overview_is_unclassified_without_a_call(fake: FakeOllama) -> None:
    results = provider_for(fake).classify([MovieText(9, "Blank", ""), MovieText(10, "Carriage return", "\r")])
    assert {(r.status, r.reason) for r in results} == {("unclassified", "no overview")}
    assert fake.chats == []


def test_a_rerun_on_unchanged_overviews_makes_no_call(fake: FakeOllama) -> None:
    provider = provider_for(fake)
    first = classify_movies(MOVIES, provider)
    assert len(first) == 3 and len(fake.chats) == 3

    previous = previous_from_rows(result_rows(first, MOVIES))
    assert classify_movies(MOVIES, provider, previous) == []
    assert len(fake.chats) == 3  # no call at all

    edited = [*MOVIES[:2], MovieText(3, "Paris", MOVIES[2].overview + " Then the war begins.")]
    again = classify_movies(edited, provider, previous)
    assert [r.movie_id for r in again] == [3] and len(fake.chats) == 4

    fake.models = [*fake.models, "qwen2.5:7b"]
    other_model = classify_movies(MOVIES, provider_for(fake, model="qwen2.5:7b"), previous)
    assert len(other_model) == 3 and len(fake.chats) == 7


def test_off_marks_everything_unclassified_with_the_reason() -> None:
    provider, reason = select_provider("off")
    assert provider is None and reason == "mood classification is off"
    results = classify_movies(MOVIES, provider, unavailable_reason=reason)
    assert [r.movie_id for r in results] == [1, 2, 3]
    assert {(r.status, r.reason, r.primary_mood, r.provider) for r in results} == {
        ("unclassified", reason, None, "off")
    }


def test_unknown_provider_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown mood provider 'gpt'"):
        select_provider("gpt")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "http://localhost:11434"),
        ("localhost", "http://localhost:11434"),
        ("0.0.0.0:5000", "http://0.0.0.0:5000"),
        ("http://ollama.internal", "http://ollama.internal"),
        ("https://ollama.example.com:8443/", "https://ollama.example.com:8443"),
    ],
)
def test_ollama_host_forms(monkeypatch: pytest.MonkeyPatch, given: str | None, expected: str) -> None:
    monkeypatch.delenv("OLLAMA_HOST", raising=False)
    assert normalized_host(given) == expected
