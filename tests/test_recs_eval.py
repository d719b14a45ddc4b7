"""The offline evaluation of the recommendations (`pipelines/events/evaluate.py`): its metrics, hand-computed on a
tiny split, and the record the chain's recs-eval step keeps."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from pipelines.events.evaluate import RecsEvaluation, record_evaluation, score
from pipelines.settings import Paths


def test_hit_rate_and_ndcg_at_10() -> None:
    con = duckdb.connect()
    # u1 held out movies 1 and 2, u2 movie 3, u3 movie 4
    con.execute(
        "create table split as select * from (values ('u1', 1), ('u1', 2), ('u2', 3), ('u3', 4)) t(user_id, movie_id)"
    )
    con.execute(
        """
        create table recs as select * from (values
            ('u1', 1, 1), ('u1', 9, 2), ('u1', 2, 3),  -- both of u1's, at ranks 1 and 3
            ('u2', 8, 1), ('u2', 3, 2),                -- u2's at rank 2
            ('u3', 4, 11)                              -- u3's at rank 11: beyond the cutoff of 10, no hit
        ) t(user_id, movie_id, recommendation_rank)
        """
    )
    users, hit_rate, ndcg = score(con, "recs")
    assert users == 3
    assert hit_rate == pytest.approx(2 / 3)
    u1 = (1 / math.log2(2) + 1 / math.log2(4)) / (1 / math.log2(2) + 1 / math.log2(3))
    u2 = (1 / math.log2(3)) / 1
    assert ndcg == pytest.approx((u1 + u2 + 0) / 3)


def test_an_evaluation_is_recorded_with_every_column(tmp_path: Path) -> None:
    """Appended, one row per evaluation, with `settings` a column even when NULL (the defaults): dlt creates no
    column for a None value unless told, and the staging model reads it."""
    paths = Paths(duckdb_path=tmp_path / "tmdb.duckdb", pipelines_dir=str(tmp_path / "dlt"))
    result = RecsEvaluation(users=3, relevant=4, hit_rate=0.5, ndcg=0.25, baseline_hit_rate=0.4, baseline_ndcg=0.2)
    record_evaluation(result, paths)
    record_evaluation(result, paths, settings={"recs_cf_weight": 0.6})
    with duckdb.connect(str(paths.working_path), read_only=True) as con:
        rows = con.execute(
            "select users, relevant, hit_rate, ndcg, baseline_hit_rate, baseline_ndcg, cutoff, relevant_min_rating,"
            " settings from raw.recs_evaluations order by evaluated_at"
        ).fetchall()
    assert rows == [
        (3, 4, 0.5, 0.25, 0.4, 0.2, 10, 3.5, None),
        (3, 4, 0.5, 0.25, 0.4, 0.2, 10, 3.5, '{"recs_cf_weight": 0.6}'),
    ]
