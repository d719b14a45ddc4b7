"""The pieces of the quality layer without Great Expectations: the suites' consistency, the rules' checks and
derived columns, the robust bounds, the score and the offending ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from pipelines.quality.checks import Check, Severity
from pipelines.quality.results import OFFENDING_IDS_CAP, ExpectationRow, RunInfo, missing_table_row, offending_ids
from pipelines.quality.rules import FlaggedIssues, NeverDecreasing, NotNull, RobustBounds, completeness
from pipelines.quality.score import OVERALL, table_scores
from pipelines.quality.spec import TableSpec
from pipelines.quality.suites import ALL_SPECS

RUN = RunInfo(run_id="r1", run_at=datetime(2024, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda spec: spec.table)
def test_every_suite_names_only_columns_it_declares_or_derives(spec: TableSpec) -> None:
    derived = {column.name for column in spec.derived()}
    assert all(name.startswith("dq_") for name in derived)
    assert set(spec.key) <= set(spec.columns)
    frame = pd.DataFrame({column: [] for column in spec.columns})
    for check in spec.checks(frame):
        for column in (check.column or "").split(","):
            assert not column or column in spec.columns or column in derived, f"{spec.table}: {check}"
    assert len(spec.schema_checks()) == len(spec.columns) + 1


# Values the pipeline or our models compute: a wrong one is our bug, so critical (README, "Test policy").
OUR_COMPUTED_COLUMNS = {
    "snapshot_date",  # the ingestion day the pipeline stamps on every row
    "observed_days_7d",
    "trend_class",
    "viral_score",
    "viral_category",
    "dq_roi_is_finite",
    "dq_popularity_change_7d_pct_is_finite",
}


def test_suites_cover_raw_staging_and_marts_once_each() -> None:
    tables = [spec.table for spec in ALL_SPECS]
    assert len(tables) == len(set(tables))
    assert {table.split(".")[0] for table in tables} == {"raw", "staging", "marts"}


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda spec: spec.table)
def test_only_our_own_invariants_are_critical(spec: TableSpec) -> None:
    """Keys present and unique, and values our models compute, are critical; every rule about TMDB's values
    (completeness, ranges, formats, votes that drop, dates) is a warning."""
    for check in spec.checks(pd.DataFrame()):
        if check.severity != "critical":
            continue
        on_key = check.column in spec.key or set((check.column or "").split(",")) == set(spec.key)
        unique_or_present = check.expectation_type in {
            "expect_column_values_to_not_be_null",
            "expect_column_values_to_be_unique",
            "expect_compound_columns_to_be_unique",
        }
        assert (on_key and unique_or_present) or check.column in OUR_COMPUTED_COLUMNS, f"{spec.table}: {check}"


def test_completeness_is_a_warning_threshold() -> None:
    (warning,) = (rule.check() for rule in completeness("overview", 0.1, blank_is_null=True))
    assert (warning.severity, warning.kwargs["mostly"]) == ("warning", 0.9)
    assert warning.kwargs["column"] == "dq_overview_or_null"
    assert NotNull("id").check().kwargs == {"column": "id"}  # no `mostly` when nothing may be missing


def test_never_decreasing_is_a_lag_window_checked_at_zero() -> None:
    rule = NeverDecreasing("vote_count", partition_by="movie_id", order_by="snapshot_date")
    (derived,) = rule.derived()
    assert "lag(" in derived.sql and 'partition by "movie_id" order by "snapshot_date"' in derived.sql
    (check,) = rule.checks(pd.DataFrame())
    assert check.kwargs == {"column": derived.name, "min_value": 0} and check.severity == "warning"  # TMDB's fact


def test_robust_bounds_flag_far_values_on_a_log_scale() -> None:
    budgets = pd.DataFrame({"budget": [10e6, 12e6, 15e6, 20e6, 25e6, 30e6, 40e6, 50e6, None, 0]})
    (check,) = RobustBounds("budget").checks(budgets)
    low, high = check.kwargs["min_value"], check.kwargs["max_value"]
    assert 1 < low < 10e6 and 50e6 < high < 1e11
    assert (check.severity, check.category) == ("warning", "outlier")


def test_robust_bounds_on_a_linear_scale_and_without_enough_data() -> None:
    runtimes = pd.DataFrame({"runtime": [90, 95, 100, 105, 110, 115, 120, 125]})
    low, high = RobustBounds("runtime", log_scale=False).fences(runtimes) or (0, 0)
    assert low == pytest.approx(98.75 - 3 * 17.5) and high == pytest.approx(116.25 + 3 * 17.5)
    assert RobustBounds("runtime").checks(runtimes.head(5)) == ()  # too few values to fit fences
    assert RobustBounds("runtime").checks(pd.DataFrame({"runtime": [100] * 20})) == ()  # no spread
    assert RobustBounds("missing").checks(runtimes) == ()


def _row(table: str, severity: Severity, success: bool) -> ExpectationRow:
    check = Check("expect_column_values_to_be_between", {"column": "x"}, severity, "business", "x >= 0")
    row = missing_table_row(RUN, table, table, check)
    return ExpectationRow(**{**row.__dict__, "success": success})


def test_score_weighs_critical_three_times_a_warning() -> None:
    rows = [
        _row("a", "critical", True),
        _row("a", "critical", False),
        _row("a", "warning", True),
        _row("a", "warning", False),
        _row("b", "warning", True),
    ]
    (a, b), overall = table_scores(rows)
    assert (a.table_name, a.score, a.critical_failed, a.warnings_failed, a.evaluated) == ("a", 50.0, 1, 1, 4)
    assert (b.score, b.evaluated) == (100.0, 1)
    assert (overall.table_name, overall.score, overall.evaluated) == (OVERALL, round(100 * 5 / 9, 1), 5)


def test_offending_ids_keep_the_key_and_are_capped() -> None:
    single = [{"budget": -5, "movie_id": np.int64(7)}]
    assert offending_ids(single, ["movie_id"]) == [7]
    compound = [{"vote_count": 3, "movie_id": 1, "snapshot_date": pd.Timestamp("2024-01-03")}]
    assert offending_ids(compound, ["movie_id", "snapshot_date"]) == [{"movie_id": 1, "snapshot_date": "2024-01-03"}]
    many = [{"movie_id": i} for i in range(OFFENDING_IDS_CAP * 2)]
    assert len(offending_ids(many, ["movie_id"]) or []) == OFFENDING_IDS_CAP
    assert offending_ids([], ["movie_id"]) is None


def test_a_missing_table_is_one_failed_result_of_its_severity() -> None:
    check = Check("table_exists", {}, "warning", "presence", "table marts.x exists")
    row = missing_table_row(RUN, "marts.x", "marts.x", check)
    assert (row.success, row.severity, row.observed_value) == (False, "warning", '"table missing"')
    assert json.loads(row.details)["error"] == "table missing: suite skipped"
    assert row.failure_line() == (
        'WARNING marts.x: table marts.x exists - observed "table missing" - error: table missing: suite skipped'
    )


def test_flagged_issues_give_one_warning_per_issue_found() -> None:
    frame = pd.DataFrame(
        {"movie_id": [1, 2, 3, 4], "data_issues": [["no_genres"], [], ["no_genres", "missing_overview"], None]}
    )
    checks = FlaggedIssues("data_issues").checks(frame)
    assert [(c.description, c.severity, c.category) for c in checks] == [
        ("missing_overview: rows flagged in data_issues", "warning", "data_issue"),
        ("no_genres: rows flagged in data_issues", "warning", "data_issue"),
    ]
    assert frame["dq_not_no_genres"].tolist() == [False, True, False, True]
    assert FlaggedIssues("data_issues").checks(frame.assign(data_issues=[[], [], [], []])) == ()
