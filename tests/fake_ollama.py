"""A stand-in Ollama server for tests: stdlib HTTP on 127.0.0.1, port 0, in a thread.

It answers the documented shapes of `GET /api/version`, `GET /api/tags`, `POST /api/show` and non-streaming
`POST /api/chat`, including the 404 body `{"error": "model 'x' not found"}` for a model it does not have, and
records every request. What the chat answers is up to a responder: by default a valid answer built from the
request's JSON schema (its first enum value); tests script answers per overview with `script()`.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.json_http import send_json

Responder = Callable[[dict[str, Any]], str]

VERSION = "0.12.6"
_DIGEST = "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72"
_DETAILS = {
    "parent_model": "",
    "format": "gguf",
    "family": "llama",
    "families": ["llama"],
    "parameter_size": "3.2B",
    "quantization_level": "Q4_K_M",
}


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    body: dict[str, Any] | None


def default_answer(request: dict[str, Any]) -> str:
    """A valid answer: the schema's first mood, no secondary mood."""
    enum = request.get("format", {}).get("properties", {}).get("primary_mood", {}).get("enum") or ["happy"]
    return json.dumps({"primary_mood": enum[0], "secondary_mood": None, "confidence": 0.8})


def last_user_text(request: dict[str, Any]) -> str:
    return next(m["content"] for m in reversed(request.get("messages", [])) if m.get("role") == "user")


@dataclass
class FakeOllama:
    models: Iterable[str] = ("llama3.2:latest",)
    responder: Responder = default_answer
    delay_s: float = 0.0  # before each chat answer: makes concurrency and timeouts observable
    requests: list[Recorded] = field(default_factory=list)
    max_in_flight: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    # --- lifecycle ---

    def start(self) -> FakeOllama:
        self.models = list(self.models)
        self._server = _QuietServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-ollama", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- what tests look at ---

    def calls(self, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    @property
    def chats(self) -> list[dict[str, Any]]:
        return [r.body or {} for r in self.calls("/api/chat")]

    def script(self, answers: dict[str, list[str]]) -> None:
        """Chat answers per overview: the first key found in the last user message picks the list, whose
        items are given in order (the last one repeats); other overviews get `default_answer`."""
        given: dict[str, int] = {}

        def respond(request: dict[str, Any]) -> str:
            text = last_user_text(request)
            for marker, contents in answers.items():
                if marker in text:
                    with self._lock:
                        index = given[marker] = given.get(marker, -1) + 1
                    return contents[min(index, len(contents) - 1)]
            return default_answer(request)

        self.responder = respond

    # --- the API ---

    def has(self, name: str) -> bool:
        return name in self.models or f"{name}:latest" in self.models

    def handle(self, method: str, path: str, body: dict[str, Any] | None) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append(Recorded(method, path, body))
        route = (method, path)
        if route == ("GET", "/api/version"):
            return 200, {"version": VERSION}
        if route == ("GET", "/api/tags"):
            return 200, {"models": [self._model_entry(name) for name in self.models]}
        if route == ("POST", "/api/show"):
            name = (body or {}).get("model", "")
            return (200, self._show(name)) if self.has(name) else _not_found(name)
        if route == ("POST", "/api/chat"):
            return self._chat(body or {})
        return 404, {"error": f"{method} {path} not found"}

    def _chat(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        name = body.get("model", "")
        if not self.has(name):
            return _not_found(name)
        if body.get("stream", True):
            return 400, {"error": "the fake Ollama answers non-streaming requests only"}
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            time.sleep(self.delay_s)
            content = self.responder(body)
        finally:
            with self._lock:
                self._in_flight -= 1
        return 200, {
            "model": name,
            "created_at": _now(),
            "message": {"role": "assistant", "content": content},
            "done": True,
            "done_reason": "stop",
            "total_duration": 250_000_000,
            "load_duration": 1_000_000,
            "prompt_eval_count": 600,
            "prompt_eval_duration": 200_000_000,
            "eval_count": 20,
            "eval_duration": 49_000_000,
        }

    def _model_entry(self, name: str) -> dict[str, Any]:
        return {
            "name": name,
            "model": name,
            "modified_at": _now(),
            "size": 2_019_393_189,
            "digest": _DIGEST,
            "details": _DETAILS,
        }

    def _show(self, name: str) -> dict[str, Any]:
        return {
            "modelfile": f"FROM {name}\n",
            "parameters": 'stop "<|eot_id|>"',
            "template": "{{ .Prompt }}",
            "details": _DETAILS,
            "model_info": {"general.architecture": "llama", "general.parameter_count": 3_212_749_888},
            "capabilities": ["completion", "tools"],
            "modified_at": _now(),
        }


def _not_found(name: str) -> tuple[int, dict[str, Any]]:
    return 404, {"error": f"model '{name}' not found"}


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) leaves a broken pipe: not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler(fake: FakeOllama) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer(None)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else {}
            except json.JSONDecodeError:
                self._send(400, {"error": "invalid JSON body"})
                return
            self._answer(body)

        def _answer(self, body: dict[str, Any] | None) -> None:
            status, payload = fake.handle(self.command, self.path, body)
            self._send(status, payload)

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            send_json(self, status, payload)

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

    return Handler
