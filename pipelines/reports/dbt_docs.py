"""dbt's documentation site next to the reports: ``dbt docs generate --static`` writes one self-contained
``target/static_index.html`` (manifest and catalog inlined), which is copied to ``<site>/dbt-docs/index.html``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

STATIC_INDEX = "static_index.html"
SITE_FOLDER = "dbt-docs"


class DbtDocsError(RuntimeError):
    pass


def generate_dbt_docs(project_dir: Path, duckdb_path: Path, target_dir: Path) -> Path:
    """Run ``dbt docs generate --static`` on ``duckdb_path``; returns the target folder holding the page.

    Run in a subprocess: dbt opens the DuckDB file read-write, which DuckDB refuses in a process that also
    holds it read-only (the report builder does, right after).
    """
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt) if dbt.exists() else shutil.which("dbt") or "dbt",
        "docs",
        "generate",
        "--static",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target_dir.resolve()),
    ]
    env = {**os.environ, "TMDB_DUCKDB_PATH": str(duckdb_path.resolve())}
    completed = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-15:])
        raise DbtDocsError(f"dbt docs generate --static failed (exit {completed.returncode}):\n{tail}")
    return target_dir


def copy_dbt_docs(target_dir: Path, out_dir: Path) -> Path:
    source = target_dir / STATIC_INDEX
    if not source.is_file():
        raise DbtDocsError(f"{source} not found: run `dbt docs generate --static` first (or pass --with-dbt-docs)")
    destination = out_dir / SITE_FOLDER / "index.html"
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    return destination
