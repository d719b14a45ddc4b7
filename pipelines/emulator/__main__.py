"""``python -m pipelines.emulator [options]``: serve the TMDB emulator in the foreground."""

from __future__ import annotations

import argparse
import sys

from pipelines.emulator.cli import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.emulator", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
