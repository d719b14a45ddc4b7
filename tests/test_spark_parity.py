"""The same dbt project on Apache Spark (README, "When one machine is not enough"): the emulator's days ingested once
into the lake (`ingest --destination lake`, parquet through dlt's filesystem destination), then built by DuckDB (the
lake's tables read into a DuckDB file) and by local Spark (`dbt build --target spark --selector spark`, session
mode, the lake's folders as external tables). Spark builds in two runs (`dbt run`, then `dbt build` with the data
tests), so its incremental models take the insert_overwrite path on the second; every model both engines build
must hold the same rows: the same count and, column by column, the same values (floats within a rounding step).
The same lake holds TMDB's daily ID exports (the whole catalog's models), the daily person export and the people of
tracked movies (`fct_person_popularity_daily`, dim_person's details) and simulated user events (`events-load
--destination lake`), loaded before each Spark run, so their incremental models take the insert_overwrite path
too."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.emulator import TMDBEmulator
from pipelines.events.load import load_events
from pipelines.events.simulate import SimulationConfig, simulate
from pipelines.tmdb.exports import ExportSettings
from pipelines.transform import dbt_build
from tests.dbt_helpers import DBT_VARS, START, emulator_config
from tests.ingest_helpers import ingest_day, make_paths
from tests.spark_helpers import (
    REPO_ROOT,
    column_differences,
    column_values,
    dbt_spark,
    lake_to_duckdb,
    spark_session,
)

TOP_N = 80
# 9 days: the 7-day windows and week-over-week changes of momentum have values on the last days
FIRST_RUN_DAYS = range(0, 7)
SECOND_RUN_DAYS = range(7, 9)
SPARK_FOLDERS = (
    "staging",
    "intermediate",
    "marts/core",
    "marts/momentum",
    "marts/virality",
    "marts/catalog",
    "marts/users",
)
EVENT_USERS = 150
# The person export (the emulator's 42,000 credited people a day, 9 times its movie export) from the last first-run
# day on: the comparison's cost grows with the rows, and one day built by the first Spark run plus the two the second
# adds (insert_overwrite, with the earlier day in the windows) exercise every path
PERSON_EXPORT_FIRST_OFFSET = FIRST_RUN_DAYS[-1]
# low breakout thresholds (as tests/test_catalog_dbt.py), so that the emulator's small catalog has breakouts to compare
PARITY_VARS = {**DBT_VARS, "breakout_min_history_days": 3, "breakout_min_robust_z": 2}


def spark_selector() -> list[dict[str, Any]]:
    import yaml

    return yaml.safe_load((REPO_ROOT / "selectors.yml").read_text())["selectors"][0]["definition"]["union"]


def not_on_local_spark() -> tuple[set[str], tuple[str, ...]]:
    """What selectors.yml leaves out of the spark selector, with its reasons there: model names and folders."""
    excludes = [e for part in spark_selector() if "exclude" in part for e in part["exclude"]]
    names = {e["value"] for e in excludes if e["method"] == "fqn"}
    folders = tuple(e["value"] for e in excludes if e["method"] == "path")
    return names, folders


def selected_by_name() -> set[str]:
    """The models the spark selector names one by one, outside its folders (fct_person_popularity_daily)."""
    return {part["value"] for part in spark_selector() if part.get("method") == "fqn"}


INCREMENTAL_MODELS = {
    "fct_movie_status_daily",
    "popularity_momentum_daily",
    "movie_virality_daily",
    "fct_movie_popularity_daily",
    "catalog_changes_daily",
    "fct_person_popularity_daily",
    "fct_user_event",
}


def expected_spark_models() -> set[str]:
    names, folders = not_on_local_spark()
    paths = {p for folder in SPARK_FOLDERS for p in (REPO_ROOT / "models" / folder).rglob("*.sql")}
    kept = {p.stem for p in paths if not any(p.relative_to(REPO_ROOT).as_posix().startswith(f) for f in folders)}
    return (kept | selected_by_name()) - names


class Builds:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.lake = root / "lake"
        self.spark_dir = root / "spark"
        self.duckdb_path = root / "duckdb" / "tmdb.duckdb"
        self.spark_results: list[list[dict[str, Any]]] = []

    def spark_models(self) -> dict[str, str]:
        """The models of the last Spark build: name -> schema-qualified relation."""
        import json

        manifest = json.loads((self.spark_dir / "target" / "manifest.json").read_text())
        built = {r["unique_id"] for r in self.spark_results[-1] if r["unique_id"].startswith("model.")}
        return {
            manifest["nodes"][u]["name"]: f"{manifest['nodes'][u]['schema']}.{manifest['nodes'][u]['alias']}"
            for u in built
        }


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    b = Builds(tmp_path_factory.mktemp("spark"))
    paths = make_paths(b.root)
    landing = b.root / "events"
    with TMDBEmulator(emulator_config()) as emulator:
        exports = ExportSettings(base_url=emulator.files_base_url, first_date=START, backoff_seconds=0.01)
        person_exports = replace(exports, first_date=START + timedelta(days=PERSON_EXPORT_FIRST_OFFSET))
        # the first Spark run builds the models (`dbt run`), the second the increment with every data test
        for days, command in ((FIRST_RUN_DAYS, "run"), (SECOND_RUN_DAYS, "build")):
            for offset in days:
                ingest_day(
                    emulator,
                    paths,
                    START + timedelta(days=offset),
                    top_n=TOP_N,
                    destination="lake",
                    lake_url=str(b.lake),
                    catalog_exports=exports,
                    person_exports=person_exports,
                )
            # the users' traffic up to the last day ingested (the same seed: earlier files stay as they were)
            simulate(SimulationConfig(start_date=START, days=days.stop, users=EVENT_USERS), str(landing))
            load_events(str(landing), paths, lake=str(b.lake))
            b.spark_results.append(dbt_spark([command, "--selector", "spark"], b.lake, b.spark_dir, vars=PARITY_VARS))
    b.duckdb_path.parent.mkdir()
    lake_to_duckdb(b.lake, b.duckdb_path)
    dbt_build(b.duckdb_path, vars=PARITY_VARS, target_path=b.root / "duckdb-target")
    return b


def test_every_shared_model_and_its_tests_build_on_spark(builds: Builds) -> None:
    for results in builds.spark_results:
        assert {r["status"] for r in results} <= {"success", "pass", "warn"}, [
            (r["unique_id"], r["status"]) for r in results if r["status"] not in ("success", "pass", "warn")
        ]
    # the data tests came along (the second run is a `dbt build`)
    assert sum(r["unique_id"].startswith("test.") for r in builds.spark_results[-1]) > 150
    assert set(builds.spark_models()) == expected_spark_models()
    # the second run took the incremental path (insert_overwrite of the new days' partitions)
    log = (builds.spark_dir / "logs" / "dbt.log").read_text()
    for model in INCREMENTAL_MODELS:
        assert re.search(rf"insert overwrite table \S+\.`?{model}`?\s", log.lower()), model
    for day_column in ("snapshot_date", "export_date", "event_date"):
        assert f"partition ({day_column})" in log.lower(), day_column


def test_duckdb_and_spark_hold_the_same_data(builds: Builds) -> None:
    spark = spark_session(builds.spark_dir)
    problems: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    try:
        with duckdb.connect(str(builds.duckdb_path), read_only=True) as con:
            for name, relation in sorted(builds.spark_models().items()):
                cursor = con.execute(f"select * from {relation}")
                columns = [d[0] for d in cursor.description]
                duck_rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
                spark_rows = [row.asDict() for row in spark.table(relation).collect()]
                counts[name] = len(duck_rows)
                found = column_differences(column_values(duck_rows), column_values(spark_rows))
                if len(duck_rows) != len(spark_rows):
                    found.insert(0, f"{len(duck_rows)} rows on DuckDB, {len(spark_rows)} on Spark")
                if found:
                    problems[name] = found
    finally:
        spark.stop()
    assert not problems, problems
    # not a comparison of empty tables: the facts hold every day, the marts their rows
    assert counts["fct_movie_status_daily"] >= TOP_N * (len(FIRST_RUN_DAYS) + len(SECOND_RUN_DAYS))
    marts = {"dim_movie", "dim_person", "bridge_movie_genre", "catalog_breakouts", "dim_user", "dim_session"}
    marts |= {"fct_rating", "fct_watchlist", "user_taste_profile", "user_recommendations", "user_retention_weekly"}
    marts |= {"stg_tmdb__person_popularity_daily", "stg_tmdb__person_details"}
    marts |= {"dim_certification", "dim_watch_provider", "bridge_movie_watch_provider", "fct_movie_release"}
    marts |= {"stg_tmdb__movie_listings", "stg_tmdb__movie_reviews"}
    assert all(counts[m] > 0 for m in INCREMENTAL_MODELS | marts), {m: counts[m] for m in INCREMENTAL_MODELS | marts}
    with duckdb.connect(str(builds.duckdb_path), read_only=True) as con:
        assert con.execute("select count(popularity_change_7d_pct) from marts.popularity_momentum_daily").fetchone()[0]
        # the lake's people reach dim_person: its details columns are compared filled, not NULL on both engines
        assert con.execute("select count(*) filter (where has_details) from marts.dim_person").fetchone()[0] > 0
        # the person export's days, and 7-day averages over more than one of them
        days, averaged = con.execute(
            "select count(distinct export_date), count(*) filter (where observed_days_7d > 1) "
            "from marts.fct_person_popularity_daily"
        ).fetchone()
        assert days == len(FIRST_RUN_DAYS) + len(SECOND_RUN_DAYS) - PERSON_EXPORT_FIRST_OFFSET and averaged > 0
