"""The HTTP layer between the tmdb dlt source and TMDB API v3.

Retries, backoff and `Retry-After` come from dlt's requests helper (`dlt.sources.helpers.requests.Client`, which
keeps one `requests.Session` per thread); pagination and auth from dlt's RESTClient. The settings come from dlt's
configuration (`[sources.tmdb]`, `SOURCES__TMDB__...`) through `configured_settings`. This module only adds what
dlt does not do:

- a token bucket, so the client never sends faster than the configured rate (TMDB allows ~40-50 req/s);
- a response hook that turns TMDB's error bodies into exceptions the retry policy understands, and treats a
  body that is not valid JSON (a truncated or garbled answer) as retryable;
- redaction: the API key never reaches an exception message, a log line or the warehouse;
- counters (requests, retries, 429s) for the run log.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from dlt.common.configuration import with_config
from dlt.common.typing import TSecretStrValue
from dlt.sources.helpers.requests import Client
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import APIKeyAuth, BearerTokenAuth
from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator
from dlt.sources.helpers.rest_client.redaction import sanitize_url
from requests.adapters import HTTPAdapter

TMDB_API_BASE_URL = "https://api.themoviedb.org/3"
RETRY_STATUS_CODES = (429, 500, 502, 503, 504)
# TMDB answers page > 500 of any list with HTTP 400 (status_code 22), whatever total_pages says.
MAX_PAGE = 500
TMDB_NOT_FOUND = 34  # TMDB's status_code for "The resource you requested could not be found."

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


def is_not_found_body(body: Any) -> bool:
    """A body that says "not found" (`success` false, status_code 34). Some proxies and old API answers send it
    with a 200: the response hook raises it as a TMDBHTTPError whose `not_found` is true, like a 404's."""
    return isinstance(body, dict) and body.get("success") is False and body.get("status_code") == TMDB_NOT_FOUND


class TMDBError(RuntimeError):
    """An error talking to TMDB; its message never contains a credential."""


class TMDBAuthError(TMDBError):
    """TMDB rejected (or was not given) credentials."""


class TMDBHTTPError(requests.HTTPError, TMDBError):
    """TMDB answered with an error status. `status_code` and `tmdb_status_code` come from the answer."""

    def __init__(self, message: str, response: requests.Response) -> None:
        super().__init__(message, response=response)
        self.status_code = response.status_code
        body = _json_or_none(response)
        self.tmdb_status_code = body.get("status_code") if isinstance(body, dict) else None
        self.tmdb_status_message = body.get("status_message") if isinstance(body, dict) else None
        # "not found": a 404, or a 200 that says so in its body (some proxies and old API answers)
        self.not_found = response.status_code == 404 or is_not_found_body(body)


class TMDBMalformedBodyError(requests.HTTPError, TMDBError):
    """TMDB answered 2xx with a body that is not JSON (truncated, garbled). Retried, then fatal."""


@dataclass
class RequestStats:
    """Thread-safe counters of what the client sent and got back, for the run log."""

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    errors: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, status: int | None) -> None:
        """Count one attempt; `None` means no answer (timeout, dropped connection)."""
        with self._lock:
            self.requests += 1
            if status is None:
                self.errors += 1
                self.retries += 1
                return
            self.by_status[status] += 1
            if status == 429:
                self.rate_limited += 1
            if status in RETRY_STATUS_CODES:
                self.retries += 1

    def record_retry(self) -> None:
        with self._lock:
            self.retries += 1

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "retries": self.retries,
                "rate_limited": self.rate_limited,
                "connection_errors": self.errors,
                "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
            }


