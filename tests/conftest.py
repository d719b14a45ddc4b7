"""Shared fixtures. Emulator fixtures: ``emulator_factory`` and ``emulator``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pipelines.emulator import EmulatorConfig, FaultConfig, TMDBEmulator

EmulatorFactory = Callable[..., TMDBEmulator]


@pytest.fixture
def emulator_factory() -> Iterator[EmulatorFactory]:
    """``emulator_factory(**config_overrides)`` starts an emulator, stopped at teardown.

    ``faults`` may be a ``FaultConfig`` or a dict of its fields.
    """
    started: list[TMDBEmulator] = []

    def start(**overrides: Any) -> TMDBEmulator:
        faults = overrides.pop("faults", None)
        if isinstance(faults, dict):
            faults = FaultConfig(**faults)
        config = EmulatorConfig(**overrides, **({"faults": faults} if faults is not None else {}))
        emulator = TMDBEmulator(config).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


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

    Fails, never skips, when Chromium is missing: CI installs it (.ci/run).
    """
    import os
    import shutil

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        pytest.fail(
            f"Chromium not found at {executable}: the browser tests need Debian's Chromium. "
            "Install it with `apt-get install -y chromium chromium-driver` (CI does, in .ci/run), "
            "or point CHROMIUM_PATH at a Chromium binary.",
            pytrace=False,
        )
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
