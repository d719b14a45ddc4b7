"""CPU per line of the two ways a landing file is parsed: `python -m bench.events_parse --landing DIR`.

Every file of the folder (e.g. the input `bench.events_load` or `bench.events_steps` made) is parsed by
`parse.parse_file` twice, alternating file by file: through Arrow's reader first (`fast.py`, whatever the file's
size) and line by line (`schema.validate` only), gzip included, timed with `time.process_time`; printed per file
size (decompressed), the size below which `parse.FAST_MIN_BYTES` keeps files on the per-line path. Both results are
compared too: a difference is a bug.
"""

from __future__ import annotations

import argparse
import gzip
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from pipelines.events.parse import FAST_MIN_BYTES, parse_file

FAST, PER_LINE = 0, 1 << 40  # `fast_min_bytes`


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--landing", type=Path, required=True, help="a folder of landing files")
    args = parser.parse_args()
    modified, loads = datetime.now(UTC), [os.getloadavg()[0]]
    sizes, lines, fast, per_line = [], [], [], []
    differ = 0
    for path in sorted(args.landing.rglob("*.ndjson*")):
        data = path.read_bytes()
        text = gzip.decompress(data) if path.suffix == ".gz" else data
        sizes.append(len(text))
        lines.append(text.count(b"\n"))
        results = []
        for min_bytes, spent in ((FAST, fast), (PER_LINE, per_line)):
            started = time.process_time()
            results.append(parse_file(path.name, modified, data, fast_min_bytes=min_bytes))
            spent.append(time.process_time() - started)
        for got, want in zip(*results, strict=True):
            if (got is None) != (want is None) or (
                got is not None and got.sort_by("line_number") != want.sort_by("line_number")
            ):
                differ += 1
        loads.append(os.getloadavg()[0])
    order = np.argsort(sizes)
    print(f"{len(sizes):,} files, {sum(lines):,} lines; files whose results differ: {differ}")
    for part in np.array_split(order, min(6, len(order))):
        n = sum(lines[i] for i in part)
        print(
            f"files of {sizes[part[0]] / 1e3:7.0f} to {sizes[part[-1]] / 1e3:7.0f} kB: Arrow first "
            f"{sum(fast[i] for i in part) / n * 1e6:5.2f} us a line, line by line "
            f"{sum(per_line[i] for i in part) / n * 1e6:5.2f} us a line"
        )
    total = sum(lines)
    print(
        f"all: Arrow first {sum(fast) / total * 1e6:.2f} us a line, line by line {sum(per_line) / total * 1e6:.2f}; "
        f"files under {FAST_MIN_BYTES >> 10} KB are parsed line by line by the loader; "
        f"1-min load average {min(loads):.1f} to {max(loads):.1f}"
    )


if __name__ == "__main__":
    main()
