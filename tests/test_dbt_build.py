"""The dbt layer on the emulator's data: `dbt build` (models, snapshot, data and unit tests) after staged
ingestion days, including a day never ingested (a gap) and a day ingested twice; then what the star schema,
the snapshot and the marts hold, incremental == full refresh, and `dbt docs generate`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from pipelines.transform import DbtError, dbt_build, dbt_docs_generate
from tests.dbt_helpers import (
    DBT_VARS,
    INCREMENTAL_MODELS,
    STAGES,
    DbtWarehouse,
    table_difference,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_FILES = sorted(p.stem for p in (REPO_ROOT / "models").rglob("*") if p.suffix in (".sql", ".py"))


def test_every_build_passes_with_models_snapshot_and_tests(dbt_warehouse: DbtWarehouse) -> None:
    # the first build creates everything, the next ones run the incremental models and the snapshot on top
    assert len(dbt_warehouse.builds) == len(STAGES) + 1
    for build in dbt_warehouse.builds:
        assert build.failures == 0 and build.skipped == 0 and build.warnings == 0
        assert build.models == len(MODEL_FILES)
        assert build.snapshots == 1
        assert build.tests > 250  # data tests on every key and category, plus the unit tests


def test_staging_and_facts_match_raw(dbt_warehouse: DbtWarehouse) -> None:
    w = dbt_warehouse
    raw_status = w.scalar("select count(*) from (select distinct movie_id, snapshot_date from raw.movie_status)")
    assert w.scalar("select count(*) from marts.fct_movie_status_daily") == raw_status
    raw_movies = w.scalar("select count(distinct id) from raw.movie_details")
    assert w.scalar("select count(*) from staging.stg_tmdb__movies") == raw_movies
    assert w.scalar("select count(*) from marts.dim_movie where has_details") == raw_movies
    assert w.scalar("select count(*) from marts.fct_movie_financials") == raw_movies
    # every status row's movie and day are in the dimensions
    assert (
        w.scalar("select count(*) from marts.fct_movie_status_daily f anti join marts.dim_movie m using (movie_id)")
        == 0
    )
    assert (
        w.scalar(
            "select count(*) from marts.fct_movie_status_daily f "
            "anti join marts.dim_date d on f.snapshot_date = d.date_day"
        )
        == 0
    )
    # 0 means unknown in TMDB: no zero budget survives staging, and the raw zeros are NULL
    zero_budgets = w.scalar("select count(distinct id) from raw.movie_details where budget = 0")
    assert w.scalar("select count(*) from staging.stg_tmdb__movies where budget_usd = 0") == 0
    assert w.scalar("select count(*) from staging.stg_tmdb__movies where budget_usd is null") >= zero_budgets


# Keys are unique by dbt's tests (and the marts' contracts), run by every build above; here only: each has rows.
@pytest.mark.parametrize(
    "table",
    [
        "marts.dim_movie",
        "marts.dim_genre",
        "marts.dim_person",
        "marts.dim_collection",
        "marts.dim_company",
        "marts.dim_country",
        "marts.dim_language",
        "marts.dim_date",
        "marts.bridge_movie_genre",
        "marts.bridge_movie_director",
        "marts.bridge_movie_top_cast",
        "marts.fct_movie_status_daily",
        "marts.fct_movie_financials",
        "marts.popularity_momentum_daily",
        "marts.movie_virality_daily",
        "marts.dim_movie_history",
        "marts.movie_rankings",
    ],
)
def test_star_schema_and_marts_have_rows(dbt_warehouse: DbtWarehouse, table: str) -> None:
    assert dbt_warehouse.scalar(f"select count(*) from {table}") > 0


def test_known_movie_profit_is_revenue_minus_budget(dbt_warehouse: DbtWarehouse) -> None:
    movie_id, budget, revenue = dbt_warehouse.rows(
        "select id, budget, revenue from raw.movie_details where budget > 0 and revenue > 0 "
        "order by revenue desc limit 1"
    )[0]
    profit, roi = dbt_warehouse.rows(
        "select profit_usd, roi from marts.fct_movie_financials where movie_id = ?", [movie_id]
    )[0]
    assert profit == revenue - budget
    assert roi == pytest.approx((revenue - budget) / budget, abs=1e-6)
    # ROI only where the budget is known
    assert (
        dbt_warehouse.scalar(
            "select count(*) from marts.fct_movie_financials where roi is not null and budget_usd is null"
        )
        == 0
    )


def test_momentum_classes_and_gap_day(dbt_warehouse: DbtWarehouse) -> None:
    w = dbt_warehouse
    classes = {row[0] for row in w.rows("select distinct trend_class from marts.popularity_momentum_daily")}
    assert {"Rising", "Stable", "Declining"} <= classes
    assert classes <= {"Surging", "Rising", "Stable", "Declining", "Falling", None}
    assert w.scalar("select count(*) from marts.popularity_top_gainers") > 0
    assert w.scalar("select count(*) from marts.popularity_top_decliners") > 0
    # the day after the day never ingested: no day-over-day change, every movie seen before has a gap
    after_gap = w.skipped_day + timedelta(days=1)
    rows = w.rows(
        "select count(*), count(popularity_change_1d), count(*) filter (where has_gap or is_first_observation) "
        "from marts.popularity_momentum_daily where snapshot_date = ?",
        [after_gap],
    )[0]
    assert rows[0] > 0 and rows[1] == 0 and rows[2] == rows[0]
    assert (
        w.scalar(
            "select count(*) from marts.movie_virality_daily where snapshot_date = ? and vote_velocity is not null",
            [after_gap],
        )
        == 0
    )
    # the 7-day average after the gap averages the observed days only
    assert (
        w.scalar(
            "select max(observed_days_7d) from marts.popularity_momentum_daily where snapshot_date = ?",
            [w.last_day],
        )
        == 6
    )


def test_virality_categories_and_scores(dbt_warehouse: DbtWarehouse) -> None:
    w = dbt_warehouse
    categories = {row[0] for row in w.rows("select distinct viral_category from marts.movie_virality_daily")}
    assert "Not viral" in categories and len(categories) >= 3
    low, high = w.rows(
        "select min(viral_score), max(viral_score) from marts.movie_virality_daily where snapshot_date = ?",
        [w.last_day],
    )[0]
    assert low == 0 and high == 100


def test_snapshot_keeps_versions_of_an_edited_movie(dbt_warehouse: DbtWarehouse) -> None:
    w = dbt_warehouse
    movie_id, versions = w.rows(
        "select movie_id, count(*) from snapshots.movie_attributes_snapshot "
        "where not is_deleted group by movie_id order by count(*) desc, movie_id limit 1"
    )[0]
    assert versions > 1
    history = w.rows(
        "select version_number, valid_from, valid_to, title, overview, budget_usd, revenue_usd, runtime_minutes "
        "from marts.dim_movie_history where movie_id = ? order by version_number",
        [movie_id],
    )
    for before, after in zip(history, history[1:], strict=False):
        assert before[2] == after[1]  # one version ends the day the next begins
        assert before[3:] != after[3:]  # and a tracked attribute differs
    # "what did we know about movie X on day D": exactly the version valid that day
    first, second = history[0], history[1]
    for version in (first, second):
        answer = w.rows(
            "select version_number, title, budget_usd from marts.dim_movie_history "
            "where movie_id = ? and ? >= valid_from and ? < valid_to",
            [movie_id, version[1], version[1]],
        )
        assert answer == [(version[0], version[3], version[5])]


def test_snapshot_closes_deleted_movies_on_the_tombstone_day(dbt_warehouse: DbtWarehouse) -> None:
    w = dbt_warehouse
    tombstones = w.rows(
        "select t.movie_id, t.detected_on from raw.movie_tombstones t "
        "join raw.movie_details d on d.id = t.movie_id and t.detected_on >= d.snapshot_date"
    )
    assert tombstones, "the emulator deleted no tracked movie: raise delete_rate in tests/dbt_helpers.py"
    for movie_id, detected_on in tombstones:
        current = w.rows(
            "select is_deleted, valid_from from marts.dim_movie_history where movie_id = ? and is_current",
            [movie_id],
        )
        assert current == [(True, detected_on)]
    assert w.scalar("select count(*) from marts.dim_movie where is_deleted") == len(tombstones)
    assert (
        w.scalar(
            "select count(*) from marts.movie_performance where movie_id in (select movie_id from raw.movie_tombstones)"
        )
        == 0
    )


@pytest.mark.parametrize("table", [f"marts.{name}" for name in INCREMENTAL_MODELS])
def test_incremental_equals_full_refresh(dbt_warehouse: DbtWarehouse, table: str) -> None:
    # built day by day (with a gap day and a re-ingested day) vs rebuilt in one go from the same raw data
    rows = dbt_warehouse.scalar(f"select count(*) from {table}")
    days = dbt_warehouse.scalar(f"select count(distinct snapshot_date) from {table}")
    assert rows > 0 and days == sum(len(stage) for stage in STAGES)
    assert table_difference(dbt_warehouse.paths.working_path, dbt_warehouse.full, table) == (0, 0)


def test_docs_generate_describes_every_model_and_column(dbt_warehouse: DbtWarehouse) -> None:
    target = dbt_docs_generate(dbt_warehouse.full, target_path=dbt_warehouse.target)
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    assert (target / "index.html").exists()
    undocumented = []
    for unique_id, entry in catalog["nodes"].items():
        node = manifest["nodes"][unique_id]
        if node["resource_type"] not in ("model", "snapshot"):
            continue
        if not node["description"].strip():
            undocumented.append(unique_id)
        documented = {name.lower() for name, column in node["columns"].items() if column["description"].strip()}
        undocumented += [f"{unique_id}.{c}" for c in entry["columns"] if c.lower() not in documented]
    assert len([n for n in catalog["nodes"] if n.startswith("model.")]) == len(MODEL_FILES)
    assert undocumented == []


def test_build_failure_is_one_line_naming_the_model(dbt_warehouse: DbtWarehouse) -> None:
    with pytest.raises(DbtError) as failure:
        dbt_build(
            dbt_warehouse.full,
            select="popularity_momentum_daily",
            vars={**DBT_VARS, "momentum_lookback_days": 3},
            target_path=dbt_warehouse.target,
        )
    message = str(failure.value)
    assert "\n" not in message and "popularity_momentum_daily" in message and "needs at least 13 days" in message
