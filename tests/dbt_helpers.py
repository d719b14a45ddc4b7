"""Helpers of the dbt tests: build a small warehouse from the emulator in stages, run dbt between them, and
read the results back."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from pipelines.emulator import EmulatorConfig, RealismConfig, TMDBEmulator
from pipelines.settings import Paths
from pipelines.transform import DbtBuildResult, dbt_build
from tests.ingest_helpers import ingest_day

START = date(2017, 1, 20)
TOP_N = 200
# Day offsets ingested, in stages with a `dbt build` after each. Offset 5 is never ingested: a gap day.
STAGES: tuple[tuple[int, ...], ...] = ((0, 1, 2), (3, 4), (6, 7, 8))
SKIPPED_OFFSET = 5
# After the last stage, the last day is ingested again (a re-run replaces that day's rows, with new load ids).
RERUN_OFFSET = 8
INCREMENTAL_MODELS = ("fct_movie_status_daily", "popularity_momentum_daily", "movie_virality_daily")
# No LLM in these tests (the moods model stores new movies `unclassified`; tests/test_moods* cover it), and
# the status history read in chunks of 3 days (several chunks, as a long history makes).
DBT_VARS = {"moods_provider": "off", "status_chunk_days": 3}


@dataclass
class DbtWarehouse:
    """The warehouse built incrementally (`paths`) and the same data rebuilt with --full-refresh (`full`)."""

    paths: Paths
    full: Path
    target: Path
    builds: list[DbtBuildResult] = field(default_factory=list)

    @property
    def skipped_day(self) -> date:
        return START + timedelta(days=SKIPPED_OFFSET)

    @property
    def last_day(self) -> date:
        return START + timedelta(days=RERUN_OFFSET)

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.paths.working_path), read_only=True)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with self.connect() as con:
            return con.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        return self.rows(sql, params)[0][0]


# Ratings TMDB's list lacks are a dbt warning (dim_certification): builds that expect no warning turn them off.
REALISM_WITHOUT_WARNINGS = RealismConfig(odd_certification_rate=0.0)


def emulator_config() -> EmulatorConfig:
    # More edits and deletions than the default, so a few days surely edit and delete tracked movies.
    return EmulatorConfig(
        rate_limit=0, start_date=START, edit_rate=0.05, delete_rate=0.005, realism=REALISM_WITHOUT_WARNINGS
    )


def build_staged_warehouse(root: Path) -> DbtWarehouse:
    """Ingest the stages with a full `dbt build` (data and unit tests included) after each, re-run the last day,
    build again, then copy the file and rebuild the incremental models there with --full-refresh."""
    incremental_dir, full_dir = root / "incremental", root / "full"
    incremental_dir.mkdir(parents=True)
    full_dir.mkdir()
    # the same file name in both folders: dbt-duckdb qualifies relations with the file's stem
    paths = Paths(duckdb_path=incremental_dir / "warehouse.duckdb", pipelines_dir=str(root / "pipelines"))
    warehouse = DbtWarehouse(paths=paths, full=full_dir / "warehouse.duckdb", target=root / "target")
    with TMDBEmulator(emulator_config()) as emulator:
        for offsets in STAGES:
            for offset in offsets:
                ingest_day(emulator, paths, START + timedelta(days=offset), top_n=TOP_N)
            warehouse.builds.append(dbt_build(paths.working_path, vars=DBT_VARS, target_path=warehouse.target))
        ingest_day(emulator, paths, START + timedelta(days=RERUN_OFFSET), top_n=TOP_N)
    warehouse.builds.append(dbt_build(paths.working_path, vars=DBT_VARS, target_path=warehouse.target))
    shutil.copyfile(paths.working_path, warehouse.full)
    dbt_build(
        warehouse.full,
        full_refresh=True,
        select=" ".join(INCREMENTAL_MODELS),
        vars=DBT_VARS,
        target_path=warehouse.target,
    )
    return warehouse


def table_difference(incremental: Path, full: Path, table: str) -> tuple[int, int]:
    """Rows of `table` only in the incremental build, and only in the full refresh (EXCEPT ALL both ways)."""
    with duckdb.connect() as con:
        con.execute(f"attach '{incremental}' as inc (read_only)")
        con.execute(f"attach '{full}' as fr (read_only)")
        only_inc = con.execute(f"select count(*) from (from inc.{table} except all from fr.{table})").fetchone()[0]
        only_full = con.execute(f"select count(*) from (from fr.{table} except all from inc.{table})").fetchone()[0]
    return only_inc, only_full
