"""argparse types shared by the command-line interfaces: a bad value is one line naming the option."""

from __future__ import annotations

import argparse
from collections.abc import Callable


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
