"""The folder a benchmark writes its warehouses to, and the options naming the synthetic history it generates."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def add_history_arguments(parser: argparse.ArgumentParser, movies: int, days: int, days_help: str) -> None:
    """--movies (per day) and --days (of history) of the synthetic data, and --workdir (see bench_workdir)."""
    parser.add_argument("--movies", type=int, default=movies, help=f"movies per day ({movies:,})")
    parser.add_argument("--days", type=int, default=days, help=f"{days_help} ({days})")
    parser.add_argument("--workdir", type=Path, help="where the files go; kept (default: a temporary folder)")


@contextmanager
def bench_workdir(given: Path | None, prefix: str) -> Iterator[Path]:
    """`given` (created if missing, kept afterwards, so a later run can reuse what is there), else a temporary
    folder named `prefix`..., removed at the end whatever happens."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given.resolve()
        return
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
