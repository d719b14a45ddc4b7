"""`make browser`, which `make test` runs first: Chromium is installed when missing and apt-get can run unattended,
else the target fails at once with one line saying what to run. Run with a PATH of stand-ins (no real apt-get,
sudo or chromium is touched): `id` says who we are, `apt-get` logs its arguments and "installs" a chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HINT = "Chromium is missing: run `sudo apt-get install chromium` (Debian/Ubuntu) or set TMDB_CHROMIUM=/path/to/chrome"


def _script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def make_browser(
    tmp_path: Path, *, uid: int, apt: str | None = None, sudo: bool = False, chromium: bool = False, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run `make -s browser` with only stand-ins on PATH; `apt` is None (no apt-get), "ok" or "fail"."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    for tool in ("env", "true"):
        os.symlink(f"/usr/bin/{tool}", bin_dir / tool)
    _script(bin_dir / "id", f"echo {uid}")
    if apt is not None:
        install = f': > "{bin_dir}/chromium"; /bin/chmod +x "{bin_dir}/chromium"' if apt == "ok" else "exit 100"
        _script(
            bin_dir / "apt-get",
            f'echo "$(id -u) $DEBIAN_FRONTEND $*" >> "{log}"\ncase "$1" in install) {install};; esac',
        )
    if sudo:
        _script(bin_dir / "sudo", '[ "$1" = -n ] && shift; exec "$@"')
    if chromium:
        _script(bin_dir / "chromium", "exit 0")
    result = subprocess.run(
        ["/usr/bin/make", "-s", "-C", str(REPO), "browser"],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return result, calls


def first_line(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stderr.splitlines() or [""])[0]


@pytest.mark.parametrize(
    ("case", "uid", "apt", "sudo"),
    [
        ("root without apt-get", 0, None, False),
        ("a user without sudo", 1000, "ok", False),
        ("apt-get failing", 0, "fail", False),
    ],
)
def test_missing_chromium_that_cannot_be_installed_fails_at_once_with_one_line(
    tmp_path: Path, case: str, uid: int, apt: str | None, sudo: bool
) -> None:
    result, calls = make_browser(tmp_path, uid=uid, apt=apt, sudo=sudo)
    assert result.returncode == 2, case
    lines = [line for line in result.stderr.splitlines() if not line.startswith(("make:", "make["))]
    assert lines[-1] == HINT, (case, result.stderr)
    assert len([line for line in lines if "installing" not in line]) == 1, (case, result.stderr)
    if apt == "ok":
        assert calls == [], case  # never tried without the rights to


def test_missing_chromium_is_installed_with_apt_get_as_root(tmp_path: Path) -> None:
    result, calls = make_browser(tmp_path, uid=0, apt="ok")
    assert result.returncode == 0, result.stderr
    assert calls[0] == "0  update -qq"
    assert calls[1] == "0 noninteractive install -y -qq --no-install-recommends chromium"
    assert (tmp_path / "bin" / "chromium").is_file()


def test_missing_chromium_is_installed_through_passwordless_sudo(tmp_path: Path) -> None:
    result, calls = make_browser(tmp_path, uid=1000, apt="ok", sudo=True)
    assert result.returncode == 0, result.stderr
    assert [call.split(" ", 1)[1].strip() for call in calls] == [
        "update -qq",
        "noninteractive install -y -qq --no-install-recommends chromium",
    ]


def test_present_chromium_installs_nothing(tmp_path: Path) -> None:
    result, calls = make_browser(tmp_path, uid=1000, apt="ok", chromium=True)
    assert (result.returncode, result.stdout, result.stderr, calls) == (0, "", "", [])


def test_tmdb_chromium_must_name_an_executable(tmp_path: Path) -> None:
    result, calls = make_browser(tmp_path, uid=0, apt="ok", TMDB_CHROMIUM=str(tmp_path / "nowhere"))
    assert result.returncode == 2 and calls == []
    assert first_line(result).startswith(f"TMDB_CHROMIUM={tmp_path / 'nowhere'} is not an executable file")


def test_the_browser_fixture_fails_with_the_same_one_line_when_chromium_is_missing(tmp_path: Path) -> None:
    (tmp_path / "test_needs_chromium.py").write_text("def test_page(chromium):\n    pass\n", encoding="utf-8")
    env = {**os.environ, "TMDB_CHROMIUM": str(tmp_path / "no-chromium"), "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout
    assert HINT in result.stdout.splitlines(), result.stdout
    assert "Traceback" not in result.stdout and "conftest.py:" not in result.stdout, result.stdout
