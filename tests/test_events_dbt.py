"""The users' dbt models on a warehouse the chain built (emulator days with simulated users, `until="moods"`), then two
more builds of more days of events whose late arrivals land in days already built (the last one with a window
shorter than the history, plus hand-made arrivals: a late event inside a held session, one just before a session's
start, a copy of an old event delivered again, a line new to a landing file already held): every incremental user
model equals a full refresh, the lookback cannot be set below the lateness the models accept, sessions follow the
30-minute gap, and no free text reaches the models."""

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
# the incremental user models (dbt_project.yml), compared with a full refresh row for row
INCREMENTAL = (
    "staging.stg_events__events",
    "intermediate.int_user_events",
    "intermediate.int_user_activity_daily",
    "intermediate.int_user_movie_interactions",
    "marts.fct_user_event",
    "marts.user_engagement_daily",
    "marts.dim_session",
    "marts.fct_rating",
    "marts.fct_watchlist",
)
# the third build's window (events_lookback_days 3 before the newest day the second one held): days before it are
# held, not sessionized again
HELD_DAYS = 6


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
        until="recs-eval",
        event_users=USERS,
        recs_eval=True,
    )
    summary = run_chain(options, paths, echo=lambda line: None)
    assert "events from" in summary.steps[0].detail  # the chain simulated and loaded the users' days
    assert summary.steps[-1].name == "recs-eval" and "hit rate@10" in summary.steps[-1].detail
    # more days of traffic, twice: new files, some of them late events of the days already built
    landing = paths.working_path.parent / "events"
    for days in (HELD_DAYS, HELD_DAYS + 3):
        simulate(SimulationConfig(start_date=START, days=days, users=USERS), str(landing))
        load_events(str(landing), paths)
        if days == HELD_DAYS:
            dbt_build(paths.working_path, select=EVENT_MODELS, vars=VARS, target_path=target)
    add_odd_arrivals(paths.working_path)
    second = dbt_build(paths.working_path, select=EVENT_MODELS, vars=VARS, target_path=target)
    full = root / "full" / "tmdb.duckdb"
    full.parent.mkdir()
    shutil.copyfile(paths.working_path, full)
    dbt_build(full, full_refresh=True, select=EVENT_MODELS, vars=VARS, target_path=target)
    return Built(paths, full, target, second)


def add_odd_arrivals(path: Path) -> None:
    """Rows added to raw.events as if received on the last day: `late-inside` in the middle of a session of the
    last day held (it joins it), `late-before` 10 minutes before the start of another one (it starts it: the
    session's id changes), and a second copy of an event of the first day (the loader keeps one copy; raw holding
    two must still give one event, the first received)."""
    last_held = START + timedelta(days=HELD_DAYS - 1)
    received = f"timestamp '{START + timedelta(days=HELD_DAYS, hours=12)}'"
    with duckdb.connect(str(path)) as con:
        sessions = con.execute(
            """
            select s.session_id, s.started_at, s.ended_at from marts.dim_session as s
            where s.session_date = ? and s.events >= 2 and not exists (
                select 1 from marts.fct_user_event as e where e.user_id = s.user_id and e.event_at < s.started_at
                    and e.event_at >= s.started_at - interval 45 minute)
            order by s.session_id limit 2
            """,
            [last_held],
        ).fetchall()
        assert len(sessions) == 2
        (inside, inside_start, inside_end), (before, before_start, _) = sessions
        # a landing file of their own, as the loader brings whole files
        load = "'late-arrivals.ndjson'"
        copy = (
            "insert into raw.events select * replace ({id} as event_id, {ts} as client_ts, {received} as received_at, "
            f"{load} as file_name) from raw.events where event_id = (select event_id from marts.fct_user_event "
            "where session_id = '{session}' order by event_at, event_id limit 1)"
        )
        for event_id, at, session in (
            ("late-inside", inside_start + (inside_end - inside_start) / 2, inside),
            ("late-before", before_start - timedelta(minutes=10), before),
        ):
            con.execute(copy.format(id=repr(event_id), ts=f"timestamptz '{at}+00'", received=received, session=session))
        con.execute(
            f"insert into raw.events select * replace ({received} as received_at, {load} as file_name) "
            "from raw.events where event_id = (select min(event_id) from marts.fct_user_event where event_date = ?)",
            [START],
        )
        # a landing file the loader read again because it changed: a line new to a file staging already holds
        con.execute(
            f"insert into raw.events select * replace ('grown-file' as event_id, {received} as received_at, "
            "line_number + 1 as line_number) from raw.events where file_name = (select min(file_name) from "
            "staging.stg_events__events) order by line_number desc limit 1"
        )


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
    for table in INCREMENTAL:
        assert table_difference(built.paths.working_path, built.full, table) == (0, 0), table


def test_late_arrivals_join_or_start_held_sessions(built: Built) -> None:
    # the third build sessionized only its window: the first days are held as the second build left them
    window = built.rows(
        f"select count(*) from intermediate.int_user_events where event_date >= date '{START}' + {HELD_DAYS - 4}"
    )[0][0]
    assert 0 < window < built.rows("select count(*) from intermediate.int_user_events")[0][0]
    joined, started = built.rows(
        """
        select
            (select count(*) from marts.fct_user_event as e inner join marts.fct_user_event as late
                on e.session_id = late.session_id and e.event_id <> late.event_id
                where late.event_id = 'late-inside'),
            (select count(*) from marts.dim_session as s inner join marts.fct_user_event as late
                on s.session_id = late.session_id and s.started_at = late.event_at
                where late.event_id = 'late-before' and s.events >= 3)
        """
    )[0]
    assert joined >= 2 and started == 1
    # the copy delivered again is one event, dated as the first copy was
    duplicated = built.rows(
        f"select event_id, count(*), min(event_date) from marts.fct_user_event where event_id = ("
        f"select min(event_id) from marts.fct_user_event where event_date = date '{START}') group by 1"
    )
    assert [row[1:] for row in duplicated] == [(1, START)]
    # the line new to a file held before is an event too
    assert built.rows("select count(*) from marts.fct_user_event where event_id = 'grown-file'") == [(1,)]


def test_lookback_shorter_than_lateness_is_refused(built: Built) -> None:
    with pytest.raises(DbtError, match=r"events_lookback_days = 1 but \w+ needs at least 3 days"):
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


def test_the_chain_records_the_recommendations_evaluation(built: Built) -> None:
    """The chain's recs-eval step (the demo's default) leaves its figures where the users page reads them."""
    (row,) = built.rows(
        "select users_evaluated, relevant_items, hit_rate, baseline_hit_rate, ndcg, baseline_ndcg, cutoff,"
        " is_default_settings, evaluation_rank from marts.recommendation_quality"
    )
    users, relevant, hit_rate, baseline_hit_rate, ndcg, baseline_ndcg, cutoff, default, rank = row
    assert users > 0 and relevant >= users  # every evaluated user has a relevant held-out rating
    assert 0 <= hit_rate <= 1 and 0 <= baseline_hit_rate <= 1 and 0 <= ndcg <= hit_rate and 0 <= baseline_ndcg <= 1
    assert baseline_hit_rate > 0  # popularity finds some of them
    assert (cutoff, default, rank) == (10, True, 1)