class TokenBucket:
    """Blocks callers so that, across threads, requests go out at `rate` a second, and never more than `rate` in
    any one-second window (TMDB counts its limit per second, ~40-50).

    Tokens accrue at `rate`, from one at the start. The bucket holds up to `burst` (default 2): a thread woken late
    (a busy machine, a thread pool's turn) takes its token at once and the next one keeps to the schedule. With room
    for one token each late wake-up was lost for good (0.94 of the rate while requests were waiting, measured with
    `make bench-ingest` on busy cores). The one-second window bounds what that slack may send after a pause.
    """

    WINDOW_SECONDS = 1.0
    # a request reaches the server a few milliseconds after it leaves, not always the same few: the window kept
    # here is a little longer than the server's, or a late request and a prompt one land in the same server window
    WINDOW_MARGIN = 0.03

    def __init__(self, rate: float, burst: float = 2.0) -> None:
        self.rate = rate
        self.capacity = max(burst, 1.0)
        self.per_window = max(int(rate * self.WINDOW_SECONDS), 1)
        self._tokens = 1.0
        self._updated = time.monotonic()
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        if self.rate <= 0:
            return
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                while self._sent and self._sent[0] <= now - self.WINDOW_SECONDS - self.WINDOW_MARGIN:
                    self._sent.popleft()
                window_full = len(self._sent) >= self.per_window
                if self._tokens >= 1.0 and not window_full:
                    self._tokens -= 1.0
                    self._sent.append(now)
                    return
                wait = max(
                    (1.0 - self._tokens) / self.rate,
                    self._sent[0] + self.WINDOW_SECONDS + self.WINDOW_MARGIN - now if window_full else 0.0,
                )
            time.sleep(wait)


# A credential where one is carried: `api_key=...` / `access_token=...` in a query string, a form or a dict/JSON
# repr (`'api_key': '...'`), whatever its value; and the token after `Bearer` (an Authorization header).
_CREDENTIAL_FIELD = re.compile(
    r"""(?P<name>\b(?:api_key|access_token)\b['"]?\s*[=:]\s*['"]?)(?P<value>[^&\s'"#),;]+)""", re.IGNORECASE
)
_BEARER = re.compile(r"(?P<name>\bBearer\s+)(?P<value>[^\s'\",;)]+)", re.IGNORECASE)
# A configured secret at least this long is also removed wherever its text appears: real TMDB keys (32 characters)
# and tokens (a JWT) never occur in prose by chance. A shorter one is only removed where a credential is carried,
# so a one-character key cannot turn "Max retries exceeded" into "Ma*** retries e***ceeded".
MIN_SECRET_LENGTH = 16
REDACTED = "***"


