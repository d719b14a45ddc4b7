"""The emulator's HTTP server (stdlib ``ThreadingHTTPServer``, HTTP/1.1 keep-alive) and its Python API.

A /3 request goes through, in order: fault decision (429 storm) -> rate limit -> drop / 5xx / slow
faults -> auth -> the endpoint; a truncation fault mangles the answer on its way out. The control
endpoints under /_emulator/ skip all of that.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from pipelines.emulator import reference
from pipelines.emulator.api import Response, TMDBApi, endpoint_kind
from pipelines.emulator.catalog import load_catalog
from pipelines.emulator.config import EmulatorConfig
from pipelines.emulator.exports import EXPORTS_PATH, ExportAnswer, ExportFiles
from pipelines.emulator.faults import Fault, FaultInjector, RateLimiter
from pipelines.emulator.simulation import Simulation
from pipelines.emulator.stats import Stats

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/json;charset=utf-8"
IDLE_CONNECTION_TIMEOUT = 60.0
INVALID_CONTROL = reference.error_body(5, "Invalid parameters: Your request parameters are incorrect.")
_API_KEY_IN_TEXT = re.compile(r"(api_key=)[^&\s]*")


def redact(text: str) -> str:
    """Hide the v3 key of a request line: it must never reach a log."""
    return _API_KEY_IN_TEXT.sub(r"\1***", text)


class TMDBEmulator:
    """A local TMDB v3 API over a simulated catalog. ``with TMDBEmulator(cfg) as emu: emu.base_url``."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        c = self.config
        catalog = load_catalog(c.catalog, seed=c.seed, start_date=c.start_date, synthetic_size=c.synthetic_size)
        self.simulation = Simulation(
            catalog,
            seed=c.seed,
            start_date=c.start_date,
            edit_rate=c.edit_rate,
            delete_rate=c.delete_rate,
            new_release_rate=c.new_release_rate,
            realism=c.realism,
        )
        self._day = 0
        self._stats = Stats()
        self.api = TMDBApi(self.simulation, lambda: self._day, self._stats)
        self._faults = FaultInjector(c.faults, c.seed)
        self.exports = ExportFiles(self.simulation, c.exports, c.seed, people=self.api.people)
        self._limiter = RateLimiter(c.rate_limit)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def _bind(self) -> _Server:
        if self._server is not None:
            raise RuntimeError("the emulator is already serving")
        self._server = _Server((self.config.host, self.config.port), self)
        return self._server

    def start(self) -> TMDBEmulator:
        """Serve in a daemon thread; returns self."""
        server = self._bind()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="tmdb-emulator", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self, ready: Callable[[TMDBEmulator], None] | None = None) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C raises KeyboardInterrupt here).

        ``ready`` is called once the socket is bound (``base_url`` then knows the port).
        """
        server = self._bind()
        if ready is not None:
            ready(self)
        try:
            server.serve_forever(poll_interval=0.1)
        finally:
            server.server_close()
            self._server = None

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> TMDBEmulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not serving: call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        host = self.config.host if self.config.host not in ("", "0.0.0.0") else "127.0.0.1"
        return f"http://{host}:{self.port}/3"

    @property
    def files_base_url(self) -> str:
        """Where the daily ID exports are served (TMDB: https://files.tmdb.org/p/exports)."""
        return self.base_url.removesuffix("/3") + EXPORTS_PATH

    # --- simulated clock and stats --------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.simulation.date_of(self._day)

    def set_date(self, day: date) -> None:
        index = self.simulation.day_index(day)
        if index < 0:
            raise ValueError(f"{day} is before the start date {self.config.start_date}")
        self._day = index

    def advance(self, days: int = 1) -> date:
        self.set_date(self.today + timedelta(days=days))
        return self.today

    @property
    def stats(self) -> dict[str, Any]:
        return self._stats.snapshot()

    def reset_stats(self) -> None:
        self._stats.reset()

    def state(self) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "day": self._day,
            "stats": self.stats,
            "realism": dataclasses.asdict(self.config.realism),
        }

    # --- request handling -----------------------------------------------------------------------

    def _authorized(self, query: dict[str, str], authorization: str | None) -> bool:
        if query.get("api_key") == self.config.api_key:
            return True
        scheme, _, token = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and token.strip() == self.config.access_token

    def _rate_limited(self) -> Response:
        limit = self.config.rate_limit if self.config.rate_limit > 0 else 40
        return Response(429, reference.rate_limit_body(limit), {"Retry-After": "1"})

    def answer_api(
        self, path: str, query: dict[str, str], authorization: str | None
    ) -> tuple[Response | None, Fault | None]:
        """The answer to a /3 request and the fault applied to it; no answer means drop the connection.

        Storms, the rate limit and 5xx faults answer before auth, as a proxy in front of TMDB would.
        """
        self._stats.request(endpoint_kind(path))
        fault = self._faults.decide()
        if (fault is None or fault.kind != "storm") and not self._limiter.allow():
            self._stats.rate_limited()
            return self._counted(self._rate_limited()), None
        if fault is not None:
            self._stats.fault(fault.kind)
            if fault.kind == "drop":
                return None, fault
            if fault.kind == "storm":
                return self._counted(self._rate_limited()), fault
            if fault.kind == "error":
                return self._counted(Response(fault.status, reference.SERVER_ERRORS[fault.status])), fault
            if fault.kind == "slow":
                time.sleep(self.config.faults.slow_seconds)
        if not self._authorized(query, authorization):
            return self._counted(Response(401, reference.INVALID_API_KEY)), fault
        return self._counted(self._handle_safely(path, query)), fault

    def _counted(self, response: Response) -> Response:
        self._stats.status(response.status)
        return response

    def _handle_safely(self, path: str, query: dict[str, str]) -> Response:
        try:
            return self.api.handle(path, query)
        except Exception:
            logger.exception("emulator failed on %s", path)
            return Response(500, reference.SERVER_ERRORS[500])

    def answer_control(self, method: str, path: str, body: bytes) -> Response:
        try:
            payload = json.loads(body or b"{}")
            if method == "GET" and path == "/_emulator/state":
                pass
            elif method == "POST" and path == "/_emulator/clock":
                if "date" in payload:
                    self.set_date(date.fromisoformat(payload["date"]))
                else:
                    self.advance(int(payload.get("advance_days", 1)))
            elif method == "POST" and path == "/_emulator/stats/reset":
                self.reset_stats()
            else:
                return Response(404, reference.NOT_FOUND)
        except (ValueError, TypeError, AttributeError):
            return Response(400, INVALID_CONTROL)
        return Response(200, self.state())


