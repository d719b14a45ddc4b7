"""The quality run on the real chain: the demo (emulator days ingested by dlt, users' events loaded), `dbt build`,
then every suite and dbt's test results of that build. Clean demo data must pass: no critical failure, every
table of every layer present, dbt's tests in the score, results written."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb

from pipelines.demo import DemoOptions, run_demo
from pipelines.events.chain import chain_user_events
from pipelines.quality import run_quality
from pipelines.quality.suites import ALL_SPECS
from pipelines.settings import Paths
from pipelines.transform import dbt_build


def test_a_demo_run_passes_after_dbt_build(tmp_path: Path) -> None:
    paths = Paths(duckdb_path=tmp_path / "tmdb.duckdb", pipelines_dir=str(tmp_path / "pipelines"))
    options = DemoOptions(days=4, top_n=150, rate_limit=0)
    run_demo(options, paths, echo=lambda _: None, progress=False)
    # the users' traffic of the same days, simulated and loaded as the chain does (raw.events, its quarantine)
    days = [options.start_date + timedelta(days=offset) for offset in range(options.days)]
    chain_user_events("emulator", days, paths, seed=options.seed, users=200)
    # moods off: this test is about the data, not the LLM classifying it
    dbt_build(paths.working_path, vars={"moods_provider": "off"}, target_path=tmp_path / "target")

    result = run_quality(
        paths.working_path, tmp_path / "site", dbt_run_results=tmp_path / "target" / "run_results.json"
    )

    assert result.success, result.summary()
    assert not [row for row in result.rows if row.category == "presence"], "a table the suites read is missing"
    gx_tables = [
        table.table_name
        for table in result.tables
        if any(r.table_name == table.table_name and r.suite != "dbt" for r in result.rows)
    ]
    assert gx_tables == [spec.table for spec in ALL_SPECS]
    # dbt's data and unit tests of the build are in the score, on the models they test
    dbt_rows = [row for row in result.rows if row.suite == "dbt"]
    assert len(dbt_rows) > 250
    assert {"marts.dim_movie", "marts.fct_movie_status_daily", "staging.stg_tmdb__movies"} <= {
        r.table_name for r in dbt_rows
    }
    assert {row.expectation_type for row in dbt_rows} >= {
        "dbt:unique",
        "dbt:not_null",
        "dbt:relationships",
        "dbt:unit_test",
    }
    # the demo's emulator serves TMDB's dirt (its realism profile): only warnings, about TMDB's data
    assert result.overall.score >= 90.0, result.summary()
    assert all(row.severity == "warning" for row in result.warnings), result.summary()
    assert {row.category for row in result.warnings} <= {"outlier", "data_issue", "business", "completeness", "dbt"}
    assert result.docs_index is not None and result.docs_index.is_file()
    connection = duckdb.connect(str(paths.working_path), read_only=True)
    try:
        stored = connection.execute(
            "select count(*) from quality.expectation_results where run_id = ?", [result.run_id]
        ).fetchall()
    finally:
        connection.close()
    assert stored == [(len(result.rows),)]
