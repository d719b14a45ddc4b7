"""Shared fixtures. Emulator fixtures: ``emulator_factory`` and ``emulator``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pipelines.emulator import EmulatorConfig, FaultConfig, RealismConfig, TMDBEmulator

EmulatorFactory = Callable[..., TMDBEmulator]

# The daily run fetches up to `[sources.tmdb] people_per_run` (2000) new people; the tests' warehouses need a few
# dozen a day to exercise the people models, not thousands of requests per ingested day (CI's time budget).
TEST_PEOPLE_PER_RUN = 40
os.environ.setdefault("SOURCES__TMDB__PEOPLE_PER_RUN", str(TEST_PEOPLE_PER_RUN))


@pytest.fixture
def emulator_factory() -> Iterator[EmulatorFactory]:
    """``emulator_factory(**config_overrides)`` starts an emulator, stopped at teardown.

    ``faults`` may be a ``FaultConfig`` or a dict of its fields, ``realism`` a ``RealismConfig`` or a dict.
    """
    started: list[TMDBEmulator] = []

    def start(**overrides: Any) -> TMDBEmulator:
        if isinstance(overrides.get("faults"), dict):
            overrides["faults"] = FaultConfig(**overrides["faults"])
        if isinstance(overrides.get("realism"), dict):
            overrides["realism"] = RealismConfig(**overrides["realism"])
        config = EmulatorConfig(**overrides)
        emulator = TMDBEmulator(config).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture(scope="session")
def dbt_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The warehouse tests/dbt_helpers.py builds in stages (several minutes): built once, shared by the dbt tests
    (test_dbt_build.py, test_fan_models.py)."""
    from tests.dbt_helpers import build_staged_warehouse

    return build_staged_warehouse(tmp_path_factory.mktemp("dbt"))


@pytest.fixture
def emulator(emulator_factory: EmulatorFactory) -> TMDBEmulator:
    """The default emulator (tmdb5000 catalog, seed 42, no faults) without a rate limit."""
    return emulator_factory(rate_limit=0)


# --- Reports (pipelines/reports): a small fixture warehouse, its pages, the built site, headless Chromium. ---

HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">Evil & "Co"'
HOSTILE_OVERVIEW = "<script>window.__pwned = 1</script></script><b>bold?</b>"


def _create_report_warehouse(path: Any) -> Any:
    """A warehouse of 40 movies over 10 days, in the shapes report pages read; one movie is hostile."""
    import duckdb

    connection = duckdb.connect(str(path))
    connection.execute("create schema marts")
    connection.execute(
        """
        create table marts.movies as
        select i as movie_id,
               case when i = 1 then $title else 'Movie ' || i end as title,
               case when i = 1 then $overview else 'Overview of movie ' || i end as overview,
               date '1990-01-15' + to_years(i % 30) + to_months(i % 12) as release_date,
               (i * 1000000)::bigint as budget,
               (i * i * 350000)::bigint as revenue,
               ['Drama', 'Comedy', 'Action', 'Horror'][1 + i % 4] as genre,
               ['en', 'fr', 'ja'][1 + i % 3] as original_language,
               round(5 + (i % 40) / 10, 1) as vote_average,
               i % 5 = 0 as in_collection
        from range(1, 41) t(i)
        """,
        {"title": HOSTILE_TITLE, "overview": HOSTILE_OVERVIEW},
    )
    connection.execute(
        """
        create table marts.daily as
        select m.movie_id, date '2024-01-01' + d::int as day,
               round(m.movie_id + d * (m.movie_id % 7 - 3) + 50, 2) as popularity
        from marts.movies m, range(10) t(d)
        """
    )
    connection.close()
    return path


@pytest.fixture(scope="session")
def report_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Path of the reports' fixture warehouse (marts.movies, marts.daily), created once per session."""
    return _create_report_warehouse(tmp_path_factory.mktemp("report_warehouse") / "reports.duckdb")


