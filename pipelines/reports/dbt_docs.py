"""dbt's documentation site next to the reports, as one self-contained page in ``<site>/dbt-docs/index.html``.

``dbt docs generate --static`` writes it as ``target/static_index.html``: dbt's ``index.html`` with
``manifest.json`` and ``catalog.json`` inlined where the page holds ``"MANIFEST.JSON INLINE DATA"`` and
``"CATALOG.JSON INLINE DATA"`` (dbt-core, task/docs/generate.py). A plain ``dbt docs generate`` leaves the
three files, and its page fetches the JSON files, which a browser refuses from ``file://``: from those the
same inlining is done here, so either kind of generate serves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipelines.settings import DUCKDB_PATH_ENV
from pipelines.transform import READ_ONLY_TARGET

STATIC_INDEX = "static_index.html"
_MANIFEST_SLOT = '"MANIFEST.JSON INLINE DATA"'
_CATALOG_SLOT = '"CATALOG.JSON INLINE DATA"'
SITE_FOLDER = "dbt-docs"


class DbtDocsError(RuntimeError):
    pass


def generate_dbt_docs(project_dir: Path, duckdb_path: Path, target_dir: Path) -> Path:
    """Run ``dbt docs generate --static`` on ``duckdb_path`` (opened read-only, profiles.yml's target
    ``published``); returns the target folder holding the page.

    Run in a subprocess: DuckDB refuses a second connection with another configuration in one process, and the
    report builder holds the file with its own right after.
    """
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt) if dbt.exists() else shutil.which("dbt") or "dbt",
        "docs",
        "generate",
        "--static",
        "--target",
        READ_ONLY_TARGET,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target_dir.resolve()),
        "--log-path",
        str(target_dir.resolve() / "logs"),
    ]
    env = {**os.environ, DUCKDB_PATH_ENV: str(duckdb_path.resolve())}
    completed = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-15:])
        raise DbtDocsError(f"dbt docs generate --static failed (exit {completed.returncode}):\n{tail}")
    return target_dir


def static_page(target_dir: Path) -> str:
    """The self-contained docs page from dbt's target folder (the latest generate's files first)."""
    parts = {name: target_dir / name for name in ("index.html", "manifest.json", "catalog.json")}
    if all(path.is_file() for path in parts.values()):
        page = parts["index.html"].read_text(encoding="utf-8")
        if _MANIFEST_SLOT in page and _CATALOG_SLOT in page:
            page = page.replace(_MANIFEST_SLOT, parts["manifest.json"].read_text(encoding="utf-8"))
            return page.replace(_CATALOG_SLOT, parts["catalog.json"].read_text(encoding="utf-8"))
    static = target_dir / STATIC_INDEX
    if static.is_file():
        return static.read_text(encoding="utf-8")
    raise DbtDocsError(f"no dbt docs in {target_dir}: run `dbt docs generate --static` first (or pass --with-dbt-docs)")


def copy_dbt_docs(target_dir: Path, out_dir: Path) -> Path:
    destination = out_dir / SITE_FOLDER / "index.html"
    page = static_page(target_dir)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(page, encoding="utf-8")
    return destination
