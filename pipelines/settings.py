"""Where things live and how the pieces are configured.

Precedence, highest first: command-line flags, the environment variables documented in README
(TMDB_API_KEY, TMDB_ACCESS_TOKEN, TMDB_API_BASE_URL, TMDB_DUCKDB_PATH, TMDB_WORKING_DUCKDB_PATH,
TMDB_PIPELINES_DIR), dlt's own configuration (`SOURCES__TMDB__...` variables, `.dlt/secrets.toml`,
`.dlt/config.toml`), which dlt injects into the signatures of `tmdb_source` and `configured_settings`, then the
defaults in those signatures.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.tmdb.client import HttpSettings, configured_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
# The published warehouse, the file readers open; one default shared with dbt's profiles.yml.
DEFAULT_DUCKDB_PATH = "warehouse/tmdb.duckdb"
DUCKDB_PATH_ENV = "TMDB_DUCKDB_PATH"
WORKING_DUCKDB_PATH_ENV = "TMDB_WORKING_DUCKDB_PATH"
WORKING_FOLDER = "work"
PIPELINES_FOLDER = "dlt"  # dlt's pipeline state, beside the working copy
PIPELINE_NAME = "tmdb"
RUN_LOG_PIPELINE_NAME = "tmdb_run_log"
RAW_DATASET = "raw"


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
    (`pipelines_dir`) belongs to the working copy: `dlt/` beside it unless given. dlt's own default is one
    folder per machine (`~/.dlt/pipelines`, or /var/dlt/pipelines as root), shared by every clone: a second
    clone's run then resumed the first clone's state, down to its working directory, and failed.
    """

    duckdb_path: Path
    pipelines_dir: str | None
    working_path: Path = None  # type: ignore[assignment]  # derived in __post_init__ when not given

    def __post_init__(self) -> None:
        object.__setattr__(self, "duckdb_path", Path(self.duckdb_path))
        working = working_duckdb_path(self.duckdb_path, str(self.working_path) if self.working_path else None)
        object.__setattr__(self, "working_path", working)
        if self.pipelines_dir is None:
            object.__setattr__(self, "pipelines_dir", str(working.parent / PIPELINES_FOLDER))

    @classmethod
    def from_env(cls, duckdb_path: str | Path | None = None) -> Paths:
        published = Path(duckdb_path or os.environ.get(DUCKDB_PATH_ENV) or DEFAULT_DUCKDB_PATH)
        override = os.environ.get(WORKING_DUCKDB_PATH_ENV) or None
        return cls(
            duckdb_path=published,
            pipelines_dir=os.environ.get("TMDB_PIPELINES_DIR") or None,
            working_path=Path(override) if override else None,  # type: ignore[arg-type]
        )


# The project's own variables, each above the dlt setting it overrides.
HTTP_ENVIRONMENT = {"api_base_url": "TMDB_API_BASE_URL", "api_key": "TMDB_API_KEY", "access_token": "TMDB_ACCESS_TOKEN"}


def http_settings(
    base_url: str | None = None, rate_limit: float | None = None, concurrency: int | None = None, **given: Any
) -> HttpSettings:
    """The TMDB client's settings: the values given here (command-line flags; `None` is not given), else the
    TMDB_* variables, else dlt's configuration (`configured_settings`: `SOURCES__TMDB__...`, `.dlt/`)."""
    explicit = {name: os.environ[variable] for name, variable in HTTP_ENVIRONMENT.items() if os.environ.get(variable)}
    flags = {"api_base_url": base_url, "rate_limit": rate_limit, "concurrency": concurrency, **given}
    explicit.update({name: value for name, value in flags.items() if value is not None})
    return configured_settings(**explicit)
