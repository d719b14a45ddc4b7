"""Report site benchmark: time to build the static site (reports/) from a warehouse.

Run: `python -m bench.reports` (the demo warehouse, warehouse/tmdb.duckdb, after `make demo` and dbt),
`python -m bench.reports --duckdb-path W.duckdb` for any built warehouse, and
`python -m bench.reports --scale-to 1000000` for the 1M-movie benchmark warehouse: the raw tables of a
source warehouse (default the demo's) copied N/1238 times with fresh movie ids (so every raw column and
child table keeps TMDB's real shapes and values), then dbt's models, seeds and snapshots built on it (moods
with the provider off: labelling 1M overviews with an LLM is not what is timed), then the site. It is made
in a temporary folder and deleted afterwards, or kept in --keep DIR (and reused from there).

Prints the time to bundle the charting library (once a process), then per warehouse: movies, the site build
time (best and first of the repeats), queries run, pages waiting for tables, the slowest pages, the site's
size, and any query truncated to the rows a page holds.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.reports import SiteResult, build_site
from pipelines.reports.assets import vega_bundle

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_WAREHOUSE = REPO_ROOT / "warehouse" / "tmdb.duckdb"
ID_OFFSET = 1_000_000  # TMDB ids are below this in the demo catalog: copy k gets ids + k * ID_OFFSET
ROOT_IDS = {
    "movie_details": "id",
    "discover_results": "id",
    "movie_changes": "id",
    "movie_status": "movie_id",
    "movie_tombstones": "movie_id",
}
CHILD_PREFIXES = ("movie_details__", "discover_results__")
DLT_KEYS = ("_dlt_id", "_dlt_parent_id", "_dlt_root_id")


def scale_raw(source: Path, target: Path, movies: int) -> int:
    """Write into ``target`` the raw schema of ``source`` with its per-movie tables copied until at least
    ``movies`` movies; returns the number of copies."""
    with duckdb.connect(str(target)) as connection:
        connection.execute(f"attach '{source}' as source (read_only)")
        source_movies = connection.execute("select count(*) from source.raw.movie_details").fetchone()[0]  # type: ignore[index]
        copies = math.ceil(movies / source_movies)
        connection.execute("create schema raw")
        tables = connection.execute(
            "select table_name from duckdb_tables() where database_name = 'source' and schema_name = 'raw'"
        ).fetchall()
        for (table,) in tables:
            columns = [
                row[0]
                for row in connection.execute(
                    "select column_name from duckdb_columns() where database_name = 'source' and schema_name = 'raw' "
                    "and table_name = ? order by column_index",
                    [table],
                ).fetchall()
            ]
            if table in ROOT_IDS or table.startswith(CHILD_PREFIXES):
                select = ", ".join(_scaled(column, ROOT_IDS.get(table)) for column in columns)
                connection.execute(
                    f'create table raw."{table}" as select {select} '
                    f'from source.raw."{table}", range({copies}) copies(k)'
                )
            else:
                connection.execute(f'create table raw."{table}" as from source.raw."{table}"')
    return copies


def _scaled(column: str, root_id: str | None) -> str:
    quoted = f'"{column}"'
    if column == root_id:
        return f"{quoted} + k * {ID_OFFSET} as {quoted}"
    if column in DLT_KEYS:
        return f"{quoted} || '-' || k as {quoted}"
    return quoted


def build_warehouse(source: Path, folder: Path, movies: int) -> Path:
    from pipelines.transform import dbt_build

    target = folder / "bench_reports.duckdb"
    if target.exists():
        print(f"raw: reusing {target}")
    else:
        started = time.perf_counter()
        copies = scale_raw(source, target, movies)
        print(f"raw: {copies} copies of {source.name}'s raw tables in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    os.environ["DBT_INDIRECT_SELECTION"] = "empty"  # models, seeds, snapshots: not the tests eagerly added
    # The LLM would take hours on 1M overviews and is not what is timed: movies are stored unclassified.
    os.environ.setdefault("TMDB_MOODS_PROVIDER", "off")
    dbt_build(
        target,
        full_refresh=True,
        select="resource_type:model resource_type:seed resource_type:snapshot",
        target_path=folder / "target",
    )
    print(f"dbt: models, seeds and snapshots in {time.perf_counter() - started:.1f}s")
    return target


def time_site(duckdb_path: Path, pages: Path, out: Path, repeat: int) -> None:
    with duckdb.connect(str(duckdb_path), read_only=True) as connection:
        movies = connection.execute("select count(*) from raw.movie_details").fetchone()[0]  # type: ignore[index]
    results: list[SiteResult] = [build_site(duckdb_path, pages, out) for _ in range(repeat)]
    first, best = results[0], min(results, key=lambda result: result.seconds)
    waiting = [page.name for page in best.pages if page.pending_tables]
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    slowest = sorted(best.pages, key=lambda page: page.seconds, reverse=True)[:3]
    print(f"warehouse: {duckdb_path} ({movies:,} movies)")
    print(
        f"site: {best.pages_built} pages, {best.queries_run} queries in {best.seconds:.2f}s "
        f"(best of {repeat}, first {first.seconds:.2f}s); "
        f"{size / 1e6:.1f} MB written"
    )
    print("slowest pages: " + ", ".join(f"{page.name} {page.seconds:.2f}s" for page in slowest))
    if waiting:
        print(f"pages waiting for tables not built yet: {', '.join(waiting)}")
    for warning in best.warnings:
        if "rows" in warning:
            print(f"  {warning}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duckdb-path", type=Path, action="append", help="a built warehouse (repeatable)")
    parser.add_argument("--scale-to", type=int, help="also build the N-movie benchmark warehouse (e.g. 1000000)")
    parser.add_argument("--source", type=Path, default=DEMO_WAREHOUSE, help="raw tables for --scale-to (demo's)")
    parser.add_argument("--pages", type=Path, default=REPO_ROOT / "reports")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the scaled warehouse here and keep it (reused if there)")
    args = parser.parse_args()

    started = time.perf_counter()
    vega_bundle()
    print(f"chart library: bundled from vl-convert-python in {time.perf_counter() - started:.1f}s (once a process)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warehouses = list(args.duckdb_path or ([] if args.scale_to else [DEMO_WAREHOUSE]))
        if args.scale_to:
            work = args.keep or folder
            work.mkdir(parents=True, exist_ok=True)
            warehouses.append(build_warehouse(args.source, work, args.scale_to))
        for index, warehouse in enumerate(warehouses):
            time_site(warehouse, args.pages, folder / f"site{index}", args.repeat)


if __name__ == "__main__":
    main()
