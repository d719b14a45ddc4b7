"""The `tmdb` dlt source and its HTTP client."""

from pipelines.tmdb.client import HttpSettings, TMDBAuthError, TMDBClient, TMDBError
from pipelines.tmdb.source import tmdb_source

__all__ = ["HttpSettings", "TMDBAuthError", "TMDBClient", "TMDBError", "tmdb_source"]
