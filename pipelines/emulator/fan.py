"""What a movie fan asks of TMDB beyond the details: release dates with certifications per country,
external ids, where to watch (per region), and the reference lists behind them.

Shapes follow TMDB's documentation and the recorded body in tests/fixtures/tmdb_api_examples/
(`movie_details_12313_append_all__c-eg.json`): `release_dates.results[].release_dates[]` with `certification`,
`descriptors`, `iso_639_1`, `note`, `release_date` (an ISO timestamp), `type` 1-6; `watch/providers.results`
keyed by region, each with a `link` and lists `flatrate`, `rent`, `buy`, `free`, `ads`;
`/certification/movie/list` keyed by country; `/watch/providers/movie` with `display_priorities` per region.

Everything is a pure function of (seed, movie id, the movie's details): the same movie answers the same way on
every request. Like real TMDB it is dirty: many certifications are "", some countries have several releases of
one type, a few certifications are not in TMDB's own list for the country, many movies have no providers at all.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from pipelines.emulator.catalog import Details
from pipelines.emulator.randomness import hex_id, rng_for

# TMDB's release types (https://developer.themoviedb.org/reference/movie-release-dates).
PREMIERE, THEATRICAL_LIMITED, THEATRICAL, DIGITAL, PHYSICAL, TV = 1, 2, 3, 4, 5, 6

# /certification/movie/list, for the countries the emulator gives releases in: (certification, meaning), in order.
CERTIFICATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "US": (
        ("NR", "No rating information."),
        ("G", "All ages admitted. There is no content that would be objectionable to most parents."),
        ("PG", "Some material may not be suitable for children under 10."),
        ("PG-13", "Some material may be inappropriate for children under 13."),
        ("R", "Under 17 requires accompanying parent or adult guardian 21 or older."),
        ("NC-17", "These films contain excessive graphic violence, intense or explicit sex, depraved content."),
    ),
    "GB": (
        ("U", "All ages admitted, there is nothing unsuitable for children."),
        ("PG", "All ages admitted, but certain scenes may be unsuitable for young children."),
        ("12A", "Films under this category are considered to be unsuitable for very young people."),
        ("12", "Home media only since 2002."),
        ("15", "Only those over 15 years are admitted."),
        ("18", "Only adults are admitted."),
        ("R18", "Adults only; can only be shown at licensed cinemas or sold in licensed shops."),
    ),
    "DE": (
        ("0", "No age restriction."),
        ("6", "No children younger than 6 years admitted."),
        ("12", "Children 12 or older admitted, children between 6 and 11 only with an adult."),
        ("16", "Children 16 or older admitted, nobody under this age admitted."),
        ("18", "No youth admitted, only adults."),
    ),
    "FR": (
        ("U", "Tous publics."),
        ("10", "Unsuitable for children younger than 10."),
        ("12", "Unsuitable for children younger than 12 or forbidden in cinemas for under 12."),
        ("16", "Unsuitable for children younger than 16 or forbidden in cinemas for under 16."),
        ("18", "Unsuitable for children younger than 18 or forbidden in cinemas for under 18."),
    ),
    "BR": (
        ("L", "General audiences."),
        ("10", "Not recommended for minors under ten."),
        ("12", "Not recommended for minors under twelve."),
        ("14", "Not recommended for minors under fourteen."),
        ("16", "Not recommended for minors under sixteen."),
        ("18", "Not recommended for minors under eighteen."),
    ),
    "JP": (
        ("G", "General, suitable for all ages."),
        ("PG12", "Parental guidance requested for young people under 12 years."),
        ("R15+", "No one under 15 admitted."),
        ("R18+", "No one under 18 admitted."),
    ),
}
# The certification of each of five age levels (0 all ages .. 4 adults only), per country.
_LEVELS: dict[str, tuple[str, str, str, str, str]] = {
    "US": ("G", "PG", "PG-13", "R", "NC-17"),
    "GB": ("U", "PG", "12A", "15", "18"),
    "DE": ("0", "6", "12", "16", "18"),
    "FR": ("U", "U", "12", "16", "18"),
    "BR": ("L", "10", "12", "16", "18"),
    "JP": ("G", "G", "PG12", "R15+", "R18+"),
}
# Certifications seen on real TMDB that its own list for the country lacks.
_ODD_CERTIFICATIONS = ("Unrated", "TV-MA", "PG-13 ", "M/12", "-")
_NOTES = ("Premiere", "Film Festival", "Re-release", "IMAX", "Limited", "Netflix")
RELEASE_COUNTRIES = tuple(CERTIFICATIONS)

# /watch/providers/movie: (provider_id, name, logo_path) with TMDB's real ids and logos.
PROVIDERS: tuple[tuple[int, str, str], ...] = (
    (8, "Netflix", "/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg"),
    (9, "Amazon Prime Video", "/emthp39XA2YScoYL1p0sdbAH2WA.jpg"),
    (337, "Disney Plus", "/97yvRBw1GzX7fXprcF80er19ot.jpg"),
    (15, "Hulu", "/bxBlRPEPpMVDc4jMhSrTf2339DW.jpg"),
    (1899, "Max", "/6Q3ZYUNA9Hsgj6iWnVsw2gR5V6z.jpg"),
    (2, "Apple TV", "/9ghgSC0MA082EL6HLCW3GalykFD.jpg"),
    (3, "Google Play Movies", "/8z7rC8uIDaTM91X0ZfkRf04ydj2.jpg"),
    (10, "Amazon Video", "/seGSXajazLMCKGB5hnRCidtjay1.jpg"),
    (35, "Rakuten TV", "/bZvc9dXrXNly7cA0V4D9pR8yJwm.jpg"),
    (538, "Plex", "/vLZKlXUNDcZR7ilvfY9Wr9k80FZ.jpg"),
    (73, "Tubi TV", "/w2TDH9TRI7pltf5LjN3vXzs7QbN.jpg"),
    (300, "Pluto TV", "/dB8G41Q6tSL5NBisrIeqByfepBc.jpg"),
)
_STREAMERS = (8, 9, 337, 15, 1899)
_STORES = (2, 3, 10, 35)
_FREE = (538, 73, 300)
# Regions each provider serves (TMDB lists a provider per region it is available in).
_PROVIDER_REGIONS: dict[int, tuple[str, ...]] = {
    8: ("US", "GB", "DE", "FR", "BR", "JP"),
    9: ("US", "GB", "DE", "FR", "BR", "JP"),
    337: ("US", "GB", "DE", "FR", "BR", "JP"),
    15: ("US", "JP"),
    1899: ("US", "BR"),
    2: ("US", "GB", "DE", "FR", "BR", "JP"),
    3: ("US", "GB", "DE", "FR", "BR", "JP"),
    10: ("US", "GB", "DE", "JP"),
    35: ("GB", "DE", "FR"),
    538: ("US", "GB", "DE", "FR"),
    73: ("US", "GB"),
    300: ("US", "GB", "DE", "FR", "BR"),
}
WATCH_REGIONS = ("US", "GB", "DE", "FR", "BR", "JP")
MONETIZATION_TYPES = ("flatrate", "rent", "buy", "free", "ads")


def _age_level(details: Details, rng: Any) -> int:
    genres = {g.get("id") for g in details.get("genres") or []}
    if details.get("adult"):
        return 4
    if genres & {16, 10751}:
        return rng.choice((0, 0, 1))
    if genres & {27}:
        return rng.choice((3, 3, 4))
    if genres & {53, 80, 10752}:
        return rng.choice((2, 3, 3))
    return rng.choice((1, 2, 2, 3))


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00.000Z"


def release_dates(seed: int, details: Details, odd_rate: float = 0.0) -> list[Details]:
    """``release_dates.results`` of a movie: its origin country and up to four others, each with one or more
    releases (premiere, theatrical, digital, physical), certifications on TMDB's scale of the country.

    A movie without a release date has none ([]), as on TMDB for many unreleased movies. `odd_rate` is the share
    of ratings TMDB's own list lacks for the country (the realism profile's ``odd_certification_rate``).
    """
    if not details.get("release_date"):
        return []
    rng = rng_for(seed, "releases", details["id"])
    first = date.fromisoformat(details["release_date"])
    level = _age_level(details, rng)
    origin = (details.get("origin_country") or ["US"])[0] or "US"
    others = [c for c in RELEASE_COUNTRIES if c != origin]
    countries = [origin, *rng.sample(others, rng.randint(0, 4))]
    results = []
    for position, country in enumerate(countries):
        theatrical = first + timedelta(days=0 if position == 0 else rng.randint(0, 120))
        entries: list[Details] = []
        if position == 0 and rng.random() < 0.3:
            entries.append(_release(rng, theatrical - timedelta(days=rng.randint(7, 120)), PREMIERE, "", country))
        entries.append(_release(rng, theatrical, THEATRICAL, _certification(rng, country, level, odd_rate), country))
        if rng.random() < 0.5:
            digital = theatrical + timedelta(days=rng.randint(45, 200))
            entries.append(_release(rng, digital, DIGITAL, _certification(rng, country, level, odd_rate), country))
        if rng.random() < 0.2:
            physical = theatrical + timedelta(days=rng.randint(90, 300))
            entries.append(_release(rng, physical, PHYSICAL, "", country))
        results.append({"iso_3166_1": country, "release_dates": entries})
    return results


def _certification(rng: Any, country: str, level: int, odd_rate: float) -> str:
    draw, odd, odd_pick = rng.random(), rng.random(), rng.choice(_ODD_CERTIFICATIONS)  # fixed draws per call
    if draw < 0.3 or country not in _LEVELS:
        return ""  # TMDB's most common certification; the emulator knows the scales of a few countries only
    if odd < odd_rate:
        return odd_pick
    return _LEVELS[country][level]


def _release(rng: Any, day: date, kind: int, certification: str, country: str) -> Details:
    note = rng.choice(_NOTES) if rng.random() < 0.15 else ""
    return {
        "certification": certification,
        "descriptors": [],
        "iso_639_1": "" if rng.random() < 0.9 else ("en" if country in ("US", "GB") else "xx"),
        "note": note,
        "release_date": _timestamp(day),
        "type": kind,
    }


def certification_list() -> dict[str, Any]:
    """``GET /3/certification/movie/list``."""
    return {
        "certifications": {
            country: [{"certification": c, "meaning": m, "order": i} for i, (c, m) in enumerate(entries)]
            for country, entries in CERTIFICATIONS.items()
        }
    }


def external_ids(seed: int, details: Details) -> Details:
    """``external_ids`` of a movie as appended to its details (without the `id` that `/movie/{id}/external_ids`
    adds): the details' imdb_id, and ids on other sites for some movies (null or empty for the rest)."""
    rng = rng_for(seed, "external_ids", details["id"])
    slug = re.sub(r"[^a-z0-9]+", "", (details.get("original_title") or "").lower())[:20] or None
    return {
        "imdb_id": details.get("imdb_id"),
        "wikidata_id": f"Q{rng.randint(1000, 99_999_999)}" if rng.random() < 0.8 else None,
        "facebook_id": (slug if rng.random() < 0.5 else "") if slug else None,
        "instagram_id": slug if slug and rng.random() < 0.3 else None,
        "twitter_id": (slug if rng.random() < 0.3 else "") if slug else None,
    }


