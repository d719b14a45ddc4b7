"""The redaction rule: credentials are removed where they are carried (query strings, forms, dict and JSON reprs,
Authorization headers), whatever their value; a configured secret's own text only when it is long enough to be
unmistakable. Never substrings of prose. (That a key never leaks from a whole run: tests/test_ingest.py.)"""

from __future__ import annotations

import pytest

from pipelines.tmdb.client import MIN_SECRET_LENGTH, Redactor

MAX_RETRIES = (
    "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: /3/configuration?api_key={key} "
    "(Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused'))"
)


@pytest.mark.parametrize("key", ["x", "e", "a1", "s3cret-key-123"])
def test_a_short_key_is_removed_from_the_url_and_the_prose_is_left_alone(key: str) -> None:
    redacted = Redactor([key])(MAX_RETRIES.format(key=key))
    assert redacted == MAX_RETRIES.format(key="***")
    assert "Max retries exceeded" in redacted and "Connection refused" in redacted


def test_credentials_are_removed_wherever_they_are_carried_whoever_they_belong_to() -> None:
    redact = Redactor([])  # not even configured: a key in a URL is a key
    assert redact("https://x/3/movie/1?page=2&api_key=abc%2B1&language=en") == (
        "https://x/3/movie/1?page=2&api_key=***&language=en"
    )
    assert redact("GET /3/configuration?API_KEY=abc") == "GET /3/configuration?API_KEY=***"
    assert redact("{'api_key': 'abc', 'page': 1}") == "{'api_key': '***', 'page': 1}"
    assert redact('{"access_token": "eyJ.a-b_c", "n": 1}') == '{"access_token": "***", "n": 1}'
    assert redact("Authorization: Bearer eyJhbGciOi.J9x_y-z") == "Authorization: Bearer ***"
    assert redact("{'Authorization': 'Bearer eyJhbGciOi.J9x_y-z', 'Accept': 'application/json'}") == (
        "{'Authorization': 'Bearer ***', 'Accept': 'application/json'}"
    )
    assert redact.url("https://x/3/movie/1?api_key=abc123&page=2") == "https://x/3/movie/1?api_key=***&page=2"


def test_a_long_secret_is_removed_wherever_its_text_appears() -> None:
    secret = "0123456789abcdef0123456789abcdef"  # a v3 key's shape: 32 hex characters
    assert len(secret) >= MIN_SECRET_LENGTH
    redact = Redactor([secret, "short"])
    assert (
        redact(f"path /3/{secret}/x, glued x{secret}y, quoted '{secret}'") == "path /3/***/x, glued x***y, quoted '***'"
    )
    assert redact("a short story") == "a short story"  # the short secret only where a credential is carried


def test_text_without_credentials_is_unchanged() -> None:
    text = "TMDB answered HTTP 503 (status_code 43: Service unavailable) for https://x/3/discover/movie?page=3"
    assert Redactor(["x", "3", "e"])(text) == text
