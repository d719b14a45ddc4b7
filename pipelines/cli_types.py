"""What the command-line interfaces share: argparse types (a bad value is one line naming the option), the
--duckdb-path option and the one-line error exit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from pipelines.settings import DEFAULT_DUCKDB_PATH, DUCKDB_PATH_ENV


def at_least(minimum: int, meaning: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number of at least `minimum` (`meaning` follows "or more" in the error)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more{meaning}, not {number}")
        return number

    return parse


def add_duckdb_path(parser: argparse.ArgumentParser, then: str = "", what: str = "the published warehouse") -> None:
    """--duckdb-path: `what` (the published file by default: $TMDB_DUCKDB_PATH or warehouse/tmdb.duckdb, as
    `Paths.from_env` resolves it), `then` saying what the command does with it."""
    default = f"default: ${DUCKDB_PATH_ENV} or {DEFAULT_DUCKDB_PATH}"
    parser.add_argument("--duckdb-path", help=f"{what} ({default})" + (f"; {then}" if then else ""))


def fail(message: object, status: int = 2) -> int:
    """Print `message` as the one `error: ...` line on stderr and return the exit status (2: refused or
    misconfigured, as the subcommands document)."""
    print(f"error: {message}", file=sys.stderr)
    return status
