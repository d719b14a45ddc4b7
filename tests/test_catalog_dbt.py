"""The whole-catalog models on the emulator's daily ID exports: `dbt build` after staged ingestion runs (a gap day
filled by a later run, flickering ids), incremental == full refresh, and the catalog's daily changes equal to
what the files say."""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import requests

from pipelines.emulator import EmulatorConfig, TMDBEmulator
from pipelines.emulator.exports import ExportConfig
from pipelines.ingest import IngestOptions, run_ingest
from pipelines.settings import Paths
from pipelines.tmdb.exports import ExportSettings
from pipelines.transform import dbt_build
from tests.dbt_helpers import REALISM_WITHOUT_WARNINGS, table_difference
from tests.ingest_helpers import fast_http

START = date(2017, 1, 20)
GAP = START + timedelta(days=3)
STAGES = (4, 6, 9)  # ingestion days (offsets), each followed by a build; the gap is filled by the second run
CATALOG_MODELS = (
    "fct_movie_popularity_daily",
    "catalog_breakouts",
    "catalog_changes_daily",
    "fct_person_popularity_daily",  # the person export, loaded and modelled the same way
)
# low thresholds, so that the emulator's small catalog has breakouts to check
DBT_VARS = {"moods_provider": "off", "breakout_min_history_days": 3, "breakout_min_robust_z": 2}


@dataclass
class CatalogWarehouse:
    paths: Paths
    full: Path
    files: dict[date, set[int]]
    person_files: dict[date, dict[int, float]]  # the person export of the first and last days: id -> popularity

    def rows(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.paths.working_path), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> CatalogWarehouse:
    root = tmp_path_factory.mktemp("catalog_dbt")
    (root / "inc").mkdir()
    (root / "full").mkdir()
    paths = Paths(duckdb_path=root / "inc" / "warehouse.duckdb", pipelines_dir=str(root / "pipelines"))
    config = EmulatorConfig(
        rate_limit=0,
        start_date=START,
        delete_rate=0.005,
        exports=ExportConfig(missing_days=(GAP,), flicker_rate=0.01),
        realism=REALISM_WITHOUT_WARNINGS,
    )
    files: dict[date, set[int]] = {}
    with TMDBEmulator(config) as emulator:
        for n, offset in enumerate(STAGES):
            day = START + timedelta(days=offset)
            emulator.set_date(day)
            if n == 1:
                emulator.exports.config.missing_days = ()
            settings = ExportSettings(base_url=emulator.files_base_url, first_date=START, backoff_seconds=0.01)
            run_ingest(
                IngestOptions(
                    snapshot_date=day,
                    top_n=100,
                    changes_start_date=day,
                    catalog_exports=settings,
                    person_exports=settings,
                ),
                fast_http(emulator),
                paths,
                progress=False,
            )
            build = dbt_build(paths.working_path, vars=DBT_VARS, target_path=root / "target")
            assert build.failures == 0 and build.warnings == 0
        for offset in range(STAGES[-1] + 1):
            day = START + timedelta(days=offset)
            body = requests.get(f"{emulator.files_base_url}/movie_ids_{day:%m_%d_%Y}.json.gz", timeout=30).content
            files[day] = {json.loads(line)["id"] for line in gzip.decompress(body).splitlines() if line.strip()}
        person_files = {}
        for day in (START, START + timedelta(days=STAGES[-1])):
            body = requests.get(f"{emulator.files_base_url}/person_ids_{day:%m_%d_%Y}.json.gz", timeout=30).content
            lines = [json.loads(line) for line in gzip.decompress(body).splitlines() if line.strip()]
            person_files[day] = {line["id"]: line["popularity"] for line in lines}
    full = root / "full" / "warehouse.duckdb"
    shutil.copyfile(paths.working_path, full)
    dbt_build(full, full_refresh=True, select=" ".join(CATALOG_MODELS), vars=DBT_VARS, target_path=root / "target")
    return CatalogWarehouse(paths, full, files, person_files)


@pytest.mark.parametrize("model", CATALOG_MODELS)
def test_incremental_equals_full_refresh(warehouse: CatalogWarehouse, model: str) -> None:
    assert table_difference(warehouse.paths.working_path, warehouse.full, f"marts.{model}") == (0, 0)


def test_every_movie_of_every_file_is_in_the_fact(warehouse: CatalogWarehouse) -> None:
    counts = dict(warehouse.rows("select export_date, count(*) from marts.fct_movie_popularity_daily group by 1"))
    assert counts == {day: len(ids) for day, ids in warehouse.files.items()}
    ranks = warehouse.rows(
        "select count(*) from marts.fct_movie_popularity_daily where catalog_rank = 1 and popularity_percentile = 1"
    )
    assert ranks[0][0] >= len(warehouse.files)


def test_catalog_changes_agree_with_the_files(warehouse: CatalogWarehouse) -> None:
    days = sorted(warehouse.files)
    rows = {
        r[0]: r[1:]
        for r in warehouse.rows(
            "select export_date, catalog_size, added, restored, deleted from marts.catalog_changes_daily"
        )
    }
    seen: set[int] = set(warehouse.files[days[0]])
    assert rows[days[0]] == (len(warehouse.files[days[0]]), 0, 0, 0)
    for previous, day in zip(days, days[1:], strict=False):
        now, before = warehouse.files[day], warehouse.files[previous]
        appeared = now - before
        assert rows[day] == (len(now), len(appeared - seen), len(appeared & seen), len(before - now)), day
        seen |= now


def test_breakouts_are_untracked_jumps(warehouse: CatalogWarehouse) -> None:
    breakouts = warehouse.rows("select movie_id, export_date, robust_z from marts.catalog_breakouts")
    assert breakouts, "the low test thresholds should find some"
    tracked = set(warehouse.rows("select movie_id, snapshot_date from marts.fct_movie_status_daily"))
    assert not {(m, d) for m, d, _ in breakouts} & tracked


def test_every_person_of_the_person_export_is_in_its_fact(warehouse: CatalogWarehouse) -> None:
    days = dict(warehouse.rows("select export_date, count(*) from marts.fct_person_popularity_daily group by 1"))
    # every day of the exports (the gap day filled late), as for the movies
    assert sorted(days) == sorted(warehouse.files)
    for day, popularity in warehouse.person_files.items():
        rows = warehouse.rows(
            f"select person_id, popularity, popularity_rank from marts.fct_person_popularity_daily "
            f"where export_date = date '{day}'"
        )
        assert {r[0]: r[1] for r in rows} == popularity and days[day] == len(popularity)
        top = max(popularity.values())
        assert {r[0] for r in rows if r[2] == 1} == {i for i, p in popularity.items() if p == top}
