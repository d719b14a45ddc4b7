"""Where things live and how the pieces are configured.

Precedence, highest first: command-line flags, the environment variables documented in README
(TMDB_API_KEY, TMDB_ACCESS_TOKEN, TMDB_API_BASE_URL, TMDB_DUCKDB_PATH, TMDB_WORKING_DUCKDB_PATH,
TMDB_PIPELINES_DIR), dlt's own
configuration (`.dlt/config.toml`, `.dlt/secrets.toml`, `SOURCES__TMDB__...` variables), the defaults here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt

from pipelines.tmdb.client import TMDB_API_BASE_URL, HttpSettings

REPO_ROOT = Path(__file__).resolve().parent.parent
# The published warehouse, the file readers open; one default shared with dbt's profiles.yml.
DEFAULT_DUCKDB_PATH = "warehouse/tmdb.duckdb"
DUCKDB_PATH_ENV = "TMDB_DUCKDB_PATH"
WORKING_DUCKDB_PATH_ENV = "TMDB_WORKING_DUCKDB_PATH"
WORKING_FOLDER = "work"
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


def working_duckdb_path(published: Path, override: str | None = None) -> Path:
    """The working copy of the warehouse published at `published`: `<folder>/work/<name>`, or `override`
    ($TMDB_WORKING_DUCKDB_PATH). profiles.yml derives the same path in Jinja; keep the two in step.

    The working copy keeps the published file's name because dbt-duckdb names the database after the file's stem
    and writes it into every view (`"tmdb"."raw"."movie_details"`): a copy under another name would open with
    views that no longer bind. An override with another name is refused for that reason.
    """
    working = Path(override) if override else published.parent / WORKING_FOLDER / published.name
    if working.name != published.name:
        raise ValueError(
            f"{WORKING_DUCKDB_PATH_ENV}={working} must keep the published file's name {published.name!r} "
            "(dbt-duckdb names the database after it, and views refer to that name)"
        )
    if working.resolve() == published.resolve():
        raise ValueError(f"the working copy {working} cannot be the published file itself")
    return working


@dataclass(frozen=True)
class Paths:
    """Where the warehouse lives.

    `duckdb_path` is the PUBLISHED copy: what readers, the reports and BI tools open (read-only, replaced
    atomically by `pipelines.publish`). `working_path` is the copy the writers act on (dlt, dbt, the moods, the
    quality audit), derived from `duckdb_path` by `working_duckdb_path` unless given. dlt's pipeline state
    (`pipelines_dir`) belongs to the working copy.
    """

    duckdb_path: Path
    pipelines_dir: str | None
    working_path: Path = None  # type: ignore[assignment]  # derived in __post_init__ when not given

    def __post_init__(self) -> None:
        object.__setattr__(self, "duckdb_path", Path(self.duckdb_path))
        working = working_duckdb_path(self.duckdb_path, str(self.working_path) if self.working_path else None)
        object.__setattr__(self, "working_path", working)

    @classmethod
    def from_env(cls, duckdb_path: str | Path | None = None) -> Paths:
        published = Path(duckdb_path or os.environ.get(DUCKDB_PATH_ENV) or DEFAULT_DUCKDB_PATH)
        override = os.environ.get(WORKING_DUCKDB_PATH_ENV) or None
        return cls(
            duckdb_path=published,
            pipelines_dir=os.environ.get("TMDB_PIPELINES_DIR") or None,
            working_path=Path(override) if override else None,  # type: ignore[arg-type]
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
