"""Write-audit-publish: readers of the published copy never block a run and never see a state that failed its
audit; a publish killed at any moment leaves the old or the new file, never a broken one."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import jinja2
import pytest
import yaml

from pipelines.publish import temp_path
from pipelines.publish.atomic_file import atomic_copy
from pipelines.publish.log import rows as publish_log
from pipelines.settings import Paths, working_duckdb_path

REPO = Path(__file__).resolve().parents[1]
DATES = "2017-01-20..2017-01-21"
# A reader in another process: answers one query a line, reconnects on "reconnect".
READER = """
import sys, duckdb
path = sys.argv[1]
con = duckdb.connect(path, read_only=True)
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "reconnect":
        con.close()
        con = duckdb.connect(path, read_only=True)
        print("ok", flush=True)
    else:
        print(con.execute(line).fetchone()[0], flush=True)
"""


def _env(pipelines_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "OLLAMA_"))}
    env["TMDB_PIPELINES_DIR"] = str(pipelines_dir)
    return env


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _profile_path(target: str, env: dict[str, str]) -> str:
    """profiles.yml's path for `target`, rendered with dbt's env_var semantics (a default, else the variable)."""
    profile = yaml.safe_load((REPO / "profiles.yml").read_text(encoding="utf-8"))
    template = profile["tmdb_warehouse"]["outputs"][target]["path"]

    def env_var(name: str, default: str | None = None) -> str:
        return env.get(name, default)  # type: ignore[return-value]

    return jinja2.Template(template).render(env_var=env_var)


@pytest.mark.parametrize("published", ["warehouse/tmdb.duckdb", "/data/x/tmdb.duckdb", "tmdb.duckdb", "a/b/c/w.duckdb"])
def test_profiles_yml_derives_the_working_copy_as_settings_does(published):
    derived = working_duckdb_path(Path(published))
    assert derived.name == Path(published).name  # dbt-duckdb names the database after it
    assert Path(_profile_path("dev", {"TMDB_DUCKDB_PATH": published})) == derived
    assert Path(_profile_path("published", {"TMDB_DUCKDB_PATH": published})) == Path(published)
    override = {"TMDB_DUCKDB_PATH": published, "TMDB_WORKING_DUCKDB_PATH": "/elsewhere/tmdb.duckdb"}
    assert _profile_path("dev", override) == "/elsewhere/tmdb.duckdb"
    assert Path(_profile_path("dev", {})) == working_duckdb_path(Path("warehouse/tmdb.duckdb"))


def test_an_override_with_another_file_name_is_refused(monkeypatch):
    monkeypatch.setenv("TMDB_WORKING_DUCKDB_PATH", "/tmp/other.duckdb")
    with pytest.raises(ValueError, match="must keep the published file's name"):
        Paths.from_env("warehouse/tmdb.duckdb")
    monkeypatch.setenv("TMDB_WORKING_DUCKDB_PATH", "/tmp/scratch/tmdb.duckdb")
    assert Paths.from_env("warehouse/tmdb.duckdb").working_path == Path("/tmp/scratch/tmdb.duckdb")


BIG_ROWS = 20_000_000
BIG_SUM = BIG_ROWS * (BIG_ROWS - 1) // 2


def _marker(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        version = con.execute("select version from marker").fetchone()[0]
        if version == 2:  # the new file is whole: its big table is all there
            assert con.execute("select count(*), sum(i) from big").fetchone() == (BIG_ROWS, BIG_SUM)
        return version


def test_a_publish_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path):
    paths = Paths(duckdb_path=tmp_path / "tmdb.duckdb", pipelines_dir=None)
    paths.working_path.parent.mkdir()
    with duckdb.connect(str(paths.working_path)) as con:
        con.execute("create table marker as select 1 as version")
    atomic_copy(paths.working_path, paths.duckdb_path)  # the old published file: version 1
    with duckdb.connect(str(paths.working_path)) as con:
        con.execute("update marker set version = 2")
        con.execute(f"create table big as select i, hash(i) as h from range({BIG_ROWS}) t(i)")
    started = time.monotonic()
    atomic_copy(paths.working_path, tmp_path / "timing.duckdb")
    copy_s = time.monotonic() - started
    command = [
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from pipelines.publish.atomic_file import atomic_copy\n"
        "print('go', flush=True); atomic_copy(Path(sys.argv[1]), Path(sys.argv[2]))",
        str(paths.working_path),
        str(paths.duckdb_path),
    ]
    seen, left_behind = set(), 0
    for fraction in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.5):
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
        assert process.stdout and process.stdout.readline().strip() == "go"
        time.sleep(fraction * copy_s)
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen.add(_marker(paths.duckdb_path))
        left_behind += temp_path(paths.duckdb_path).exists()

    assert seen <= {1, 2}
    # the next publish removes what a killed one left and ends as an uninterrupted publish does
    subprocess.run(command, cwd=REPO, check=True, timeout=300)
    assert not temp_path(paths.duckdb_path).exists()
    assert _marker(paths.duckdb_path) == 2
    assert _sha(paths.duckdb_path) == _sha(paths.working_path)
    print(f"copy {copy_s:.2f}s; versions seen after kills: {sorted(seen)}; temp copies left behind: {left_behind}")


# --- the chain: one warehouse built once, then runs with a reader, a hand-run dbt build, a failed audit ---


def _cli(*args: str, published: Path, pipelines_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args, "--duckdb-path", str(published)],
        cwd=REPO,
        env=_env(pipelines_dir),
        capture_output=True,
        text=True,
        timeout=1200,
    )


def _chain(published: Path, pipelines_dir: Path) -> subprocess.CompletedProcess[str]:
    return _cli(
        "run",
        *("--source", "emulator", "--dates", DATES, "--top-n", "40", "--rate-limit", "1000", "--moods-provider", "off"),
        *("--site-dir", str(published.parent / "site")),
        published=published,
        pipelines_dir=pipelines_dir,
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    root = tmp_path_factory.mktemp("wap")
    paths = Paths(duckdb_path=root / "tmdb.duckdb", pipelines_dir=str(root / "dlt"))
    first = _chain(paths.duckdb_path, Path(paths.pipelines_dir))
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    return paths


def _published_runs(paths: Paths) -> int:
    return len(publish_log(paths.duckdb_path))


@pytest.mark.slow
def test_a_reader_holding_the_published_copy_never_stops_a_run(warehouse: Paths):
    assert [row[1] for row in publish_log(warehouse.duckdb_path)] == ["published"]
    assert os.stat(warehouse.duckdb_path).st_mode & 0o222 == 0  # published read-only
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse.duckdb_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin and reader.stdout

    def ask(line: str) -> str:
        reader.stdin.write(line + "\n")
        reader.stdin.flush()
        return reader.stdout.readline().strip()

    try:
        assert reader.stdout.readline().strip() == "ready"
        assert ask("select count(*) from quality.publish_log") == "1"
        second = _chain(warehouse.duckdb_path, Path(warehouse.pipelines_dir))
        assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
        assert "[publish] published" in second.stdout
        # the reader still has the file it opened; reconnecting opens the new one
        assert ask("select count(*) from quality.publish_log") == "1"
        assert ask("reconnect") == "ok"
        assert ask("select count(*) from quality.publish_log") == "2"
    finally:
        reader.kill()
        reader.wait()


@pytest.mark.slow
def test_publish_after_a_hand_run_dbt_build(warehouse: Paths):
    before, published_sha = _published_runs(warehouse), _sha(warehouse.duckdb_path)
    dbt = Path(sys.executable).with_name("dbt")
    env = {**_env(Path(warehouse.pipelines_dir)), "TMDB_DUCKDB_PATH": str(warehouse.duckdb_path)}
    hand_run = subprocess.run(
        [str(dbt), "build", "--select", "dim_date", "--vars", "{moods_provider: 'off'}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert hand_run.returncode == 0, hand_run.stdout[-3000:]
    assert _sha(warehouse.duckdb_path) == published_sha  # dbt acted on the working copy

    result = _cli("publish", published=warehouse.duckdb_path, pipelines_dir=Path(warehouse.pipelines_dir))

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"published {warehouse.duckdb_path}" in result.stdout
    assert _published_runs(warehouse) == before + 1
    assert _sha(warehouse.duckdb_path) == _sha(warehouse.working_path)


@pytest.mark.slow
def test_a_failed_audit_keeps_the_published_copy(warehouse: Paths):
    published_sha = _sha(warehouse.duckdb_path)
    with duckdb.connect(str(warehouse.working_path)) as con:  # one of our invariants broken: a grain duplicated
        con.execute("insert into raw.movie_status select * from raw.movie_status limit 1")

    result = _cli("publish", published=warehouse.duckdb_path, pipelines_dir=Path(warehouse.pipelines_dir))

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: audit failed: ") and "not published" in last, last
    assert str(warehouse.working_path) in last and "tmdb-warehouse publish" in last
    assert _sha(warehouse.duckdb_path) == published_sha
    outcomes = [row[1] for row in publish_log(warehouse.working_path)]
    assert outcomes[-1] == "blocked"
    assert "blocked" not in [row[1] for row in publish_log(warehouse.duckdb_path)]