REPORT_PAGES: dict[str, str] = {
    "catalog.md": """---
title: Catalog
description: Every component on the fixture warehouse.
sidebar_position: 1
---

We track <Value data={kpis} column=movies /> movies.

```sql kpis
select count(*) as movies, sum(budget) as budget, avg(vote_average) as rating from marts.movies
```

<BigValue data={kpis} value=movies />
<BigValue data={kpis} value=budget fmt=usd1m title="Total budget" />

```sql by_year
select year(release_date) as release_year, count(*) as movies, sum(revenue) as revenue
from marts.movies group by 1 order by 1
```

```sql recent_years
select * from ${by_year} where release_year >= 2000
```

<LineChart data={by_year} x=release_year y=movies title="Movies by year" />
<BarChart data={recent_years} x=release_year y=revenue yFmt=usd0m />

```sql films
select title, overview, genre, budget, revenue, vote_average from marts.movies order by movie_id
```

<ScatterPlot data={films} x=budget y=revenue series=genre tooltipTitle=title />
<Histogram data={films} x=vote_average />

```sql genre_language
select genre, original_language, count(*) as movies from marts.movies group by all order by all
```

<Heatmap data={genre_language} x=original_language y=genre value=movies />

<DataTable data={films} rows=5 search=true>
  <Column id=title />
  <Column id=overview />
  <Column id=budget fmt=usd0 />
</DataTable>
""",
    "trends.md": """---
title: Trends
sidebar_position: 2
---

```sql daily
select d.day, m.title, d.popularity from marts.daily d join marts.movies m using (movie_id)
where d.movie_id <= 3 order by d.day
```

<LineChart data={daily} x=day y=popularity series=title />
<BarChart data={daily} x=title y=popularity swapXY=true />

See also the [catalog](/catalog).
""",
    "pending.md": """---
title: Moods
sidebar_position: 3
---

```sql moods
select mood, count(*) as movies from marts.movie_moods group by 1
```

<BarChart data={moods} x=mood y=movies />

```sql films
select count(*) as movies from marts.movies
```

<BigValue data={films} value=movies />
""",
}