class Redactor:
    """Removes credentials from URLs and free text: every `api_key=`/`access_token=` value and Bearer token,
    whoever's they are, and the configured secrets' own text when they are long enough to be unmistakable."""

    def __init__(self, secrets: list[str]) -> None:
        self._secrets = sorted({s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = _CREDENTIAL_FIELD.sub(lambda match: match["name"] + REDACTED, text)
        return _BEARER.sub(lambda match: match["name"] + REDACTED, text)

    def url(self, url: str) -> str:
        return self(sanitize_url(url))


class TMDBAdapter(HTTPAdapter):
    """Transport adapter: waits for a token before each attempt, counts answers, redacts errors."""

    def __init__(self, bucket: TokenBucket, stats: RequestStats, redactor: Redactor, pool_maxsize: int) -> None:
        super().__init__(pool_maxsize=pool_maxsize, pool_block=True)
        self.bucket = bucket
        self.stats = stats
        self.redactor = redactor

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self.bucket.acquire()
        try:
            response = super().send(request, *args, **kwargs)
        except requests.RequestException as exc:
            self.stats.record(None)
            # Re-raise the same type (so dlt's retry policy still sees a ConnectionError/Timeout), with the
            # credential removed from the message and no chained original that would still carry it.
            raise type(exc)(self.redactor(str(exc))) from None
        self.stats.record(response.status_code)
        return response


class TMDBPaginator(PageNumberPaginator):
    """TMDB's `page`/`total_pages` pagination. TMDB documents `total_pages` on every list, but recorded answers
    of some endpoints and API versions lack it or send null: then the pages run until an empty one."""

    def _handle_missing_total(self, response_json: dict[str, Any]) -> None:
        return None

    def _handle_invalid_total(self, total: Any) -> None:
        return None


@dataclass(frozen=True)
class HttpSettings:
    base_url: str = TMDB_API_BASE_URL
    api_key: str | None = None
    access_token: str | None = None
    rate_limit: float = 40.0
    timeout: float = 20.0
    max_attempts: int = 6
    backoff_factor: float = 0.5
    max_retry_delay: float = 30.0
    concurrency: int = 8


@with_config(sections=("sources", "tmdb"))
def configured_settings(
    api_base_url: str = TMDB_API_BASE_URL,
    api_key: TSecretStrValue | None = None,
    access_token: TSecretStrValue | None = None,
    rate_limit: float = 40.0,
    request_timeout: float = 20.0,
    request_max_attempts: int = 6,
    request_backoff_factor: float = 0.5,
    request_max_retry_delay: float = 30.0,
    concurrency: int = 8,
) -> HttpSettings:
    """The client's settings as dlt resolves them: the arguments given, else dlt's providers (`SOURCES__TMDB__...`
    variables, `.dlt/secrets.toml`, `.dlt/config.toml` under `[sources.tmdb]`), else these defaults."""
    return HttpSettings(
        base_url=api_base_url,
        api_key=api_key,
        access_token=access_token,
        rate_limit=float(rate_limit),
        timeout=float(request_timeout),
        max_attempts=int(request_max_attempts),
        backoff_factor=float(request_backoff_factor),
        max_retry_delay=float(request_max_retry_delay),
        concurrency=int(concurrency),
    )


def _json_or_none(response: requests.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return None


class TMDBClient:
    """A small typed facade over dlt's RESTClient for TMDB's conventions."""

    def __init__(self, settings: HttpSettings) -> None:
        if not (settings.api_key or settings.access_token):
            raise TMDBAuthError(
                "No TMDB credentials: set TMDB_API_KEY (v3 API key) or TMDB_ACCESS_TOKEN (v4 read access token)."
            )
        self.settings = settings
        self.stats = RequestStats()
        self.redactor = Redactor([settings.api_key or "", settings.access_token or ""])
        # dlt's retrying client: it makes one session per thread (a requests.Session is not thread-safe); every
        # session gets our transport adapter, shared, so the token bucket and the counters span all threads.
        self.http = Client(
            request_timeout=settings.timeout,
            raise_for_status=False,
            status_codes=RETRY_STATUS_CODES,
            request_max_attempts=settings.max_attempts,
            request_backoff_factor=settings.backoff_factor,
            request_max_retry_delay=settings.max_retry_delay,
            respect_retry_after_header=True,
            retry_condition=self._should_retry,
        )
        self._adapter = TMDBAdapter(
            TokenBucket(settings.rate_limit), self.stats, self.redactor, pool_maxsize=settings.concurrency + 2
        )
        # A v4 read access token goes in the Authorization header (never in URLs); a v3 key must be a query
        # parameter, which is why every message below goes through the redactor.
        self._auth = (
            BearerTokenAuth(token=settings.access_token)
            if settings.access_token
            else APIKeyAuth(name="api_key", api_key=settings.api_key or "", location="query")
        )
        self._local = threading.local()
        self._hooks = {"response": [self._check_response]}
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def map_concurrently(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """`fn` over `items` on the client's one pool of `settings.concurrency` threads, answers in the order of
        `items`. Every caller shares the pool (the details and people branches of a run, which dlt runs side by
        side): `concurrency` requests in flight in all, and the pool never drains while any caller waits. The
        first error (in the order of `items`) is raised; the caller's items not started yet are cancelled."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="tmdb-requests")
            futures = [self._pool.submit(fn, item) for item in items]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    def close(self) -> None:
        """Stop the pool's threads (idle once a run is over); a later `map_concurrently` starts a new pool."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    @property
    def rest(self) -> RESTClient:
        """This thread's RESTClient, on this thread's session of dlt's client (a RESTClient holds one session)."""
        rest: RESTClient | None = getattr(self._local, "rest", None)
        if rest is None:
            session = self.http.session
            session.mount("https://", self._adapter)
            session.mount("http://", self._adapter)
            rest = self._local.rest = RESTClient(
                base_url=self.settings.base_url.rstrip("/"),
                auth=self._auth,
                session=session,
                headers={"Accept": "application/json"},
            )
        return rest

    @staticmethod
    def _should_retry(response: requests.Response | None, exception: BaseException | None) -> bool:
        """Added to dlt's defaults (429, 5xx, connection errors, timeouts): retry malformed bodies too."""
        return isinstance(exception, TMDBMalformedBodyError)

    def _check_response(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        """Response hook: raise on TMDB errors and malformed bodies so the retry policy can see them."""
        url = self.redactor.url(response.url)
        if response.status_code >= 400:
            body = _json_or_none(response)
            detail = ""
            if isinstance(body, dict) and "status_message" in body:
                detail = f" (status_code {body.get('status_code')}: {body.get('status_message')})"
            raise TMDBHTTPError(f"TMDB answered HTTP {response.status_code}{detail} for {url}", response)
        if _json_or_none(response) is None:
            self.stats.record_retry()
            raise TMDBMalformedBodyError(
                f"TMDB answered HTTP {response.status_code} with a body that is not valid JSON "
                f"({len(response.content)} bytes) for {url}",
                response=response,
            )
        body = _json_or_none(response)
        if is_not_found_body(body):
            detail = f"status_code {body.get('status_code')}: {body.get('status_message')}"
            raise TMDBHTTPError(f"TMDB answered HTTP {response.status_code} 'not found' ({detail}) for {url}", response)

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET one resource; retried per the policy; raises TMDBHTTPError / TMDBError with redacted URLs."""
        try:
            response = self.rest.get(path, params=params, hooks=self._hooks)
        except (TMDBHTTPError, TMDBMalformedBodyError):
            raise
        except requests.RequestException as exc:
            raise TMDBError(
                f"TMDB did not answer after {self.settings.max_attempts} attempts for "
                f"{self.redactor.url(self.settings.base_url.rstrip('/') + '/' + path.lstrip('/'))}: "
                f"{self.redactor(str(exc))}"
            ) from None
        return response.json()

    def get_json_unless_missing(self, path: str, params: dict[str, Any] | None = None, kept: str = "the list") -> Any:
        """get_json of a reference list; None when TMDB answers 404 or "not found" in a 200 body (an old recording,
        a proxy), with a warning.

        A missing list is a fact about the server, not a reason to fail the day: the caller leaves its resource
        out of the run, so `kept` loaded before stays (a replace would empty it).
        """
        try:
            return self.get_json(path, params)
        except TMDBHTTPError as exc:
            if not exc.not_found:
                raise
            log.warning(
                "TMDB answered not found (HTTP %d) for %s: keeping %s loaded before (if any)",
                exc.status_code,
                path,
                kept,
            )
            return None

    def paginate(
        self, path: str, params: dict[str, Any], first_page: int = 1, max_page: int = MAX_PAGE
    ) -> Iterator[list[Any]]:
        """Yield the `results` of each page of a TMDB list, from `first_page` to total_pages or `max_page`."""
        paginator = TMDBPaginator(
            base_page=1,
            page=first_page,
            page_param="page",
            total_path="total_pages",
            maximum_page=max_page + 1,  # dlt stops before reaching maximum_page
        )
        try:
            yield from self.rest.paginate(
                path, params=params, paginator=paginator, data_selector="results", hooks=self._hooks
            )
        except requests.RequestException as exc:
            if isinstance(exc, (TMDBHTTPError, TMDBMalformedBodyError)):
                raise
            raise TMDBError(f"TMDB did not answer for {path}: {self.redactor(str(exc))}") from None

    def check_credentials(self) -> None:
        """Fail fast, before anything is written, when TMDB rejects the credentials.

        Only a 401 is conclusive here; any other client error (a proxy or recording that does not serve
        /configuration) is left for the run itself to meet.
        """
        try:
            self.get_json("/configuration")
        except TMDBHTTPError as exc:
            if exc.not_found or (400 <= exc.status_code < 500 and exc.status_code not in (401, 429)):
                return
            if exc.status_code == 401:
                variable = "TMDB_ACCESS_TOKEN" if self.settings.access_token else "TMDB_API_KEY"
                raise TMDBAuthError(
                    f"TMDB rejected the credentials (HTTP 401 at {self.redactor.url(exc.response.url)}): "
                    f"set {variable} to a valid "
                    f"{'v4 read access token' if self.settings.access_token else 'v3 API key'}."
                ) from None
            raise
