"""Put a built site into the output folder, which other tools share (the quality run publishes its
Great Expectations data docs to ``<site>/quality/``).

The builder owns only what it wrote: the entries of its last build are listed in ``.tmdb-reports-site``;
each build replaces those and removes the ones it no longer writes, and leaves everything else alone. It
refuses to overwrite an entry it did not write (``--out .`` next to a hand-written index.html).
"""

from __future__ import annotations

import shutil
from pathlib import Path

MANIFEST = ".tmdb-reports-site"


def staging_folder(out_dir: Path) -> Path:
    """A fresh folder beside ``out_dir`` to build into, so a failed build leaves the site as it was."""
    staging = out_dir.with_name(f".{out_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def owned_entries(out_dir: Path) -> set[str]:
    manifest = out_dir / MANIFEST
    return set(manifest.read_text(encoding="utf-8").split()) if manifest.is_file() else set()


def publish(staging: Path, out_dir: Path) -> None:
    previous = owned_entries(out_dir)
    entries = sorted(path.name for path in staging.iterdir())
    conflicts = [name for name in entries if (out_dir / name).exists() and name not in previous]
    if conflicts:
        raise FileExistsError(f"refusing to overwrite {', '.join(conflicts)} in {out_dir}: not written by this command")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in entries:
        _remove(out_dir / name)
        (staging / name).rename(out_dir / name)
    for name in previous - set(entries):
        _remove(out_dir / name)
    (out_dir / MANIFEST).write_text("\n".join(entries) + "\n", encoding="utf-8")
    staging.rmdir()


def neighbour_sites(out_dir: Path) -> list[str]:
    """Folders of ``out_dir`` that other tools published a site to (an index.html the builder did not write)."""
    if not out_dir.is_dir():
        return []
    owned = owned_entries(out_dir)
    return sorted(path.name for path in out_dir.iterdir() if path.name not in owned and (path / "index.html").is_file())


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
