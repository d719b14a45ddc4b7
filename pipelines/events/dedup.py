"""One copy of each event per dlt run, before dlt sees the rows.

`raw.events` is merged with dlt's `insert-only` strategy (a MERGE inserting the staged rows whose `event_id` the
table lacks): cheaper than `delete-insert`, which deletes every staged id from the table and re-inserts the staged
rows deduplicated. But a MERGE inserts every staged row without a match, so two copies of one event staged in the
same run would both land. `FirstCopies` drops them: of the copies inside one Arrow table it keeps the earliest
received (then file name, line number: the order `stg_events__events` keeps), of copies in different tables of the
run the one seen first (files are read oldest first). Across runs the table keeps the copy loaded first.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

KEY = "event_id"
EARLIEST_FIRST = [
    (KEY, "ascending"),
    ("received_at", "ascending"),
    ("file_name", "ascending"),
    ("line_number", "ascending"),
]


class FirstCopies:
    """Filters the `events` tables of one dlt run to event ids not seen before in it, one row each."""

    def __init__(self) -> None:
        self._seen: list[pa.Array] = []

    def __call__(self, table: pa.Table) -> pa.Table:
        ids = table[KEY].combine_chunks()
        keep = _earliest_per_id(table, ids)
        if self._seen:  # the run's earlier ids probed against this table's (hashing all of them costs more)
            seen = pa.concat_arrays(self._seen)
            again = seen.filter(pc.is_in(seen, value_set=ids))
            if len(again):
                keep &= ~pc.is_in(ids, value_set=again).to_numpy(zero_copy_only=False)
        self._seen.append(ids)
        return table if keep.all() else table.filter(pa.array(keep))


def _earliest_per_id(table: pa.Table, ids: pa.Array) -> np.ndarray:
    """Which rows of `table` to keep: one per event id, the earliest received copy (copies are rare: only they are
    sorted)."""
    keep = np.ones(table.num_rows, dtype=bool)
    counts = pc.value_counts(ids)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    if not len(repeated):
        return keep
    rows = np.flatnonzero(pc.is_in(ids, value_set=repeated).to_numpy(zero_copy_only=False))
    copies = table.select([key for key, _ in EARLIEST_FIRST]).take(rows).append_column("row", pa.array(rows))
    copies = copies.sort_by(EARLIEST_FIRST)
    copy_ids = copies[KEY].combine_chunks()
    later = pa.concat_arrays([pa.array([False]), pc.equal(copy_ids[1:], copy_ids[:-1])])
    keep[copies["row"].filter(later).to_numpy()] = False
    return keep
