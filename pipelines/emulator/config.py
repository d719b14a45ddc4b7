"""Emulator settings (the defaults are what ``TMDBEmulator(EmulatorConfig())`` runs with)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from pipelines.emulator.exports import ExportConfig

# Detail fields ``RealismConfig.null_fields`` may blank out: TMDB documents each of them as nullable.
NULLABLE_DETAIL_FIELDS = ("backdrop_path", "belongs_to_collection", "homepage", "imdb_id", "poster_path")


@dataclass
class FaultConfig:
    """Injected failures, all off by default; rates are per /3 request, in [0, 1].

    ``storm_every``/``storm_length``: after every ``storm_every`` requests served normally, the next
    ``storm_length`` requests get 429 (a cycle of ``storm_every + storm_length``).
    ``slow_seconds``: how long a slow answer sleeps before answering (set it past the client's timeout).
    """

    error_rate: float = 0.0
    storm_every: int = 0
    storm_length: int = 0
    slow_rate: float = 0.0
    slow_seconds: float = 15.0
    truncate_rate: float = 0.0
    drop_rate: float = 0.0

    def __post_init__(self) -> None:
        for name in ("error_rate", "slow_rate", "truncate_rate", "drop_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        if self.storm_every < 0 or self.storm_length < 0 or self.slow_seconds < 0:
            raise ValueError("storm_every, storm_length and slow_seconds must be >= 0")


@dataclass
class RealismConfig:
    """How dirty the served data is: the quirks real TMDB shows and the clean 2017 catalog lacks. On by default.

    Every ``*_rate`` is in [0, 1] and is drawn from the seed per movie (or per day, page or change), so the
    same seed always dirties the same movies the same way. Per-movie rates are shares of the catalog:

    - ``language_mismatch_rate``: original_language is not one of the spoken languages (``ja`` with only
      ``en`` spoken). ``odd_language_rate``: ``xx`` (No Language) or ``cn`` (Cantonese) as the original and
      spoken language. ``unknown_language_rate``: an original_language absent from TMDB's own language list.
      ``null_language_rate``: original_language null. These four exclude each other, so they sum to <= 1.
    - ``no_genres_rate``: genres [] (genre_ids [] in listings). ``empty_overview_rate``: overview "" or null.
      ``missing_release_date_rate``: release_date null or "". ``future_release_rate``: released 2030 or later.
      ``zero_runtime_rate``: runtime 0 or null. ``adult_rate``/``video_rate``: adult/video true (adult movies
      leave /discover unless ``include_adult=true``, as on TMDB).
    - ``non_latin_title_rate``: Japanese, Korean, Arabic or Cyrillic title and original_title.
      ``long_overview_rate``: an overview over 1000 characters. ``markup_rate``: HTML tags, entities and
      quotes in the title and overview.
    - ``vote_drop_rate``: share of movies a day whose vote_count drops (removed votes).
    - ``reshuffle_rate``: chance that a page >= 2 of a popularity.desc /discover listing is served as if
      popularity moved since the previous page: 1 or 2 movies swap across the page boundary, so the page
      repeats a movie of the previous one and another movie is never shown.
    - ``unknown_change_rate``/``adult_change_rate``: ids /movie/changes adds per real change, ids the
      catalog does not hold (404 on details), the second kind with ``"adult": true``.
    - ``null_fields``: detail fields null in every movie, so a first load sees columns null everywhere.
    - ``odd_certification_rate``: share of release certifications that TMDB's certification list lacks for the
      country ('Unrated', 'TV-MA', 'M/12'; see ``fan.py``).
    """

    enabled: bool = True
    language_mismatch_rate: float = 0.02
    odd_language_rate: float = 0.01
    unknown_language_rate: float = 0.003
    null_language_rate: float = 0.003
    no_genres_rate: float = 0.02
    empty_overview_rate: float = 0.02
    missing_release_date_rate: float = 0.01
    future_release_rate: float = 0.005
    zero_runtime_rate: float = 0.02
    adult_rate: float = 0.005
    video_rate: float = 0.01
    non_latin_title_rate: float = 0.01
    long_overview_rate: float = 0.01
    markup_rate: float = 0.005
    vote_drop_rate: float = 0.002
    reshuffle_rate: float = 0.3
    unknown_change_rate: float = 0.05
    adult_change_rate: float = 0.02
    odd_certification_rate: float = 0.01
    null_fields: tuple[str, ...] = ("homepage", "imdb_id")

    def __post_init__(self) -> None:
        for name in self.rate_names():
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"realism {name} must be in [0, 1]")
        languages = sum(getattr(self, name) for name in LANGUAGE_RATES)
        if languages > 1.0:
            raise ValueError(f"realism {', '.join(LANGUAGE_RATES)} must sum to <= 1")
        self.null_fields = tuple(self.null_fields)
        unknown = set(self.null_fields) - set(NULLABLE_DETAIL_FIELDS)
        if unknown:
            raise ValueError(f"realism null_fields must be among {', '.join(NULLABLE_DETAIL_FIELDS)}")

    @classmethod
    def rate_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls) if f.name.endswith("_rate"))

    def rate(self, name: str) -> float:
        """A behaviour's effective rate: 0 when realism is disabled."""
        return float(getattr(self, name)) if self.enabled else 0.0


# The emulator's first simulated day (the TMDB 5000 catalog's last): `demo` and `run --source emulator` start there.
START_DATE = date(2017, 1, 20)

LANGUAGE_RATES = ("language_mismatch_rate", "odd_language_rate", "unknown_language_rate", "null_language_rate")


@dataclass
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = 0  # 0 = pick a free port
    seed: int = 42
    start_date: date = START_DATE
    api_key: str = "emulator-key"
    access_token: str = "emulator-token"
    rate_limit: float = 40.0  # requests per second, 0 = no limit
    faults: FaultConfig = field(default_factory=FaultConfig)
    catalog: str = "tmdb5000"  # or "synthetic"
    synthetic_size: int = 100_000
    edit_rate: float = 0.01  # share of movies edited a day
    delete_rate: float = 0.0005  # share of movies deleted a day
    new_release_rate: float = 0.01  # share of the catalog hidden until its appear day (1..60)
    realism: RealismConfig = field(default_factory=RealismConfig)
    exports: ExportConfig = field(default_factory=ExportConfig)  # the daily ID exports (emulator/exports.py)
