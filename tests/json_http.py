"""The JSON answer of the tests' stand-in HTTP servers (tests/tmdb_replay.py, tests/fake_ollama.py)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any


def send_json(handler: BaseHTTPRequestHandler, status: int, payload: Any) -> None:
    """Answer `status` with `payload` as a JSON body (Content-Length set: the servers speak HTTP/1.1)."""
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)
