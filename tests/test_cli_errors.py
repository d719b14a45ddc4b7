"""`tmdb-warehouse` as a new user meets it: each piece runs alone with its defaults, and every user-facing error is
one line (what, where, how to fix) with a documented exit code, and no traceback unless `-v`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import create_quality_warehouse


def tmdb_warehouse(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The console script's code in a child process, in `cwd`, with no TMDB_* variable but those given."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TMDB_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_quality_runs_alone_with_the_default_site_folder(tmp_path: Path) -> None:
    (tmp_path / "warehouse").mkdir()
    create_quality_warehouse(tmp_path / "warehouse" / "tmdb.duckdb")  # the default warehouse path, from the cwd

    result = tmdb_warehouse("quality", cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("quality: score 100.0/100")
    assert f"data docs: {tmp_path / 'site' / 'quality' / 'index.html'}" in result.stdout
    assert (tmp_path / "site" / "quality" / "index.html").is_file()
