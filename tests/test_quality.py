"""The quality suites on the fixture warehouse (tests/conftest.py, `quality_warehouse`): a clean run passes with a
score of 100, results, scores and data docs landing where they should; then each rule is caught on
purpose-broken data, with the right severity and the offending rows' keys."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.quality import QualityCheckFailed, QualityResult, run_quality
from pipelines.quality.cli import add_arguments
from pipelines.quality.cli import run as cli_run
from pipelines.quality.results import ExpectationRow
from pipelines.quality.spec import TableSpec
from pipelines.quality.suites import ALL_SPECS
from tests.conftest import QUALITY_MOVIES, create_quality_warehouse

TABLES = [spec.table for spec in ALL_SPECS]


def execute(path: Path, *statements: str) -> None:
    connection = duckdb.connect(str(path))
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def failures(result: QualityResult, table: str, description: str) -> list[ExpectationRow]:
    """The failed expectations of `table` whose description starts with `description`."""
    return [
        row
        for row in result.rows
        if row.table_name == table and row.description.startswith(description) and not row.success
    ]


def the_failure(result: QualityResult, table: str, description: str) -> ExpectationRow:
    found = failures(result, table, description)
    assert len(found) == 1, f"expected one failure of {description!r} on {table}, got {found}\n{result.summary()}"
    return found[0]


def spec_of(table: str) -> TableSpec:
    return next(spec for spec in ALL_SPECS if spec.table == table)


def cli_args(duckdb_path: Path, *extra: str) -> Any:
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(["--duckdb-path", str(duckdb_path), *extra])


# --- a clean run -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, QualityResult]:
    root = tmp_path_factory.mktemp("quality_clean")
    warehouse = create_quality_warehouse(root / "warehouse.duckdb")
    site = root / "site"
    return warehouse, site, run_quality(warehouse, site)


def test_clean_warehouse_passes_with_full_score(clean_run: tuple[Path, Path, QualityResult]) -> None:
    _, _, result = clean_run
    assert result.success, result.summary()
    assert result.critical_failures == () and result.warnings_count == 0
    assert [table.table_name for table in result.tables] == TABLES
    assert result.overall_score == 100.0 and all(table.score == 100.0 for table in result.tables)
    assert result.raise_on_critical() is result
    # every layer is validated, with both its schema suite and its data suite
    suites = {row.suite for row in result.rows}
    assert suites == {spec.suite for spec in ALL_SPECS} | {spec.schema_suite for spec in ALL_SPECS}
    assert {row.category for row in result.rows} == {"schema", "completeness", "business", "outlier"}


def test_results_and_scores_land_in_the_warehouse(clean_run: tuple[Path, Path, QualityResult]) -> None:
    warehouse, _, result = clean_run
    rows = query(
        warehouse,
        f"select count(*), count(distinct suite), bool_and(success) from quality.expectation_results "
        f"where run_id = '{result.run_id}'",
    )
    assert rows == [(len(result.rows), 2 * len(ALL_SPECS), True)]
    scores = dict(
        query(warehouse, f"select table_name, score from quality.quality_scores where run_id = '{result.run_id}'")
    )
    assert scores == {**{table: 100.0 for table in TABLES}, "overall": 100.0}
    overall = query(
        warehouse,
        "select critical_failed, warnings_failed, evaluated from quality.quality_scores where table_name = 'overall'",
    )
    assert overall == [(0, 0, len(result.rows))]


def test_data_docs_are_built_into_the_site_without_gx_tracking(clean_run: tuple[Path, Path, QualityResult]) -> None:
    _, site, result = clean_run
    assert result.docs_index == site / "quality" / "index.html"
    index = result.docs_index.read_text(encoding="utf-8")
    for spec in ALL_SPECS:
        assert spec.suite in index
    pages = [*site.joinpath("quality").rglob("*.html"), *site.joinpath("quality").rglob("*.css")]
    assert len(pages) > 2 * len(ALL_SPECS)  # the index, a page per suite, a page per validation
    assert not [page for page in pages if "great-expectations-web-assets" in page.read_text(encoding="utf-8")]
    assert (site / "quality" / "static" / "images" / "logo-long.png").is_file()
    # GX's index lists its pages with a CDN script: a plain list of links works offline too
    links = re.findall(r'<li><a href="([^"]+)">', index)
    assert len(links) == 4 * len(ALL_SPECS) and all((site / "quality" / link).is_file() for link in links)
    assert "(failed)" not in index
    assert not [path.name for path in site.iterdir() if path.name.startswith(".")]  # no staging folder left


def test_a_second_run_appends_even_in_a_file_named_like_the_schema(tmp_path: Path) -> None:
    # a file quality.duckdb makes `quality.x` ambiguous (catalog or schema): the runner qualifies its names
    warehouse = create_quality_warehouse(tmp_path / "quality.duckdb")
    first = run_quality(warehouse, specs=[spec_of("raw.genres")])
    second = run_quality(warehouse, specs=[spec_of("raw.genres")])
    assert first.run_id != second.run_id and first.docs_index is None
    counts = query(warehouse, "select run_id, count(*) from quality.quality.expectation_results group by 1")
    assert sorted(counts) == sorted([(first.run_id, len(first.rows)), (second.run_id, len(second.rows))])


# --- purpose-broken data: each rule caught, with its severity and the offending keys ------------------------

BREAKS = [
    "update raw.movie_details set revenue = -5 where id = 103",
    "update raw.movie_status set vote_count = vote_count - 50 where movie_id = 105 and snapshot_date = '2024-01-03'",
    "update raw.movie_details set budget = 900000000000 where id = 107",
    "update raw.movie_details set release_date = '2099-01-01' where id = 109",
    "insert into raw.movie_status select * from raw.movie_status where movie_id = 111 and snapshot_date = '2024-01-02'",
    "update raw.movie_details set vote_average = 11 where id = 113",
    # a bot: 3,000 searches from one user (the type mix, the share naming a movie, events per user)
    "insert into raw.events (event_id, event_type, user_id, file_name, line_number) "
    "select 'bot' || lpad(i::varchar, 5, '0'), 'search', 'bot', 'bot/2024-01-01T00.ndjson', i + 1 "
    "from range(3000) t(i)",
    # a producer rating everything 5.0, and once off the half-star grid
    "update raw.events set rating = 5.0 where rating is not null",
    "update raw.events set rating = 2.3 where event_id = 'e00006'",
    # a producer (android) with 10% of its lines quarantined
    "update raw.events set file_name = '2024-01-01/android-20240101T00.ndjson.gz' where line_number <= 270",
    "insert into raw.events_quarantine select '2024-01-01/android-20240101T00.ndjson.gz', 270 + n, 'not JSON', '{' "
    "from range(1, 31) t(n)",
]
BAD_FILE = "2024-01-01/android-20240101T00.ndjson.gz"
DAY_3 = {"movie_id": 105, "snapshot_date": "2024-01-03"}
# Test policy: facts about TMDB's data (negative revenue, dropped votes, far dates, ratings off the scale) are
# warnings with their ids; our invariants (one row per grain) are critical. The models' keys, ranges and
# computed values are dbt's tests (tests/test_quality_dbt_results.py): GX checks raw, and on the models only
# what dbt lacks (windows, outliers, completeness, the release horizon).
EXPECTED = [
    ("raw.movie_details", "revenue >= 0", "warning", 103),
    ("raw.movie_status", "vote_count never decreases", "warning", DAY_3),
    ("staging.stg_tmdb__movie_status", "vote_count never decreases", "warning", DAY_3),
    ("marts.fct_movie_status_daily", "vote_count never decreases", "warning", DAY_3),
    ("marts.movie_virality_daily", "vote_velocity >= 0", "warning", DAY_3),
    ("marts.fct_movie_financials", "budget_usd within robust bounds", "warning", 107),
    ("raw.movie_details", "release_date at most 3653 days after snapshot_date", "warning", 109),
    ("staging.stg_tmdb__movies", "release_date at most 3653 days after details_fetched_on", "warning", 109),
    (
        "raw.movie_status",
        "one row per movie_id, snapshot_date",
        "critical",
        {"movie_id": 111, "snapshot_date": "2024-01-02"},
    ),
    ("raw.movie_details", "vote_average between 0 and 10", "warning", 113),
    # the user events: facts about the producers, warnings naming the users, events and files
    ("raw.events", "events per user_id within robust bounds", "warning", {"user_id": "bot", "event_id": "bot00000"}),
    ("raw.events", "movie_id missing in at most 30% of rows", "warning", {"user_id": "bot", "event_id": "bot00000"}),
    ("raw.events", "rating in steps of 0.5", "warning", {"user_id": "u10", "event_id": "e00006"}),
    (
        "raw.events_quarantine",
        "at most 2% of a producer's lines quarantined",
        "warning",
        {"file_name": BAD_FILE, "line_number": 271},
    ),
]
# distributions: a figure over the whole table, no offending rows (the observed figure instead)
EXPECTED_FIGURES = [
    ("raw.events", "share of search events between 0% and 25%", 0.64),
    ("raw.events", "share of view events between 30% and 90%", 0.24),
    ("raw.events", "mean of rating between 1.5 and 4.5", None),
    ("raw.events", "stdev of rating >= 0.25", None),
]
# One home per check: the rules dbt's tests own are not restated on the models
NOT_RESTATED = [
    ("staging.stg_tmdb__movies", "revenue_usd >= 0"),
    ("marts.fct_movie_financials", "revenue_usd >= 0"),
    ("marts.dim_movie", "vote_average between 0 and 10"),
    ("marts.fct_movie_status_daily", "one row per movie_id, snapshot_date"),
]


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, QualityResult]:
    warehouse = create_quality_warehouse(tmp_path_factory.mktemp("quality_broken") / "warehouse.duckdb")
    execute(warehouse, *BREAKS)
    return warehouse, run_quality(warehouse)


@pytest.mark.parametrize(("table", "description", "severity", "offender"), EXPECTED)
def test_each_broken_rule_is_caught_with_its_severity_and_ids(
    broken_run: tuple[Path, QualityResult], table: str, description: str, severity: str, offender: Any
) -> None:
    _, result = broken_run
    row = the_failure(result, table, description)
    assert row.severity == severity
    assert row.unexpected_count and row.unexpected_count >= 1
    assert offender in json.loads(row.offending_ids or "[]")


@pytest.mark.parametrize(("table", "description", "observed"), EXPECTED_FIGURES)
def test_a_distribution_off_its_plausible_range_is_a_warning_with_its_figure(
    broken_run: tuple[Path, QualityResult], table: str, description: str, observed: float | None
) -> None:
    _, result = broken_run
    row = the_failure(result, table, description)
    assert row.severity == "warning" and row.observed_value is not None
    if observed is not None:
        assert json.loads(row.observed_value) == pytest.approx(observed)


def test_rules_dbt_owns_are_not_restated_on_the_models(broken_run: tuple[Path, QualityResult]) -> None:
    _, result = broken_run
    for table, description in NOT_RESTATED:
        assert not [row for row in result.rows if row.table_name == table and row.description.startswith(description)]


def test_broken_run_fails_on_critical_failures_only(broken_run: tuple[Path, QualityResult]) -> None:
    warehouse, result = broken_run
    assert not result.success
    with pytest.raises(QualityCheckFailed, match="CRITICAL raw.movie_status: one row per movie_id, snapshot_date"):
        result.raise_on_critical()
    expected_critical = {(table, description) for table, description, severity, _ in EXPECTED if severity == "critical"}
    caught = {
        (row.table_name, description)
        for row in result.critical_failures
        for _, description, _, _ in EXPECTED
        if row.description.startswith(description)
    }
    assert expected_critical <= caught
    assert all(row.severity == "warning" for row in result.warnings)
    # the untouched tables keep a full score; the broken ones lose points, critical failures 3x a warning
    assert result.score("raw.genres") == 100.0
    assert result.score("raw.movie_details") < 100.0
    stored = query(
        warehouse,
        f"select critical_failed from quality.quality_scores where run_id = '{result.run_id}' "
        "and table_name = 'overall'",
    )
    assert stored == [(len(result.critical_failures),)]
    offending = query(
        warehouse,
        "select severity, offending_ids from quality.expectation_results where not success "
        "and table_name = 'raw.movie_details' and description = 'revenue >= 0'",
    )
    assert offending == [("warning", "[103]")]


def test_the_cli_exits_non_zero_with_one_line_per_critical_failure(
    broken_run: tuple[Path, QualityResult], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse, _ = broken_run
    assert cli_run(cli_args(warehouse, "--site-dir", str(tmp_path / "site"))) == 1
    out = capsys.readouterr().out
    assert "WARNING raw.movie_details: revenue >= 0 - 1 unexpected (3.33%) - observed [-5] - ids [103]" in out
    assert "WARNING marts.fct_movie_financials: budget_usd within robust bounds" in out
    index = (tmp_path / "site" / "quality" / "index.html").read_text(encoding="utf-8")
    assert ">raw.movie_details (failed)</a>" in index and ">raw.genres</a>" in index


def test_the_cli_exits_zero_on_a_clean_warehouse_and_two_without_one(
    quality_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_run(cli_args(tmp_path / "nowhere.duckdb")) == 2
    assert "no warehouse at" in capsys.readouterr().err
    assert cli_run(cli_args(quality_warehouse, "--site-dir", str(tmp_path / "site"))) == 0
    out = capsys.readouterr().out
    assert out.startswith("quality: score 100.0/100") and "0 critical failures, 0 warnings" in out
    assert (tmp_path / "site" / "quality" / "index.html").is_file()


# --- completeness: a null-heavy column ------------------------------------------------------------------------


@pytest.mark.parametrize(("blank_every", "severities"), [(1, {"warning"}), (5, {"warning"})])
def test_a_null_heavy_column_is_caught(quality_warehouse: Path, blank_every: int, severities: set[str]) -> None:
    # blank_every=1: every overview but one in ten blank (90% missing); blank_every=5: one in five (20%).
    # Both are over the 10% threshold, and both are TMDB's data: a warning with the count, never a failure.
    condition = "id % 10 <> 0" if blank_every == 1 else f"id % {blank_every} = 0"
    execute(quality_warehouse, f"update raw.movie_details set overview = '' where {condition}")
    missing = QUALITY_MOVIES * (0.9 if blank_every == 1 else 0.2)
    tables = ("raw.movie_details", "staging.stg_tmdb__movies", "marts.dim_movie")
    result = run_quality(quality_warehouse, specs=[spec_of(table) for table in tables], write=False)
    for table in tables:
        rows = failures(result, table, "overview missing")
        assert {row.severity for row in rows} == severities, result.summary()
        assert all(row.unexpected_count == missing for row in rows)
    assert result.success == (severities == {"warning"})


# --- schema and presence ----------------------------------------------------------------------------------------


def test_schema_drift_and_missing_tables_are_recorded_not_fatal_to_the_run(quality_warehouse: Path) -> None:
    execute(
        quality_warehouse,
        "drop view marts.movie_virality_daily",  # a model not built (yet): a warning
        "drop table raw.genres",  # ingestion didn't write it: critical
        "alter table raw.discover_results drop column vote_average",  # a column gone
        "alter table raw.movie_status alter vote_count type varchar",  # a column of the wrong type
    )
    tables = ("marts.movie_virality_daily", "raw.genres", "raw.discover_results", "raw.movie_status")
    result = run_quality(quality_warehouse, specs=[spec_of(table) for table in tables], write=False)
    virality = the_failure(result, "marts.movie_virality_daily", "table marts.movie_virality_daily exists")
    genres = the_failure(result, "raw.genres", "table raw.genres exists")
    assert (virality.severity, genres.severity) == ("warning", "critical")
    assert "table missing" in virality.failure_line()
    assert the_failure(result, "raw.discover_results", "columns present").severity == "critical"
    assert the_failure(result, "raw.discover_results", "vote_average is of type number").severity == "critical"
    # the rule on the missing column fails with GX's error instead of crashing the run
    range_rule = the_failure(result, "raw.discover_results", "vote_average between 0 and 10")
    assert "error" in json.loads(range_rule.details)
    typed = the_failure(result, "raw.movie_status", "vote_count is of type integer")
    assert "VARCHAR" in (typed.observed_value or "")