@pytest.fixture(scope="session")
def report_pages(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A folder of pages using every component against ``report_warehouse``, one reading a missing table."""
    folder = tmp_path_factory.mktemp("report_pages")
    for name, text in REPORT_PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def report_site(report_warehouse: Any, report_pages: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The site built from ``report_pages`` on ``report_warehouse``: a ``SiteResult``."""
    from pipelines.reports import build_site

    return build_site(report_warehouse, report_pages, tmp_path_factory.mktemp("report_site") / "site")


CHROMIUM_MISSING = (
    "Chromium is missing: run `sudo apt-get install chromium` (Debian/Ubuntu) or set TMDB_CHROMIUM=/path/to/chrome"
)
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium (Debian's, driven by Playwright) with a fresh profile: a Playwright BrowserContext.

    $TMDB_CHROMIUM names the binary (default: `chromium` on PATH). Fails, never skips, when it is missing, with the
    one line `make browser` prints (`make test` installs it first where it can).
    """
    import os
    import shutil

    executable = os.environ.get("TMDB_CHROMIUM") or os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not executable or not os.access(executable, os.X_OK):
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: pip install -e '.[dev]'", pytrace=False)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium_profile")),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1200, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture
def visit(chromium: Any) -> Iterator[Callable[..., Any]]:
    """Open pages in `chromium` (tests/browser_visit.py's Visit: `visit(path, **options)`), closed after the test."""
    from tests.browser_visit import Visit

    opened: list[Visit] = []

    def open_page(path: Any, **options: Any) -> Visit:
        opened.append(Visit(chromium, path, **options))
        return opened[-1]

    yield open_page
    for page in opened:
        page.page.close()


def _varied_mood(request: dict[str, Any]) -> str:
    import json
    import zlib

    from tests.fake_ollama import last_user_text

    moods = request["format"]["properties"]["primary_mood"]["enum"]
    checksum = zlib.crc32(last_user_text(request).encode())
    primary = moods[checksum % len(moods)]
    return json.dumps({"primary_mood": primary, "secondary_mood": None, "confidence": 0.5 + checksum % 50 / 100})


@pytest.fixture(scope="session")
def report_dbt_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A real warehouse for the real pages of reports/: 5 days from the emulator (top 100, with the dbt tests'
    edit and delete rates, so every raw table exists; the daily ID exports of the 5 days, movies' and people's) and
    simulated users' events, then dbt's models, seeds and snapshots, the moods from a stand-in Ollama. Its path."""
    from datetime import timedelta

    from pipelines.emulator import TMDBEmulator
    from pipelines.tmdb.exports import ExportSettings
    from pipelines.transform import dbt_build
    from tests.dbt_helpers import START, emulator_config
    from tests.fake_ollama import FakeOllama
    from tests.ingest_helpers import ingest_day, make_paths

    root = tmp_path_factory.mktemp("report_dbt_warehouse")
    paths = make_paths(root)
    with TMDBEmulator(emulator_config()) as emulator:
        exports = ExportSettings(base_url=emulator.files_base_url, first_date=START)  # the catalog page's data
        for offset in range(5):
            ingest_day(
                emulator,
                paths,
                START + timedelta(days=offset),
                top_n=100,
                catalog_exports=exports,
                person_exports=exports,  # the person pages' popularity curves
            )
            ingest_day(emulator, paths, START + timedelta(days=offset), top_n=100)
    # the users page's data: simulated users' events of the same days
    from pipelines.events.load import load_events
    from pipelines.events.simulate import SimulationConfig, simulate

    simulate(SimulationConfig(start_date=START, days=5, users=400), str(root / "events"))
    load_events(str(root / "events"), paths)
    # No data tests: dbt's eager indirect selection would add every test of the selected models.
    # Moods from the stand-in Ollama: a mood picked from each overview's checksum, so the pages get several.
    with pytest.MonkeyPatch.context() as patch, FakeOllama(responder=_varied_mood) as ollama:
        patch.setenv("DBT_INDIRECT_SELECTION", "empty")
        patch.setenv("TMDB_MOODS_PROVIDER", "ollama")
        patch.setenv("OLLAMA_HOST", ollama.url)
        dbt_build(
            paths.working_path,
            select="resource_type:model resource_type:seed resource_type:snapshot",
            target_path=root / "target",
        )
    return paths.working_path


# --- Data quality (pipelines/quality): a small, clean warehouse in the shapes the suites read. ---

QUALITY_MOVIES = 30
QUALITY_DAYS = 5
QUALITY_FIRST_DAY = "2024-01-01"
QUALITY_EVENTS = 2000

_QUALITY_WAREHOUSE_SQL = f"""
create schema raw;
create schema staging;
create schema marts;
create table raw.genres as
select 10 + g as id, 'Genre ' || g as name from range(5) t(g);
create table raw.movie_details as
select 100 + i as id, date '{QUALITY_FIRST_DAY}' as snapshot_date, 'Movie ' || i as title,
       'What happens in movie ' || i as overview,
       strftime(date '1990-01-01' + to_months(i * 7), '%Y-%m-%d') as release_date,
       ((10 + i) * 1000000)::bigint as budget, ((10 + i) * (2 + i % 3) * 1000000)::bigint as revenue,
       (90 + i)::bigint as runtime, 10.0 + i as popularity, (100 * i)::bigint as vote_count,
       5 + (i % 40) / 10 as vote_average, 'Released' as status, 'd' || i as _dlt_id, '1700000000.1' as _dlt_load_id
from range(1, {QUALITY_MOVIES + 1}) t(i);
create table raw.movie_details__genres as
select 10 + (id % 5) as id, 'Genre ' || (id % 5) as name, _dlt_id as _dlt_parent_id, 'g' || id as _dlt_id
from raw.movie_details;
create table raw.movie_status as
select m.id as movie_id, date '{QUALITY_FIRST_DAY}' + d::int as snapshot_date, m.popularity + d as popularity,
       m.vote_count + 3 * d as vote_count, m.vote_average, '1700000000.' || d as _dlt_load_id
from raw.movie_details m, range({QUALITY_DAYS}) t(d);
create table raw.discover_results as
select s.movie_id as id, s.snapshot_date, m.title, m.release_date, s.popularity, s.vote_count, s.vote_average
from raw.movie_status s join raw.movie_details m on m.id = s.movie_id;
create table raw.events as
select 'e' || lpad(i::varchar, 5, '0') as event_id,
       case when i % 10 < 6 then 'view' when i % 10 < 8 then 'rate' when i % 10 = 8 then 'like' else 'search' end
       as event_type,
       'u' || floor(sqrt(i + 100))::int as user_id,
       case when i % 10 <> 9 then 101 + i % {QUALITY_MOVIES} end as movie_id,
       case when i % 10 in (6, 7) then 0.5 * (1 + (i // 10) % 10) end as rating,
       '2024-01-01/web-20240101T00.ndjson' as file_name, i + 1 as line_number
from range({QUALITY_EVENTS}) t(i);
create table raw.events_quarantine as
select '2024-01-01/web-20240101T00.ndjson' as file_name, {QUALITY_EVENTS} + n as line_number, 'not JSON' as reason,
       '{{' as line
from range(1, 3) t(n);
create view staging.stg_tmdb__movies as
select id as movie_id, nullif(trim(title), '') as title, nullif(trim(overview), '') as overview,
       try_cast(release_date as date) as release_date, status as release_status,
       nullif(budget, 0) as budget_usd, nullif(revenue, 0) as revenue_usd, nullif(runtime, 0)::int as runtime_minutes,
       popularity, vote_count, vote_average, snapshot_date as details_fetched_on, false as is_deleted
from raw.movie_details;
create view staging.stg_tmdb__movie_status as
select movie_id, snapshot_date, popularity, vote_count, vote_average from raw.movie_status;
create view marts.dim_movie as
select m.movie_id, m.title, m.overview, m.release_date, year(m.release_date)::int as release_year,
       m.runtime_minutes, [g.id] as genre_ids, [g.name] as genre_names, g.id as primary_genre_id,
       m.popularity, m.vote_count, m.vote_average, m.is_deleted,
       date '{QUALITY_FIRST_DAY}' as first_seen_on, m.details_fetched_on as last_seen_on, []::varchar[] as data_issues
from staging.stg_tmdb__movies m
left join raw.movie_details d on d.id = m.movie_id
left join raw.movie_details__genres g on g._dlt_parent_id = d._dlt_id;
create view marts.fct_movie_status_daily as
select * from staging.stg_tmdb__movie_status;
create view marts.fct_movie_financials as
select movie_id, budget_usd, revenue_usd, revenue_usd - budget_usd as profit_usd,
       (revenue_usd - budget_usd) / budget_usd as roi, budget_usd is not null and revenue_usd is not null
       as has_known_financials
from staging.stg_tmdb__movies;
create view marts.popularity_momentum_daily as
select movie_id, snapshot_date, popularity, popularity as popularity_avg_7d, 1 as observed_days_7d,
       null::double as popularity_change_7d_pct, 'Stable' as trend_class
from marts.fct_movie_status_daily;
create view marts.movie_virality_daily as
select movie_id, snapshot_date, vote_count,
       vote_count - lag(vote_count) over (partition by movie_id order by snapshot_date) as vote_velocity,
       10.0 as viral_score, 'Not viral' as viral_category
from marts.fct_movie_status_daily;
"""


def create_quality_warehouse(path: Any) -> Any:
    """A clean warehouse for the quality suites: 30 movies over 5 days in every table the suites read, raw
    tables (with 2,000 user events of a plausible mix, 2 lines quarantined) and staging/marts views on them
    (so a row broken in raw shows in every layer, as after dbt)."""
    import duckdb

    connection = duckdb.connect(str(path))
    connection.execute(_QUALITY_WAREHOUSE_SQL)
    connection.close()
    return path


@pytest.fixture
def quality_warehouse(tmp_path: Any) -> Any:
    """Path of a fresh clean quality warehouse (see `create_quality_warehouse`), one per test."""
    return create_quality_warehouse(tmp_path / "warehouse.duckdb")
