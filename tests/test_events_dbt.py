"""The users' dbt models on a warehouse the chain built (emulator days with simulated users, `until="moods"`), then
more days of events whose late arrivals land in days already built: the incremental fct_user_event equals a full
refresh, the lookback cannot be set below the lateness the models accept, sessions follow the 30-minute gap, and
no free text reaches the models."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.events.load import load_events
from pipelines.events.simulate import SimulationConfig, simulate
from pipelines.run import RunOptions, run_chain
from pipelines.settings import Paths
from pipelines.transform import DbtBuildResult, DbtError, dbt_build
from tests.dbt_helpers import table_difference

START = date(2017, 1, 20)
USERS = 600
EVENT_MODELS = "stg_events__events+ stg_events__quarantine+"
VARS = {"moods_provider": "off"}


class Built:
    def __init__(self, paths: Paths, full: Path, target: Path, second: DbtBuildResult) -> None:
        self.paths, self.full, self.target, self.second = paths, full, target, second

    def rows(self, sql: str, path: Path | None = None) -> list[tuple]:
        with duckdb.connect(str(path or self.paths.working_path), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("events_dbt")
    paths = Paths(duckdb_path=root / "incremental" / "tmdb.duckdb", pipelines_dir=str(root / "dlt"))
    target = root / "target"
    options = RunOptions(
        source="emulator",
        days=[START, START + timedelta(days=1)],
        top_n=100,
        moods_provider="off",
        emulator_rate_limit=1000.0,
        until="moods",
        event_users=USERS,
    )
    summary = run_chain(options, paths, echo=lambda line: None)
    assert "events from" in summary.steps[0].detail  # the chain simulated and loaded the users' days
    # two more days of traffic: new files, some of them late events of the days already built
    landing = paths.working_path.parent / "events"
    simulate(SimulationConfig(start_date=START, days=4, users=USERS), str(landing))
    load_events(str(landing), paths)
    second = dbt_build(paths.working_path, select=EVENT_MODELS, vars=VARS, target_path=target)
    full = root / "full" / "tmdb.duckdb"
    full.parent.mkdir()
    shutil.copyfile(paths.working_path, full)
    dbt_build(full, full_refresh=True, select="fct_user_event", vars=VARS, target_path=target)
    return Built(paths, full, target, second)


def test_event_models_build_with_their_tests(built: Built) -> None:
    assert built.second.failures == 0 and built.second.warnings == 0 and built.second.tests > 40
    for table in (
        "fct_user_event",
        "dim_user",
        "dim_session",
        "fct_rating",
        "fct_watchlist",
        "user_recommendations",
        "user_engagement_daily",
        "user_retention_weekly",
        "movie_user_rating_ranking",
    ):
        assert built.rows(f"select count(*) from marts.{table}")[0][0] > 0, table


def test_incremental_equals_full_refresh_with_late_events(built: Built) -> None:
    # late events of the first two days arrived with the second load: the lookback reprocessed those days
    late = built.rows(
        f"select count(*) from marts.fct_user_event where event_date < date '{START + timedelta(days=2)}' "
        f"and received_at >= timestamp '{START + timedelta(days=2)}'"
    )[0][0]
    assert late > 0
    assert table_difference(built.paths.working_path, built.full, "marts.fct_user_event") == (0, 0)


def test_lookback_shorter_than_lateness_is_refused(built: Built) -> None:
    with pytest.raises(DbtError, match="events_lookback_days = 1 but fct_user_event needs at least 3 days"):
        dbt_build(
            built.full, select="fct_user_event", vars={**VARS, "events_lookback_days": 1}, target_path=built.target
        )


def test_sessions_split_on_thirty_minute_gaps(built: Built) -> None:
    # within a session no gap exceeds 30 minutes; between a user's consecutive sessions every gap does
    inside, between = built.rows(
        """
        with ordered as (
            select user_id, session_id, event_at,
                   lag(event_at) over (partition by user_id order by event_at, event_id) as previous_at,
                   lag(session_id) over (partition by user_id order by event_at, event_id) as previous_session
            from marts.fct_user_event
        )
        select max(event_at - previous_at) filter (where session_id = previous_session),
               min(event_at - previous_at) filter (where session_id <> previous_session)
        from ordered
        """
    )[0]
    assert inside <= timedelta(minutes=30) < between
    assert (
        built.rows(
            "select count(distinct session_id) from marts.fct_user_event where session_id in (select session_id from "
            "marts.dim_session)"
        )[0][0]
        == built.rows("select count(*) from marts.dim_session")[0][0]
    )


def test_free_text_never_leaves_raw(built: Built) -> None:
    columns = built.rows(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where column_name in ('comment_text', 'search_query', 'line', 'extra_fields')"
    )
    assert columns and {schema for schema, _, _ in columns} <= {"raw", "raw_staging"}  # dlt's merge staging is raw
