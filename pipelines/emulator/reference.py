"""Static TMDB reference data and the exact error bodies TMDB sends.

Error codes and messages follow https://developer.themoviedb.org/docs/errors; the 401 and 404 bodies
are the ones in ``tests/fixtures/tmdb_api_examples``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"

# The 19 standard TMDB movie genres, in the order /3/genre/movie/list returns them (language en-US).
GENRES: tuple[tuple[int, str], ...] = (
    (28, "Action"),
    (12, "Adventure"),
    (16, "Animation"),
    (35, "Comedy"),
    (80, "Crime"),
    (99, "Documentary"),
    (18, "Drama"),
    (10751, "Family"),
    (14, "Fantasy"),
    (36, "History"),
    (27, "Horror"),
    (10402, "Music"),
    (9648, "Mystery"),
    (10749, "Romance"),
    (878, "Science Fiction"),
    (10770, "TV Movie"),
    (53, "Thriller"),
    (10752, "War"),
    (37, "Western"),
)

CONFIGURATION: dict[str, Any] = {
    "images": {
        "base_url": "http://image.tmdb.org/t/p/",
        "secure_base_url": "https://image.tmdb.org/t/p/",
        "backdrop_sizes": ["w300", "w780", "w1280", "original"],
        "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
        "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
        "profile_sizes": ["w45", "w185", "h632", "original"],
        "still_sizes": ["w92", "w185", "w300", "original"],
    },
    "change_keys": [
        "adult",
        "air_date",
        "also_known_as",
        "alternative_titles",
        "biography",
        "birthday",
        "budget",
        "cast",
        "certifications",
        "character_names",
        "created_by",
        "crew",
        "deathday",
        "episode",
        "episode_number",
        "episode_run_time",
        "freebase_id",
        "freebase_mid",
        "general",
        "genres",
        "guest_stars",
        "homepage",
        "images",
        "imdb_id",
        "languages",
        "name",
        "network",
        "origin_country",
        "original_name",
        "original_title",
        "overview",
        "parts",
        "place_of_birth",
        "plot_keywords",
        "production_code",
        "production_companies",
        "production_countries",
        "releases",
        "revenue",
        "runtime",
        "season",
        "season_number",
        "season_regular",
        "spoken_languages",
        "status",
        "tagline",
        "title",
        "translations",
        "tvdb_id",
        "tvrage_id",
        "type",
        "video",
        "videos",
    ],
}


@cache
def languages() -> tuple[dict[str, str], ...]:
    """TMDB's ``/configuration/languages`` answer: {iso_639_1, english_name, name}, in TMDB's order."""
    return tuple(json.loads((DATA_DIR / "tmdb_languages.json").read_text(encoding="utf-8")))


@cache
def countries() -> tuple[dict[str, str], ...]:
    """TMDB's ``/configuration/countries`` answer: {iso_3166_1, english_name, native_name}."""
    return tuple(json.loads((DATA_DIR / "tmdb_countries.json").read_text(encoding="utf-8")))


@cache
def language_codes() -> frozenset[str]:
    return frozenset(entry["iso_639_1"] for entry in languages())


@cache
def language_entry(code: str) -> dict[str, str] | None:
    """The list entry of an ISO 639-1 code, or None when TMDB's list does not have it."""
    return next((entry for entry in languages() if entry["iso_639_1"] == code), None)


def error_body(status_code: int, message: str) -> dict[str, Any]:
    """TMDB's error envelope."""
    return {"success": False, "status_code": status_code, "status_message": message}


INVALID_API_KEY = {
    "status_code": 7,
    "status_message": "Invalid API key: You must be granted a valid key.",
    "success": False,
}
NOT_FOUND = error_body(34, "The resource you requested could not be found.")
INVALID_PAGE = error_body(22, "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.")
INVALID_DATE = error_body(23, "Invalid date: Format needs to be YYYY-MM-DD.")
INVALID_DATE_RANGE = error_body(20, "Invalid date range: Should be a range no longer than 14 days.")
# HTTP status -> TMDB body, for injected server errors.
SERVER_ERRORS: dict[int, dict[str, Any]] = {
    500: error_body(11, "Internal error: Something went wrong, contact TMDB."),
    502: error_body(43, "Couldn't connect to the backend server."),
    503: error_body(9, "Service offline: This service is temporarily offline, try again later."),
}


def rate_limit_body(limit: float) -> dict[str, Any]:
    shown = int(limit) if float(limit).is_integer() else limit
    return error_body(25, f"Your request count (#) is over the allowed limit of ({shown}).")


# English names of ISO 639-1 languages (TMDB's ``english_name`` in ``spoken_languages``).
LANGUAGE_ENGLISH_NAMES: dict[str, str] = {
    "af": "Afrikaans",
    "am": "Amharic",
    "ar": "Arabic",
    "bg": "Bulgarian",
    "bm": "Bambara",
    "bn": "Bengali",
    "bo": "Tibetan",
    "br": "Breton",
    "bs": "Bosnian",
    "ca": "Catalan",
    "ce": "Chechen",
    "cn": "Cantonese",
    "co": "Corsican",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "dz": "Dzongkha",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gd": "Gaelic",
    "gl": "Galician",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "iu": "Inuktitut",
    "ja": "Japanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "km": "Khmer",
    "ko": "Korean",
    "ku": "Kurdish",
    "kw": "Cornish",
    "ky": "Kirghiz",
    "la": "Latin",
    "mi": "Maori",
    "ml": "Malayalam",
    "mn": "Mongolian",
    "nb": "Norwegian Bokmål",
    "ne": "Nepali",
    "nl": "Dutch",
    "no": "Norwegian",
    "nv": "Navajo",
    "ny": "Chichewa; Nyanja",
    "pa": "Punjabi",
    "pl": "Polish",
    "ps": "Pushto",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sa": "Sanskrit",
    "sh": "Serbo-Croatian",
    "si": "Sinhalese",
    "sk": "Slovak",
    "sl": "Slovenian",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "st": "Sotho",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "th": "Thai",
    "tl": "Tagalog",
    "to": "Tonga",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "wo": "Wolof",
    "xh": "Xhosa",
    "xx": "No Language",
    "yi": "Yiddish",
    "zh": "Mandarin",
    "zu": "Zulu",
}