class _Server(ThreadingHTTPServer):
    """Tracks its open connections, so that stopping also hangs up on idle keep-alive clients."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: TMDBEmulator) -> None:
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-request are routine here (timeouts, faults): no traceback on stderr."""
        logger.debug("connection from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TMDBEmulator/1.0"
    timeout = IDLE_CONNECTION_TIMEOUT
    # Headers and body leave in two writes; with Nagle on, keep-alive clients wait ~40 ms for each answer.
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), redact(format % args))

    def _serve(self) -> None:
        app = cast(_Server, self.server).app
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if url.path.startswith("/_emulator/"):
            self._write(app.answer_control(self.command, url.path, body))
            return
        if url.path.startswith(EXPORTS_PATH + "/"):  # files.tmdb.org: no key, no rate limit
            self._write_file(app.exports.answer(url.path, app.today))
            return
        if url.path != "/3" and not url.path.startswith("/3/"):
            self._write(Response(404, reference.NOT_FOUND))
            return
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        response, fault = app.answer_api(url.path, query, self.headers.get("Authorization"))
        if response is None:  # dropped: close without a byte of answer
            self.close_connection = True
            return
        self._write(response, truncate=fault is not None and fault.kind == "truncate")

    def _write(self, response: Response, truncate: bool = False) -> None:
        payload = json.dumps(response.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", CONTENT_TYPE)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            # A truncated answer promises the full Content-Length, sends half and hangs up.
            self.wfile.write(payload[: len(payload) // 2] if truncate else payload)
        except OSError:  # the client is gone (timed out, or the emulator is stopping)
            self.close_connection = True
        if truncate:
            self.close_connection = True

    def _write_file(self, answer: ExportAnswer) -> None:
        """A daily ID export (gzip), possibly slow or truncated (full Content-Length promised, half sent)."""
        body = answer.body
        sent = body[: len(body) // 2] if answer.truncated else body
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/gzip" if answer.status == 200 else "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if answer.slow_seconds > 0 and sent:
                chunks = 20
                size = -(-len(sent) // chunks)
                for start in range(0, len(sent), size):
                    self.wfile.write(sent[start : start + size])
                    self.wfile.flush()
                    time.sleep(answer.slow_seconds / chunks)
            else:
                self.wfile.write(sent)
        except OSError:
            self.close_connection = True
        if answer.truncated:
            self.close_connection = True
