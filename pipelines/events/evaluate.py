"""`tmdb-warehouse recs-eval`: the recommendations evaluated offline by a time split.

A copy of the published warehouse is rebuilt with dbt var `recs_holdout` (int_user_events then drops, for every
user who rated on two days or more, the events from the last such day on) and `user_recommendations` computed
from what is left. The held-out day's ratings of 3.5 or more, of movies the user had not touched before, are the
relevant items. Hit rate@10 (share of users with a relevant movie in their 10) and NDCG@10 (binary relevance) are
compared with a popularity baseline on the same split: the 10 movies most users touched before the split, minus
the user's own. The published warehouse is only read.

`record_evaluation` appends the figures to `raw.recs_evaluations` (dlt) of a working copy: the chain's `recs-eval`
step (`tmdb-warehouse run --recs-eval`, the demo) does so, and `marts.recommendation_quality` and the users page
show them.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.ingest import make_pipeline
from pipelines.settings import Paths
from pipelines.transform import dbt_build

RELEVANT_MIN_RATING = 3.5
CUTOFF = 10
# the models the held-out copy rebuilds: everything between the sessionized events and the recommendations
HOLDOUT_SELECTOR = "int_user_events+,+user_recommendations"
EVALUATIONS_PIPELINE = "recs_evaluations"
EVALUATIONS_TABLE = "recs_evaluations"  # in raw; source evaluations.recs_evaluations
# every column declared: dlt creates none for a value that is None (`settings` with the defaults)
_EVALUATION_COLUMNS = {
    "evaluated_at": {"data_type": "timestamp"},
    **{name: {"data_type": "bigint"} for name in ("users", "relevant", "cutoff")},
    **{
        name: {"data_type": "double"}
        for name in ("hit_rate", "ndcg", "baseline_hit_rate", "baseline_ndcg", "relevant_min_rating")
    },
    "settings": {"data_type": "text", "nullable": True},
}

_SPLIT_SQL = f"""
create temp table split as
with rates as (
    select user_id, movie_id, rating, event_at, event_id from heldout.marts.fct_user_event where event_type = 'rate'
),
cutoffs as (
    select user_id, max(cast(event_at as date)) as holdout_from from rates
    group by user_id having count(distinct cast(event_at as date)) >= 2
),
held as (
    select rates.user_id, rates.movie_id, arg_max(rates.rating, (rates.event_at, rates.event_id)) as rating
    from rates inner join cutoffs on rates.user_id = cutoffs.user_id
    where cast(rates.event_at as date) >= cutoffs.holdout_from
    group by rates.user_id, rates.movie_id
)
select held.user_id, held.movie_id
from held
anti join intermediate.int_user_movie_interactions as seen
    on held.user_id = seen.user_id and held.movie_id = seen.movie_id
where held.rating >= {RELEVANT_MIN_RATING}
"""

_POPULARITY_SQL = f"""
create temp table popularity_recs as
with ranked_movies as (
    select seen.movie_id, count(*) as users
    from intermediate.int_user_movie_interactions as seen
    inner join marts.dim_movie as movies on seen.movie_id = movies.movie_id and not movies.is_deleted
    group by seen.movie_id
    order by users desc, seen.movie_id
    limit 500
),
candidates as (
    select users.user_id, ranked_movies.movie_id, ranked_movies.users
    from (select distinct user_id from split) as users cross join ranked_movies
    anti join intermediate.int_user_movie_interactions as seen
        on users.user_id = seen.user_id and ranked_movies.movie_id = seen.movie_id
)
select user_id, movie_id, row_number() over (partition by user_id order by users desc, movie_id) as recommendation_rank
from candidates
qualify recommendation_rank <= {CUTOFF}
"""

# hit rate and NDCG@10 of a table of (user_id, movie_id, recommendation_rank) against `split`
_SCORE_SQL = f"""
with users as (
    select user_id, count(*) as relevant from split group by user_id
),
hits as (
    select recs.user_id, sum(1 / log2(recs.recommendation_rank + 1)) as dcg, count(*) as hits
    from {{table}} as recs inner join split on recs.user_id = split.user_id and recs.movie_id = split.movie_id
    where recs.recommendation_rank <= {CUTOFF}
    group by recs.user_id
),
ideal as (
    select users.user_id, sum(1 / log2(i + 1)) as idcg
    from users, range(1, {CUTOFF} + 1) as positions(i)
    where i <= users.relevant
    group by users.user_id
)
select
    count(*) as users,
    avg(case when hits.hits > 0 then 1.0 else 0.0 end) as hit_rate,
    avg(coalesce(hits.dcg, 0) / ideal.idcg) as ndcg,
