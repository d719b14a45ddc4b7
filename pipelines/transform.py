"""The dbt layer, run from Python: `dbt build` and `dbt docs generate` on a warehouse file.

Both call dbt in-process through its programmatic entry point (`dbt.cli.main.dbtRunner`), with the project
and profiles.yml at the repo root. `dbt build` writes the file it is given (the working copy, in the chain),
passed to profiles.yml's default target through `TMDB_WORKING_DUCKDB_PATH`; `dbt docs generate` reads the
published copy through the read-only target `published` and `TMDB_DUCKDB_PATH`. The variables are set for the
duration of the call only. Calls are serialised: dbt's in-process state (flags, adapter, the DuckDB
connection) is global.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.settings import DUCKDB_PATH_ENV, WORKING_DUCKDB_PATH_ENV

REPO_ROOT = Path(__file__).resolve().parent.parent
READ_ONLY_TARGET = "published"  # profiles.yml's target opening TMDB_DUCKDB_PATH read-only

_LOCK = threading.Lock()
_FAILED = {"error", "fail", "runtime error"}


class DbtError(RuntimeError):
    """A dbt command failed; the message is one line naming what failed (model, test, snapshot...)."""


@dataclass(frozen=True)
class DbtBuildResult:
    """What a `dbt build` did: nodes run per kind (tests = data tests + unit tests), failures, time."""

    models: int
    tests: int
    snapshots: int
    seeds: int
    failures: int
    warnings: int
    skipped: int
    elapsed_s: float

    def summary(self) -> str:
        return (
            f"dbt build: {self.models} models, {self.snapshots} snapshots, {self.seeds} seeds, "
            f"{self.tests} tests ({self.failures} failed, {self.warnings} warned, {self.skipped} skipped) "
            f"in {self.elapsed_s:.1f}s"
        )


def dbt_build(
    duckdb_path: Path,
    *,
    full_refresh: bool = False,
    select: str | None = None,
    exclude: str | None = None,
    vars: Mapping[str, Any] | None = None,  # noqa: A002 - dbt's own name for them
    project_dir: Path = REPO_ROOT,
    target_path: Path | None = None,
    quiet: bool = True,
) -> DbtBuildResult:
    """`dbt build` (seeds, models, snapshots, data and unit tests) on the warehouse at `duckdb_path`.

    `select` / `exclude` are dbt selections (e.g. "marts.momentum+"); `vars` override dbt_project.yml's vars;
    `target_path` moves dbt's target/ and logs/ (default: under project_dir). Raises DbtError with a one-line
    message naming the first node that failed; returns the counts otherwise.
    """
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    if select:
        args += ["--select", select]
    if exclude:
        args += ["--exclude", exclude]
    if vars:
        args += ["--vars", json.dumps(dict(vars), default=str)]
    started = time.monotonic()
    outcome = _invoke(args, {WORKING_DUCKDB_PATH_ENV: duckdb_path}, project_dir, target_path, quiet)
    elapsed = time.monotonic() - started
    if outcome.exception is not None and outcome.result is None:
        raise DbtError(f"dbt build failed: {_one_line(outcome.exception)}")
    results = list(getattr(outcome.result, "results", None) or [])
    counts = _count(results)
    failed = [r for r in results if str(r.status).lower() in _FAILED]
    if failed or not outcome.success:
        if failed:
            first = failed[0]
            what = f"{_node_kind(first.node)} {first.node.name}: {_one_line(first.message or first.status)}"
            if len(failed) > 1:
                what += f" (and {len(failed) - 1} more failed)"
        else:
            what = _one_line(outcome.exception) if outcome.exception else "dbt reported a failure"
        raise DbtError(f"dbt build failed: {what}")
    return DbtBuildResult(elapsed_s=elapsed, **counts)


def dbt_docs_generate(
    duckdb_path: Path,
    *,
    project_dir: Path = REPO_ROOT,
    target_path: Path | None = None,
    quiet: bool = True,
) -> Path:
    """`dbt docs generate` (manifest + catalog of the warehouse at `duckdb_path`, opened read-only: the published
    copy, which readers may hold open); returns the target directory holding index.html, manifest.json and
    catalog.json. Raises DbtError on failure."""
    args = ["docs", "generate", "--target", READ_ONLY_TARGET]
    outcome = _invoke(args, {DUCKDB_PATH_ENV: duckdb_path}, project_dir, target_path, quiet)
    if not outcome.success:
        reason = _one_line(outcome.exception) if outcome.exception else "catalog generation failed"
        raise DbtError(f"dbt docs generate failed: {reason}")
    return _target_dir(project_dir, target_path)


def _target_dir(project_dir: Path, target_path: Path | None) -> Path:
    return Path(target_path) if target_path else Path(project_dir) / "target"


def _invoke(
    args: list[str], paths: Mapping[str, Path], project_dir: Path, target_path: Path | None, quiet: bool
) -> Any:
    from dbt.cli.main import dbtRunner

    project_dir = Path(project_dir).resolve()
    target = _target_dir(project_dir, target_path).resolve()
    log_path = target / "logs" if target_path else project_dir / "logs"
    common = [f"--project-dir={project_dir}", f"--profiles-dir={project_dir}", f"--target-path={target}"]
    common.append(f"--log-path={log_path}")
    if quiet:
        common.append("--quiet")
    with _LOCK, _warehouse_env(paths):
        try:
            return dbtRunner().invoke([*args, *common])
        finally:
            _release_duckdb()


@contextmanager
def _warehouse_env(paths: Mapping[str, Path]) -> Iterator[None]:
    """Set the profile's path variables (absolute) for one dbt call, restoring the environment afterwards."""
    previous = {name: os.environ.get(name) for name in paths}
    os.environ.update({name: str(Path(path).resolve()) for name, path in paths.items()})
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _release_duckdb() -> None:
    """Close dbt-duckdb's process-wide DuckDB instance, so the file's lock is free once the call returns
    (another process, or dlt in this one, can open it). dbt-duckdb keeps it in a class attribute."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a dependency
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        if env is not None:
            try:
                env.close()
            finally:
                DuckDBConnectionManager._ENV = None


def _node_kind(node: Any) -> str:
    kind = str(getattr(node, "resource_type", "node"))
    return {"unit_test": "unit test", "test": "test"}.get(kind, kind)


def _count(results: list[Any]) -> dict[str, int]:
    counts = {"models": 0, "tests": 0, "snapshots": 0, "seeds": 0, "failures": 0, "warnings": 0, "skipped": 0}
    kinds = {"model": "models", "test": "tests", "unit_test": "tests", "snapshot": "snapshots", "seed": "seeds"}
    for result in results:
        key = kinds.get(str(result.node.resource_type))
        if key:
            counts[key] += 1
        status = str(result.status).lower()
        if status in _FAILED:
            counts["failures"] += 1
        elif status == "warn":
            counts["warnings"] += 1
        elif status == "skipped":
            counts["skipped"] += 1
    return counts


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())[:500]