def _display_priority(provider_id: int, region: str) -> int:
    return int(hex_id("priority", provider_id, region)[:4], 16) % 40 + 1


def _offer(provider_id: int, region: str) -> Details:
    name, logo = next((n, logo) for i, n, logo in PROVIDERS if i == provider_id)
    return {
        "logo_path": logo,
        "provider_id": provider_id,
        "provider_name": name,
        "display_priority": _display_priority(provider_id, region),
    }


def watch_providers(seed: int, details: Details) -> Details:
    """``watch/providers`` of a movie: results keyed by region, each with TMDB's `link` (JustWatch's data)
    and the offers by monetization type; about a third of movies (and every unreleased one) have none."""
    rng = rng_for(seed, "watch", details["id"])
    results: dict[str, Any] = {}
    if not details.get("release_date") or rng.random() < 0.3:
        return {"results": results}
    slug = re.sub(r"[^a-z0-9]+", "-", (details.get("title") or "").lower()).strip("-")
    for region in WATCH_REGIONS:
        if rng.random() < 0.35:
            continue
        available = [p for p, regions in _PROVIDER_REGIONS.items() if region in regions]
        offers: dict[str, list[Details]] = {}
        pools = {
            "flatrate": [p for p in _STREAMERS if p in available],
            "rent": [p for p in _STORES if p in available],
            "buy": [p for p in _STORES if p in available],
            "free": [p for p in _FREE if p in available],
            "ads": [p for p in _FREE if p in available],
        }
        limits = {"flatrate": 2, "rent": 4, "buy": 4, "free": 1, "ads": 1}
        for kind in MONETIZATION_TYPES:
            pool = pools[kind]
            count = min(len(pool), rng.randint(0, limits[kind]))
            if count:
                picked = sorted(rng.sample(pool, count), key=lambda p: _display_priority(p, region))
                offers[kind] = [_offer(p, region) for p in picked]
        if offers:
            link = f"https://www.themoviedb.org/movie/{details['id']}-{slug}/watch?locale={region}"
            results[region] = {"link": link, **offers}
    return {"results": results}


def provider_list(region: str | None) -> dict[str, Any]:
    """``GET /3/watch/providers/movie`` (optionally ``watch_region``): every provider with its display
    priority per region; filtered to the providers of one region when asked."""
    results = []
    for provider_id, name, logo in PROVIDERS:
        regions = _PROVIDER_REGIONS[provider_id]
        if region is not None and region not in regions:
            continue
        priorities = {r: _display_priority(provider_id, r) for r in regions}
        results.append(
            {
                "display_priorities": priorities,
                "display_priority": priorities[region] if region else min(priorities.values()),
                "logo_path": logo,
                "provider_name": name,
                "provider_id": provider_id,
            }
        )
    return {"results": results}