from users
inner join ideal on users.user_id = ideal.user_id
left join hits on users.user_id = hits.user_id
"""


@dataclass(frozen=True)
class RecsEvaluation:
    users: int
    relevant: int
    hit_rate: float
    ndcg: float
    baseline_hit_rate: float
    baseline_ndcg: float

    def lines(self) -> list[str]:
        return [
            f"time split: {self.users} users evaluated (their last day with ratings held out; "
            f"{self.relevant} held-out ratings >= {RELEVANT_MIN_RATING} of movies not touched before)",
            f"user_recommendations: hit rate@{CUTOFF} {self.hit_rate:.3f}, NDCG@{CUTOFF} {self.ndcg:.3f}",
            f"popularity baseline:  hit rate@{CUTOFF} {self.baseline_hit_rate:.3f}, "
            f"NDCG@{CUTOFF} {self.baseline_ndcg:.3f}",
            f"ratio to the baseline: hit rate {_ratio(self.hit_rate, self.baseline_hit_rate)}, "
            f"NDCG {_ratio(self.ndcg, self.baseline_ndcg)}",
        ]

    def as_json(self) -> str:
        return json.dumps(asdict(self))


def score(con: duckdb.DuckDBPyConnection, recommendations: str) -> tuple[int, float | None, float | None]:
    """(users, hit rate@10, NDCG@10) of table `recommendations` (user_id, movie_id, recommendation_rank) against
    the relevant items of table `split` (user_id, movie_id) on `con`; the rates are NULL when `split` is empty."""
    return con.execute(_SCORE_SQL.format(table=recommendations)).fetchone()


def _ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x" if baseline else "n/a"


def evaluate_recommendations(
    published: Path, work_dir: Path | None = None, dbt_vars: dict[str, object] | None = None
) -> RecsEvaluation:
    """Build the held-out copy of `published` in a temporary folder and score it (the folder is removed).
    `dbt_vars` override the model's vars (recs_* weights and sizes) for the copy, to compare settings."""
    with tempfile.TemporaryDirectory(prefix="recs-eval-", dir=work_dir) as folder:
        copy = Path(folder) / published.name  # the same name: dbt-duckdb's views name the database after it
        shutil.copyfile(published, copy)
        dbt_build(
            copy,
            select=HOLDOUT_SELECTOR,
            vars={**(dbt_vars or {}), "recs_holdout": True, "moods_provider": "off"},
            target_path=Path(folder) / "target",
        )
        with duckdb.connect(str(copy)) as con:
            con.execute(f"attach '{published}' as heldout (read_only)")
            con.execute(_SPLIT_SQL)
            con.execute(_POPULARITY_SQL)
            users, hit_rate, ndcg = score(con, "marts.user_recommendations")
            _, baseline_hit, baseline_ndcg = score(con, "popularity_recs")
            relevant = con.execute("select count(*) from split").fetchone()[0]
    return RecsEvaluation(
        users=users,
        relevant=relevant,
        hit_rate=float(hit_rate or 0),
        ndcg=float(ndcg or 0),
        baseline_hit_rate=float(baseline_hit or 0),
        baseline_ndcg=float(baseline_ndcg or 0),
    )


def record_evaluation(result: RecsEvaluation, paths: Paths, settings: dict[str, object] | None = None) -> None:
    """Append `result` (and the dbt vars it was evaluated with, if any) as one row of `raw.recs_evaluations` in
    the working copy of `paths`."""
    row = {
        "evaluated_at": datetime.now(UTC),
        **asdict(result),
        "cutoff": CUTOFF,
        "relevant_min_rating": RELEVANT_MIN_RATING,
        "settings": json.dumps(settings, sort_keys=True) if settings else None,
    }
    pipeline = make_pipeline(paths, EVALUATIONS_PIPELINE)
    pipeline.run([row], table_name=EVALUATIONS_TABLE, write_disposition="append", columns=_EVALUATION_COLUMNS)
