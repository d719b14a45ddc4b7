"""The mood explorer (`explorer.html`): pick a mood, a genre and a decade and see the best movies; type part of
a title and see the movie's moods, why (its genres and keywords) and "more like this".

A static page like the others (works from file://, offline, under the same Content-Security-Policy): the data
is computed at build time and embedded as JSON (`json_script`, so no value can end the element), and
`assets/explorer.js` renders it with DOM text nodes only (no innerHTML), so hostile titles stay text. Compact
for large warehouses: per movie one row of small integers and indexes into shared lists (moods, genres,
keywords), at most KEYWORDS_PER_MOVIE keywords and RECS_PER_MOVIE recommendations; filtering and sorting happen
in the browser (a 100k-movie array filters in milliseconds). Every movie with a page of its own
(reports/movies/[movie_id].md: `movies-<id>.html`) links to it, from the lists and from the movie's panel.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from pipelines.reports.markup import ASSETS, NavLink, json_script, layout

PAGE = "explorer.html"
SCRIPT = "explorer.js"
KEYWORDS_PER_MOVIE = 4
RECS_PER_MOVIE = 3
MOVIE_PAGES = "movies"  # the folder of the movie page template: a movie's page is movies-<id>.html

MOVIES_SQL = """
    select m.movie_id, d.title, d.release_year, d.vote_average, d.vote_count, d.genre_names, d.keyword_names,
        m.primary_mood, m.secondary_mood
    from marts.movie_moods as m
    inner join marts.dim_movie as d on m.movie_id = d.movie_id
    where m.status = 'classified' and not d.is_deleted
    order by d.vote_count desc nulls last, m.movie_id
"""
RECS_SQL = f"""
    select movie_id, list(recommended_movie_id order by recommendation_rank) as recs
    from marts.mood_recommendations
    where recommendation_rank <= {RECS_PER_MOVIE}
    group by movie_id
"""
MOODS_SQL = "select mood from marts.moods"


def movie_page(movie_id: int) -> str:
    return f"{MOVIE_PAGES}-{movie_id}.html"


def explorer_data(con: duckdb.DuckDBPyConnection, page_files: Collection[str] = ()) -> dict[str, Any] | None:
    """The page's data, or None when the warehouse has no moods yet. `page_files`: the site's parameterized pages
    (a movie whose page is among them gets a link to it)."""
    try:
        rows = con.execute(MOVIES_SQL).fetchall()
        recs = dict(con.execute(RECS_SQL).fetchall())
    except duckdb.CatalogException:
        return None
    try:
        moods = [row[0] for row in con.execute(MOODS_SQL).fetchall()]
    except duckdb.CatalogException:
        moods = []
    for row in rows:
        for mood in (row[7], row[8]):
            if mood and mood not in moods:
                moods.append(mood)
    genres = sorted({g for row in rows for g in (row[5] or [])})
    mood_index = {m: i for i, m in enumerate(moods)}
    genre_index = {g: i for i, g in enumerate(genres)}
    keyword_index: dict[str, int] = {}  # keywords repeat across movies: each is written once
    for row in rows:
        for keyword in (row[6] or [])[:KEYWORDS_PER_MOVIE]:
            keyword_index.setdefault(keyword, len(keyword_index))
    movies = [
        [
            int(movie_id),
            title or "",
            int(year) if year is not None else None,
            round(float(vote) * 10) if vote is not None else None,
            int(votes or 0),
            [genre_index[g] for g in (genre_names or [])],
            [keyword_index[k] for k in (keywords or [])[:KEYWORDS_PER_MOVIE]],
            mood_index[primary],
            mood_index[secondary] if secondary else None,
            [int(r) for r in recs.get(movie_id, [])],
            1 if movie_page(movie_id) in page_files else 0,
        ]
        for movie_id, title, year, vote, votes, genre_names, keywords, primary, secondary in rows
    ]
    return {"moods": moods, "genres": genres, "keywords": list(keyword_index), "movies": movies}


def write_explorer(
    out_dir: Path, duckdb_path: Path, nav: list[NavLink] | None = None, page_files: Collection[str] = ()
) -> Path | None:
    """Write explorer.html and its script into `out_dir` (the site folder); None when there are no moods.
    `page_files`: the file names of the site's parameterized pages, to link movies to theirs."""
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        data = explorer_data(con, page_files)
    if data is None:
        return None
    assets = out_dir / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    with resources.as_file(resources.files("pipelines.reports") / "static" / SCRIPT) as source:
        shutil.copyfile(source, assets / SCRIPT)
    body = (
        "<h1>Mood explorer</h1>\n"
        '<section class="explorer" aria-label="Best movies by mood">\n'
        '<label>Mood <select id="x-mood"></select></label>\n'
        '<label>Genre <select id="x-genre"><option value="">any</option></select></label>\n'
        '<label>Decade <select id="x-decade"><option value="">any</option></select></label>\n'
        '<ol id="x-best"></ol>\n</section>\n'
        '<section class="explorer" aria-label="Find a movie">\n'
        '<label>Title <input id="x-title" type="search" placeholder="part of a title" autocomplete="off"></label>\n'
        '<ul id="x-matches"></ul>\n<div id="x-movie"></div>\n</section>\n'
        f"{json_script('explorer-data', data)}\n"
        f'<script src="{ASSETS}/{SCRIPT}"></script>'
    )
    nav = nav or [NavLink("index.html", "Home"), NavLink(PAGE, "Mood explorer", current=True)]
    html = layout("Mood explorer", body, nav, description="Best movies by mood, genre and decade; moods of a movie")
    path = out_dir / PAGE
    path.write_text(html, encoding="utf-8")
    return path
