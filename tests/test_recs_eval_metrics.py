"""The offline evaluation's metrics (`pipelines/events/evaluate.py`), hand-computed on a tiny split."""

from __future__ import annotations

import math

import duckdb
import pytest

from pipelines.events.evaluate import score


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
