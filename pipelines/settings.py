"""Where things live and how the pieces are configured.

Precedence, highest first: command-line flags, the environment variables documented in README
(TMDB_API_KEY, TMDB_ACCESS_TOKEN, TMDB_API_BASE_URL, TMDB_DUCKDB_PATH, TMDB_PIPELINES_DIR), dlt's own
configuration (`.dlt/config.toml`, `.dlt/secrets.toml`, `SOURCES__TMDB__...` variables), the defaults here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt

from pipelines.tmdb.http import TMDB_API_BASE_URL, HttpSettings

REPO_ROOT = Path(__file__).resolve().parent.parent
# One default shared with dbt's profiles.yml (`env_var('TMDB_DUCKDB_PATH', 'warehouse/tmdb.duckdb')`).
DEFAULT_DUCKDB_PATH = "warehouse/tmdb.duckdb"
PIPELINE_NAME = "tmdb"
RUN_LOG_PIPELINE_NAME = "tmdb_run_log"
RAW_DATASET = "raw"


def _config(key: str, default: Any) -> Any:
    """A value from dlt's config providers (`sources.tmdb.<key>`), or the default."""
    value = dlt.config.get(f"sources.tmdb.{key}")
    return default if value is None else type(default)(value) if default is not None else value


def _secret(key: str) -> str | None:
    value = dlt.secrets.get(f"sources.tmdb.{key}")
    return str(value) if value else None


@dataclass(frozen=True)
class Paths:
    duckdb_path: Path
    pipelines_dir: str | None

    @classmethod
    def from_env(cls, duckdb_path: str | None = None) -> Paths:
        return cls(
            duckdb_path=Path(duckdb_path or os.environ.get("TMDB_DUCKDB_PATH") or DEFAULT_DUCKDB_PATH),
            pipelines_dir=os.environ.get("TMDB_PIPELINES_DIR") or None,
        )


def http_settings(**overrides: Any) -> HttpSettings:
    """HTTP settings from the environment and dlt config; `None` overrides are ignored."""
    base = HttpSettings(
        base_url=os.environ.get("TMDB_API_BASE_URL") or _config("api_base_url", TMDB_API_BASE_URL),
        api_key=os.environ.get("TMDB_API_KEY") or _secret("api_key"),
        access_token=os.environ.get("TMDB_ACCESS_TOKEN") or _secret("access_token"),
        rate_limit=_config("rate_limit", 40.0),
        timeout=_config("request_timeout", 20.0),
        max_attempts=_config("request_max_attempts", 6),
        backoff_factor=_config("request_backoff_factor", 0.5),
        max_retry_delay=_config("request_max_retry_delay", 30.0),
        concurrency=_config("concurrency", 8),
    )
    return HttpSettings(**{**base.__dict__, **{k: v for k, v in overrides.items() if v is not None}})


def source_defaults() -> dict[str, Any]:
    """The ingestion defaults a user can change in `.dlt/config.toml` under [sources.tmdb]."""
    return {
        "top_n": _config("top_n", 1000),
        "changes_start_date": _config("changes_start_date", None),
    }
