"""Synthetic user events for the users' benchmarks, generated directly in DuckDB SQL (no Python loop, no NDJSON).

`raw.events` gets the loader's columns (pipelines/events/schema.py) with a realistic shape: sessions of a few
events a couple of minutes apart, users drawn from a power law (a few very active users, a long tail), movies from
a power law over the catalog (popular movies get most events), a mix of event types (views most, then ratings on
the half-star grid biased by user and movie, likes, watchlist adds and removes, comments, searches), a few client
clocks ahead, and late events (1%: received up to 3 days after they happened). The events of a session are a
function of the session's number, and sessions are numbered day by day, so one day (and the late events it
receives) can be generated without touching the history.

The catalog side the user models read (marts.dim_movie, bridge_movie_genre, dim_genre, dim_date,
popularity_momentum_latest) is written as plain tables of MOVIES synthetic movies: the TMDB chain is not what
these benchmarks measure, and TMDB 5000 has too few movies for 20k.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

FIRST_DAY = date(2024, 1, 1)
GENRES = (
    "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Family", "Fantasy", "History",
    "Horror", "Music", "Mystery", "Romance", "Science Fiction", "TV Movie", "Thriller", "War", "Western",
)  # fmt: skip
# event type by a uniform draw u in [0, 1): the upper bounds of each type's share
DEFAULT_MIX = (
    ("view", 0.60), ("rate", 0.75), ("like", 0.81), ("dislike", 0.83), ("watchlist_add", 0.89),
    ("watchlist_remove", 0.91), ("comment", 0.94), ("search", 1.0),
)  # fmt: skip
EVENTS_PER_SESSION = 8  # slots per session; about 1 in 8 is dropped, so sessions hold 1-8 events (7 on average)


@dataclass(frozen=True)
class Shape:
    """How much history: EVENTS over DAYS days by USERS users on MOVIES movies, with an event type mix."""

    events: int
    days: int
    users: int
    movies: int
    mix: tuple[tuple[str, float], ...] = DEFAULT_MIX
    user_skew: float = 2.0  # user index = USERS x u^skew: the larger, the more events the most active users make
    movie_skew: float = 3.0  # the same for movies

    @property
    def sessions_per_day(self) -> int:
        return max(1, round(self.events / (self.days * EVENTS_PER_SESSION * 7 / 8)))

    def day_start(self, day: int) -> datetime:
        return datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time())


def _uniform(seed: int, of: str) -> str:
    """A uniform draw in [0, 1) from a hash of `of`: deterministic whatever the thread order."""
    return f"(hash({of}, {seed}) % 1000003) / 1000003.0"


def _event_type(shape: Shape, u: str) -> str:
    cases = " ".join(f"when {u} < {bound} then '{name}'" for name, bound in shape.mix[:-1])
    return f"case {cases} else '{shape.mix[-1][0]}' end"


def create_catalog(con: duckdb.DuckDBPyConnection, shape: Shape) -> None:
    """The catalog tables the user models read, MOVIES movies with ids 1..MOVIES (1 the most popular)."""
    con.execute("create schema if not exists marts")
    con.execute(
        f"""
        create or replace table marts.dim_movie as
        select
            i as movie_id,
            'Movie ' || i as title,
            round(500.0 / (1 + i / 20.0) + 0.6, 3) as popularity,
            round(5 + 3 * {_uniform(11, "i")}, 1) as vote_average,
            cast(10 + 20000 / (1 + i / 10.0) as bigint) as vote_count,
            false as is_deleted
        from range(1, {shape.movies} + 1) r(i)
        """
    )
    con.execute(
        "create or replace table marts.dim_genre as select i + 1 as genre_id, name as genre_name "
        f"from (select unnest({list(GENRES)}) as name, generate_subscripts({list(GENRES)}, 1) as i)"
    )
    # one to three genres a movie
    con.execute(
        f"""
        create or replace table marts.bridge_movie_genre as
        select distinct movie_id, 1 + cast(floor({len(GENRES)} * {_uniform(12, "movie_id, k")}) as bigint) as genre_id
        from marts.dim_movie, range(0, 3) k(k)
        where k = 0 or {_uniform(13, "movie_id, k")} < 0.4
        """
    )
    con.execute(
        f"""
        create or replace table marts.dim_date as
        select cast(d as date) as date_day
        from range(date '{FIRST_DAY - timedelta(days=30)}', date '{FIRST_DAY + timedelta(days=shape.days + 60)}',
                   interval 1 day) r(d)
        """
    )
    con.execute(
        f"""
        create or replace table marts.popularity_momentum_latest as
        select movie_id, round(40 * {_uniform(14, "movie_id")} - 20, 1) as popularity_change_7d_pct,
               'stable' as trend_class
        from marts.dim_movie
        """
    )


def create_events_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    con.execute(
        "create table if not exists raw.events (event_id varchar not null, event_type varchar not null, "
        "user_id varchar not null, session_id varchar, movie_id bigint, rating double, comment_text varchar, "
        "search_query varchar, client_ts timestamptz not null, received_at timestamptz not null, device varchar, "
        "browser varchar, country varchar, app_version varchar, extra_fields varchar, file_name varchar, "
        "line_number bigint, _dlt_load_id varchar not null, _dlt_id varchar not null)"
    )


def insert_events(
    con: duckdb.DuckDBPyConnection,
    shape: Shape,
    first_day: int,
    last_day: int,
    received_from: datetime,
    received_before: datetime,
) -> int:
    """Insert the events of the sessions of days first_day..last_day received in [received_from, received_before):
    the history is every day with the window's end at the end of its last day; a day's increment is that day plus
    the late events of the days before it arriving that day. Returns the rows inserted."""
    per_day = shape.sessions_per_day
    u = lambda seed, of="s": _uniform(seed, of)  # noqa: E731
    load_id = f"{received_before.timestamp():.0f}.000001"
    before = con.execute("select count(*) from raw.events").fetchone()[0]
    con.execute(
        f"""
        insert into raw.events
        with sessions as (
            select
                s,
                -- a power law over users: user 0 is the most active
                cast(floor({shape.users} * pow({u(1)}, {shape.user_skew})) as bigint) as user_index,
                timestamptz '{shape.day_start(0).isoformat()}+00'
                    + to_days(cast(s // {per_day} as integer))
                    + to_seconds(cast(floor(82800 * {u(2)}) as bigint)) as started_at,
                ['mobile', 'mobile', 'desktop', 'tablet', 'tv'][1 + cast(floor(5 * {u(3)}) as integer)] as device,
                ['chrome', 'safari', 'firefox', 'edge', 'app'][1 + cast(floor(5 * {u(4)}) as integer)] as browser,
                ['US', 'GB', 'FR', 'DE', 'BR', 'IN', 'JP', 'ES'][1 + cast(floor(8 * {u(5)}) as integer)] as country,
                ['3.1.0', '3.2.0', '3.2.1'][1 + cast(floor(3 * {u(6)}) as integer)] as app_version,
                {u(7)} < 0.005 as clock_ahead
            from range({first_day * per_day}, {(last_day + 1) * per_day}) r(s)
        ),
        slots as (
            select
                sessions.*,
                s * {EVENTS_PER_SESSION} + j as i,
                j,
                started_at + to_seconds(cast(j * 150 + floor(120 * {u(8, "s, j")}) as bigint)) as event_at
            from sessions, range(0, {EVENTS_PER_SESSION}) slot(j)
            where {u(9, "s, j")} >= 0.125
        ),
        drawn as (
            select
                *,
                {_event_type(shape, u(10, "i"))} as event_type,
                1 + cast(floor({shape.movies} * pow({u(11, "i")}, {shape.movie_skew})) as bigint) as movie_id,
                -- 1% late: received up to 3 days after; else within a minute
                event_at + to_seconds(cast(case when {u(12, "i")} < 0.01 then floor(259000 * {u(13, "i")})
                    else 1 + floor(60 * {u(13, "i")}) end as bigint)) as received_at
            from slots
        )
        select
            'e' || i,
            event_type,
            'u' || user_index,
            'c' || (s // 4),
            case when event_type <> 'search' then movie_id end,
            case when event_type = 'rate' then least(5.0, greatest(0.5, round(2 * (
                3.2 + 0.8 * ({u(14, "user_index")} - 0.5) + 1.2 * ({u(15, "movie_id")} - 0.5)
                + 1.6 * ({u(16, "i")} - 0.5)
                + case when (user_index + movie_id) % 7 = 0 then 0.8 else 0 end)) / 2)) end,
            case when event_type = 'comment' then 'a comment' end,
            case when event_type = 'search' then 'a search' end,
            case when clock_ahead then received_at + interval 3 hour else event_at end,
            received_at,
            device, browser, country, app_version,
            null,
            'producer-' || (s % 8) || '/' || strftime(received_at, '%Y-%m-%d-%H') || '.ndjson',
            i,
            '{load_id}',
            'd' || i
        from drawn
        where received_at >= timestamptz '{received_from.isoformat()}+00'
            and received_at < timestamptz '{received_before.isoformat()}+00'
        """
    )
    return con.execute("select count(*) from raw.events").fetchone()[0] - before


def generate_history(path: Path, shape: Shape) -> tuple[int, float]:
    """The catalog and DAYS days of events (those received by the end of the last day). Rows and seconds."""
    started = time.perf_counter()
    with duckdb.connect(str(path)) as con:
        create_catalog(con, shape)
        create_events_table(con)
        rows = insert_events(con, shape, 0, shape.days - 1, shape.day_start(-30), shape.day_start(shape.days))
        con.execute("checkpoint")
    return rows, time.perf_counter() - started


def generate_day(path: Path, shape: Shape, day: int) -> tuple[int, float]:
    """Day `day`'s events and the late events of the 3 days before it received that day. Rows and seconds."""
    started = time.perf_counter()
    with duckdb.connect(str(path)) as con:
        rows = insert_events(con, shape, max(0, day - 4), day, shape.day_start(day), shape.day_start(day + 1))
        con.execute("checkpoint")
    return rows, time.perf_counter() - started
