"""dbt's test results in the quality run: a small run_results.json + manifest.json (the shapes dbt 1.11 writes)
become rows of suite `dbt`, with the severity of the test's config and the model it is attached to, and count
in the score and in `quality.expectation_results` like GX's expectations."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.quality import QualityError, run_quality
from pipelines.quality.dbt_results import dbt_result_rows
from pipelines.quality.results import RunInfo
from pipelines.quality.suites import ALL_SPECS
from pipelines.quality.warehouse import WarehouseReader

RUN = RunInfo(run_id="r1", run_at=datetime(2024, 1, 1, tzinfo=UTC))


def _model(name: str, schema: str) -> dict[str, Any]:
    return {"resource_type": "model", "name": name, "alias": name, "schema": schema}


def _test(name: str, kind: str | None, severity: str, attached: str | None, depends: list[str]) -> dict[str, Any]:
    return {
        "resource_type": "test",
        "name": name,
        "config": {"severity": severity},
        "test_metadata": {"name": kind, "kwargs": {}} if kind else None,
        "column_name": "movie_id" if kind else None,
        "attached_node": attached,
        "depends_on": {"nodes": depends},
    }


MANIFEST = {
    "nodes": {
        "model.w.dim_movie": _model("dim_movie", "marts"),
        "model.w.stg_tmdb__movie_status": _model("stg_tmdb__movie_status", "staging"),
        "model.w.fct_movie_status_daily": _model("fct_movie_status_daily", "marts"),
        "test.w.unique_dim_movie_movie_id.1": _test(
            "unique_dim_movie_movie_id", "unique", "ERROR", "model.w.dim_movie", ["model.w.dim_movie"]
        ),
        "test.w.accepted_range_dim_movie_vote_count.2": _test(
            "accepted_range_dim_movie_vote_count", "accepted_range", "warn", "model.w.dim_movie", ["model.w.dim_movie"]
        ),
        "test.w.not_null_dim_movie_is_deleted.3": _test(
            "not_null_dim_movie_is_deleted", "not_null", "ERROR", "model.w.dim_movie", ["model.w.dim_movie"]
        ),
        # a singular test reading staging and a mart: counted on the mart
        "test.w.assert_matches.4": _test(
            "assert_matches", None, "ERROR", None, ["model.w.stg_tmdb__movie_status", "model.w.fct_movie_status_daily"]
        ),
        "test.w.skipped_one.5": _test("skipped_one", "unique", "ERROR", "model.w.dim_movie", ["model.w.dim_movie"]),
    },
    "unit_tests": {
        "unit_test.w.dim_movie.test_flags": {
            "resource_type": "unit_test",
            "name": "test_flags",
            "model": "dim_movie",
            "depends_on": {"nodes": ["model.w.dim_movie"]},
        }
    },
}


def _result(unique_id: str, status: str, failures: int | None = 0, message: str | None = None) -> dict[str, Any]:
    return {"unique_id": unique_id, "status": status, "failures": failures, "message": message}


RUN_RESULTS = {
    "metadata": {"dbt_version": "1.11.0"},
    "results": [
        _result("model.w.dim_movie", "success", None, "OK"),  # not a test: no row
        _result("test.w.unique_dim_movie_movie_id.1", "pass"),
        _result("test.w.accepted_range_dim_movie_vote_count.2", "warn", 3, "Got 3 results, configured to warn if != 0"),
        _result("test.w.not_null_dim_movie_is_deleted.3", "fail", 2, "Got 2 results, configured to fail if != 0"),
        _result("test.w.assert_matches.4", "pass"),
        _result("test.w.skipped_one.5", "skipped", None),  # not evaluated: no row
        _result("unit_test.w.dim_movie.test_flags", "pass", None),
    ],
}


def write_target(folder: Path, run_results: dict[str, Any] = RUN_RESULTS, manifest: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "run_results.json").write_text(json.dumps(run_results))
    if manifest:
        (folder / "manifest.json").write_text(json.dumps(MANIFEST))
    return folder / "run_results.json"


def test_each_data_and_unit_test_is_a_row_with_its_severity_table_and_outcome(tmp_path: Path) -> None:
    rows = dbt_result_rows(RUN, write_target(tmp_path))
    got = {
        row.description: (row.table_name, row.expectation_type, row.severity, row.success, row.unexpected_count)
        for row in rows
    }
    assert got == {
        "unique_dim_movie_movie_id": ("marts.dim_movie", "dbt:unique", "critical", True, 0),
        "accepted_range_dim_movie_vote_count": ("marts.dim_movie", "dbt:accepted_range", "warning", False, 3),
        "not_null_dim_movie_is_deleted": ("marts.dim_movie", "dbt:not_null", "critical", False, 2),
        "assert_matches": ("marts.fct_movie_status_daily", "dbt:singular", "critical", True, 0),
        "test_flags": ("marts.dim_movie", "dbt:unit_test", "critical", True, None),
    }
    assert {(row.suite, row.category) for row in rows} == {("dbt", "dbt")}
    failed = next(row for row in rows if row.description == "not_null_dim_movie_is_deleted")
    assert failed.column_name == "movie_id"
    assert failed.failure_line().startswith("CRITICAL marts.dim_movie: not_null_dim_movie_is_deleted - 2 unexpected")


def test_without_a_manifest_the_status_gives_the_severity(tmp_path: Path) -> None:
    rows = dbt_result_rows(RUN, write_target(tmp_path, manifest=False))
    assert {(row.table_name, row.severity, row.success) for row in rows if row.unexpected_count} == {
        ("dbt", "warning", False),
        ("dbt", "critical", False),
    }
    assert dbt_result_rows(RUN, tmp_path / "nowhere" / "run_results.json") == []


def test_dbt_results_count_in_the_score_and_land_in_the_warehouse(quality_warehouse: Path, tmp_path: Path) -> None:
    specs = [spec for spec in ALL_SPECS if spec.table == "raw.genres"]
    result = run_quality(quality_warehouse, specs=specs, dbt_run_results=write_target(tmp_path / "target"))
    dbt_rows = [row for row in result.rows if row.suite == "dbt"]
    assert len(dbt_rows) == 5
    assert not result.success  # an error-severity dbt test failed: critical, as in dbt
    assert result.score("raw.genres") == 100.0
    # marts.dim_movie: unique (3, passed), accepted_range (1, failed), not_null (3, failed), unit test (3, passed)
    assert result.score("marts.dim_movie") == round(100 * 6 / 10, 1)
    assert result.overall.evaluated == len(result.rows)
    with duckdb.connect(str(quality_warehouse), read_only=True) as con:
        stored = con.execute(
            "select count(*), count(*) filter (where not success) from quality.expectation_results "
            "where run_id = ? and suite = 'dbt'",
            [result.run_id],
        ).fetchall()
        scored = con.execute(
            "select score from quality.quality_scores where run_id = ? and table_name = 'marts.dim_movie'",
            [result.run_id],
        ).fetchall()
    assert stored == [(5, 2)] and scored == [(60.0,)]


def test_an_unreadable_run_results_is_a_quality_error(quality_warehouse: Path, tmp_path: Path) -> None:
    broken = tmp_path / "run_results.json"
    broken.write_text("{not json")
    with pytest.raises(QualityError, match="cannot read dbt's results"):
        run_quality(quality_warehouse, specs=ALL_SPECS[-1:], write=False, dbt_run_results=broken)


def test_a_failed_data_test_names_the_ids_of_its_rows(tmp_path: Path) -> None:
    """A fact about TMDB's data is a warning with the ids (DEVELOPERS.md), dbt's warnings as GX's: the test's compiled
    SQL runs again on the warehouse, and its rows (or the model's rows holding the values it returns) give the ids."""
    warehouse = tmp_path / "tmdb.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_movie (movie_id int, release_type int, vote_count int, is_deleted bool)")
        con.execute(
            "insert into marts.dim_movie values (11, 3, 5, false), (7, 9, -1, null), (5, 9, -2, null), (3, 1, 0, false)"
        )
    tests = {  # name: (tested column, the SQL dbt compiled: a model's rows, a column, values, a child's ids)
        "accepted_range_dim_movie_vote_count": ("vote_count", "select * from marts.dim_movie where vote_count < 0"),
        "not_null_dim_movie_is_deleted": (
            "is_deleted",
            "select is_deleted from marts.dim_movie where is_deleted is null",
        ),
        "accepted_values_dim_movie_release_type": (
            "release_type",
            "select release_type as value_field, count(*) as n_records from marts.dim_movie "
            "where release_type not in (1, 2, 3) group by release_type",
        ),
        "relationships_dim_movie_movie_id": ("movie_id", "select 42 as from_field union all select 41"),
    }
    manifest = {"nodes": {"model.w.dim_movie": _model("dim_movie", "marts")}}
    results = []
    for name, (column, sql) in tests.items():
        node = _test(name, name.split("_dim_movie")[0], "warn", "model.w.dim_movie", ["model.w.dim_movie"])
        node["column_name"] = column
        manifest["nodes"][f"test.w.{name}"] = node
        results.append({**_result(f"test.w.{name}", "warn", 2), "compiled_code": sql})
    target = tmp_path / "target"
    target.mkdir()
    (target / "run_results.json").write_text(json.dumps({"results": results}))
    (target / "manifest.json").write_text(json.dumps(manifest))

    with WarehouseReader(warehouse) as reader:
        rows = dbt_result_rows(RUN, target / "run_results.json", reader)

    ids = {row.description: json.loads(row.offending_ids) for row in rows}
    assert ids == {
        "accepted_range_dim_movie_vote_count": [5, 7],
        "not_null_dim_movie_is_deleted": [5, 7],
        "accepted_values_dim_movie_release_type": [5, 7],
        "relationships_dim_movie_movie_id": [41, 42],
    }
    assert rows[0].failure_line().endswith("- ids [5, 7]")
    # without the warehouse (or once its rows moved on) the warning still stands, without ids
    assert {row.offending_ids for row in dbt_result_rows(RUN, target / "run_results.json")} == {None}
