"""The client's pacing and its shared request pool (pipelines/tmdb/client.py), which bench-ingest's ratio rests on."""

from __future__ import annotations

import threading
import time

import pytest

from pipelines.tmdb.client import HttpSettings, TMDBClient, TokenBucket


def test_token_bucket_sends_at_most_its_rate_in_any_one_second_window():
    bucket = TokenBucket(rate=20)
    sent = []
    for _ in range(40):
        bucket.acquire()
        sent.append(time.monotonic())
        if len(sent) == 10:
            time.sleep(0.3)  # a pause: the bucket fills up to its burst, the window still caps what follows
    for i, start in enumerate(sent):
        assert sum(1 for t in sent[i:] if t - start < 1.0) <= 20


def test_callers_share_the_pool_of_concurrency_threads_and_errors_reach_their_caller():
    client = TMDBClient(HttpSettings(base_url="http://127.0.0.1:9", api_key="k", concurrency=3))
    in_flight, most = 0, 0
    lock = threading.Lock()

    def work(item: int) -> int:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        time.sleep(0.02)
        with lock:
            in_flight -= 1
        if item == -1:
            raise ValueError("bad item")
        return item * 2

    answers: dict[str, list[int]] = {}
    callers = [
        threading.Thread(target=lambda n=n: answers.__setitem__(n, client.map_concurrently(work, range(10))))
        for n in ("a", "b")
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert answers == {"a": [i * 2 for i in range(10)], "b": [i * 2 for i in range(10)]}  # in the items' order
    assert most == 3  # two callers, one pool: never more than `concurrency` in flight
    with pytest.raises(ValueError, match="bad item"):
        client.map_concurrently(work, [1, -1, 2])
    client.close()
    assert client.map_concurrently(work, [4]) == [8]  # a closed client starts a new pool
    client.close()
