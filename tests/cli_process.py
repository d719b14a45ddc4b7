"""`tmdb-warehouse` in a child process, as a user runs it: the tests' one way to run the console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def tmdb_warehouse(*args: str, cwd: Path = REPO, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    """The console script's code in a child process, in `cwd`, with no TMDB_* variable but those given."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TMDB_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
