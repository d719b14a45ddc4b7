"""Backups: the warehouse's history, which TMDB cannot give back, kept outside the machine (or the Actions cache).

A backup is a folder `<root>/<database>-<UTC time>/` (e.g. `tmdb-20261201T101500Z/`) under a local folder or any
fsspec URL (`s3://bucket/prefix`, S3-compatible stores through `AWS_ENDPOINT_URL`):

- `database/`: the WORKING copy exported by DuckDB (EXPORT DATABASE, parquet + zstd): raw history and dlt's own
  tables (`raw._dlt_pipeline_state` included), snapshots, marts, quality results, publish log;
- `dlt/<pipeline>/`: dlt's pipeline folders (`tmdb`, `tmdb_run_log`): state, schemas, pending load packages
  (completed packages, `load/loaded/`, are left out: their rows are in the database);
- `manifest.json`, written last: tables with row counts and checksums, files with sizes and sha256.

`backup` holds the writer lock while it exports (no run writes meanwhile), then uploads from a staging folder
beside the working copy (a local root is written in place). `restore` checks the manifest and every file's size
before touching anything, imports into a new file, verifies every table's row count and checksum, then swaps it
in as the working copy, installs dlt's folders and publishes (audited unless `audit=False`).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dlt
import duckdb
from dlt.common.pipeline import get_dlt_pipelines_dir

from pipelines.backup.database import export, import_into
from pipelines.backup.manifest import DATABASE_FOLDER, DLT_FOLDER, MANIFEST, FileEntry, Manifest, TableSum
from pipelines.backup.store import Store, open_store
from pipelines.lock import warehouse_lock
from pipelines.settings import PIPELINE_NAME, RUN_LOG_PIPELINE_NAME, Paths

__all__ = ["BackupError", "BackupInfo", "backup", "list_backups", "open_store", "restore"]

BACKUP_URL_ENV = "TMDB_BACKUP_URL"
PIPELINES = (PIPELINE_NAME, RUN_LOG_PIPELINE_NAME)
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^(?P<database>.+)-(?P<stamp>\d{8}T\d{6}Z)$")


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message is one line: what, where, what to do."""


@dataclass(frozen=True)
class BackupInfo:
    name: str
    complete: bool
    bytes: int
    manifest: Manifest | None


@dataclass
class BackupResult:
    name: str
    location: str
    manifest: Manifest
    export_s: float
    upload_s: float
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        m = self.manifest
        upload = f", upload {self.upload_s:.1f}s" if self.upload_s else ""
        kept = f"; retention removed {', '.join(self.removed)}" if self.removed else ""
        return (
            f"backup {self.location}: {len(m.tables)} tables, {m.total_rows:,} rows, {len(m.files)} files, "
            f"{m.total_bytes / 1e6:,.1f} MB in {self.export_s + self.upload_s:.1f}s (export {self.export_s:.1f}s"
            f"{upload}){kept}"
        )


@dataclass
class RestoreResult:
    name: str
    location: str
    manifest: Manifest
    download_s: float
    import_s: float
    publish_line: str

    def summary(self) -> str:
        m = self.manifest
        fetched = f"download {self.download_s:.1f}s, " if self.download_s else ""
        return (
            f"restored {self.location} (taken {m.created_at}): {len(m.tables)} tables, {m.total_rows:,} rows, "
            f"row counts and checksums verified, dlt state of {', '.join(m.dlt_pipelines) or 'no pipeline'} "
            f"({fetched}import {self.import_s:.1f}s); {self.publish_line}"
        )


def pipelines_dir(paths: Paths) -> Path:
    """dlt's pipeline folder root: $TMDB_PIPELINES_DIR, else `dlt/` beside the working copy (see `Paths`)."""
    return Path(paths.pipelines_dir or get_dlt_pipelines_dir())


def backup_name(database: str, when: datetime) -> str:
    return f"{database}-{when.astimezone(UTC).strftime(_STAMP)}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _files(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file())


def _copy_dlt_folder(source: Path, target: Path) -> None:
    """dlt's pipeline folder without its completed load packages (their rows are in the database)."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        return ["loaded"] if Path(folder).name == "load" and Path(folder).parent == source else []

    shutil.copytree(source, target, ignore=ignore)


def list_backups(store: Store) -> list[BackupInfo]:
    """The backups under the store's root, oldest first; partial ones (no manifest) included."""
    found = []
    for name in store.children():
        if not _NAME.match(name):
            continue
        sizes = store.sizes(name)
        manifest = Manifest.from_json(store.read_text(name, MANIFEST)) if MANIFEST in sizes else None
        found.append(BackupInfo(name=name, complete=manifest is not None, bytes=sum(sizes.values()), manifest=manifest))
    return sorted(found, key=lambda b: _NAME.match(b.name)["stamp"])  # type: ignore[index]


def _retain(store: Store, keep: int, newest: str) -> list[str]:
    """Keep the newest `keep` complete backups of the same database; remove older ones and partial ones older
    than `newest` (left by a backup that died)."""
    database = _NAME.match(newest)["database"]  # type: ignore[index]
    mine = [b for b in list_backups(store) if _NAME.match(b.name)["database"] == database]  # type: ignore[index]
    complete = [b.name for b in mine if b.complete]
    doomed = complete[: max(len(complete) - keep, 0)]
    doomed += [b.name for b in mine if not b.complete and b.name < newest]
    for name in sorted(doomed):
        store.remove(name)
    return sorted(doomed)


def backup(
    paths: Paths, url: str, keep: int | None = None, now: datetime | None = None, echo: Callable[[str], None] = print
) -> BackupResult:
    """Back up the working copy and dlt's pipeline folders to `url`; with `keep`, then remove the oldest backups
    beyond the newest `keep`."""
    working = paths.working_path
    if not working.is_file():
        raise BackupError(f"no working copy at {working}: nothing to back up (run `tmdb-warehouse run` first)")
    store = open_store(url)
    name = backup_name(working.stem, now or datetime.now(UTC))
    if store.exists(name):
        raise BackupError(f"{store.display(name)} already exists: wait a second and back up again")
    staging = Path(store.path(name)) if store.is_local else working.parent / f".backup-{name}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        started = time.perf_counter()
        with warehouse_lock(working, "backup", readers_path=paths.duckdb_path):
            sums, versions = export(working, staging / DATABASE_FOLDER)
            copied = []
            for pipeline in PIPELINES:
                folder = pipelines_dir(paths) / pipeline
                if folder.is_dir():
                    _copy_dlt_folder(folder, staging / DLT_FOLDER / pipeline)
                    copied.append(pipeline)
        files = [FileEntry(p.relative_to(staging).as_posix(), p.stat().st_size, _sha256(p)) for p in _files(staging)]
        export_s = time.perf_counter() - started
        echo(f"  exported {len(sums)} tables and {len(files)} files ({sum(f.bytes for f in files) / 1e6:,.1f} MB)")
        started = time.perf_counter()
        if not store.is_local:
            for entry in files:
                store.put(staging / entry.path, name, entry.path)
        manifest = Manifest(
            name=name,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            database=working.stem,
            duckdb_version=duckdb.__version__,
            dlt_version=dlt.__version__,
            source=str(working),
            schema_versions=versions,
            tables=sums,
            files=files,
            dlt_pipelines=copied,
            directories=[p.relative_to(staging).as_posix() for p in sorted(staging.rglob("*")) if p.is_dir()],
        )
        store.write_text(manifest.to_json(), name, MANIFEST)  # last: the backup is complete from here on
        upload_s = time.perf_counter() - started
    except BaseException:
        if store.is_local:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if not store.is_local:
            shutil.rmtree(staging, ignore_errors=True)
    removed = _retain(store, keep, name) if keep is not None else []
    return BackupResult(name, store.display(name), manifest, export_s, upload_s, removed)


def _choose(store: Store, name: str | None) -> Manifest:
    """The manifest of backup `name` (default: the newest complete one), after checking every file it lists is
    there with its size: BackupError in one line otherwise."""
    if name is None:
        backups = list_backups(store)
        complete = [b for b in backups if b.complete]
        if not complete:
            partial = f" ({len(backups)} partial)" if backups else ""
            raise BackupError(f"no complete backup under {store.url}{partial}: nothing to restore")
        name = complete[-1].name
    if not store.exists(name):
        raise BackupError(f"no backup {store.display(name)}: see `tmdb-warehouse backup --list --to {store.url}`")
    sizes = store.sizes(name)
    if MANIFEST not in sizes:
        raise BackupError(
            f"{store.display(name)} is a partial backup (no {MANIFEST}: it did not finish); refusing to restore it, "
            f"restore another (`tmdb-warehouse backup --list --to {store.url}`)"
        )
    manifest = Manifest.from_json(store.read_text(name, MANIFEST))
    for entry in manifest.files:
        if entry.path not in sizes:
            raise BackupError(
                f"{store.display(name)} is a partial backup: {entry.path} is missing; refusing to restore it"
            )
        if sizes[entry.path] != entry.bytes:
            raise BackupError(
                f"{store.display(name)} is a partial backup: {entry.path} has {sizes[entry.path]:,} bytes, "
                f"its manifest says {entry.bytes:,}; refusing to restore it"
            )
    return manifest


def _fetch(store: Store, manifest: Manifest, staging: Path) -> tuple[Path, float]:
    """The backup's files on local disk (downloaded into `staging` unless the store is local), sha256 checked."""
    started = time.perf_counter()
    folder = Path(store.path(manifest.name)) if store.is_local else staging / "backup"
    for entry in manifest.files:
        local = folder / entry.path
        if not store.is_local:
            store.get(local, manifest.name, entry.path)
        if _sha256(local) != entry.sha256:  # a corrupted file: the size was checked before
            raise BackupError(
                f"{store.display(manifest.name, entry.path)} does not match its manifest's sha256 (corrupted); "
                "refusing to restore it"
            )
    for directory in manifest.directories:
        (folder / directory).mkdir(parents=True, exist_ok=True)
    return folder, (0.0 if store.is_local else time.perf_counter() - started)


def _compare(expected: list[TableSum], restored: list[TableSum], same_duckdb: bool, where: str) -> None:
    want = {t.qualified: t for t in expected}
    got = {t.qualified: t for t in restored}
    if set(want) != set(got):
        missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
        raise BackupError(f"restore of {where} does not hold the tables backed up (missing {missing}, extra {extra})")
    for table, sums in want.items():
        if got[table].rows != sums.rows or (same_duckdb and got[table].checksum != sums.checksum):
            raise BackupError(
                f"restore of {where}: {table} has {got[table].rows:,} rows (checksum {got[table].checksum}), the "
                f"backup {sums.rows:,} (checksum {sums.checksum}); nothing was replaced"
            )


def _existing(paths: Paths) -> list[Path]:
    found = [paths.working_path] if paths.working_path.exists() else []
    return found + [p for p in (pipelines_dir(paths) / name for name in PIPELINES) if p.exists()]


def restore(
    paths: Paths,
    url: str,
    name: str | None = None,
    force: bool = False,
    audit: bool = True,
    echo: Callable[[str], None] = print,
) -> RestoreResult:
    """Restore backup `name` (default: the newest complete one) from `url` into the working copy and dlt's
    pipeline folders, then publish it (after the quality audit unless `audit` is False). Refuses to replace an
    existing working copy or dlt state unless `force`."""
    from pipelines.publish import audit as run_audit
    from pipelines.publish import publish, remove_stale_copy

    store = open_store(url)
    manifest = _choose(store, name)
    where = store.display(manifest.name)
    working = paths.working_path
    if manifest.database != working.stem:
        raise BackupError(
            f"{where} is a backup of database {manifest.database!r} ({manifest.database}.duckdb): dbt's views name "
            f"it, so restore it into a warehouse file named {manifest.database}.duckdb, not {working.name}"
        )
    existing = _existing(paths)
    if existing and not force:
        listed = ", ".join(str(p) for p in existing)
        raise BackupError(f"{listed} already exist(s): restore refuses to replace them; pass --force to do so")
    working.parent.mkdir(parents=True, exist_ok=True)
    with warehouse_lock(working, "restore", readers_path=paths.duckdb_path):
        staging = working.parent / f".restore-{manifest.name}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            folder, download_s = _fetch(store, manifest, staging)
            fetched = "downloaded" if download_s else "checked"
            echo(f"  {fetched} {len(manifest.files)} files ({manifest.total_bytes / 1e6:,.1f} MB)")
            started = time.perf_counter()
            restored_db = staging / "db" / working.name
            restored_db.parent.mkdir()
            sums = import_into(folder / DATABASE_FOLDER, restored_db)
            _compare(manifest.tables, sums, manifest.duckdb_version == duckdb.__version__, where)
            import_s = time.perf_counter() - started
            # the swap: nothing above touched the existing warehouse or dlt state
            root = pipelines_dir(paths)
            for pipeline in PIPELINES:
                shutil.rmtree(root / pipeline, ignore_errors=True)
            for pipeline in manifest.dlt_pipelines:
                root.mkdir(parents=True, exist_ok=True)
                shutil.copytree(folder / DLT_FOLDER / pipeline, root / pipeline)
            working.with_name(working.name + ".wal").unlink(missing_ok=True)
            os.replace(restored_db, working)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        remove_stale_copy(paths.duckdb_path)
        result = run_audit(paths) if audit else None
        if result is not None:
            echo(f"  {result.headline()}")
        published = publish(paths, result)  # AuditFailed: restored, not published; pipelines.cli says so
    return RestoreResult(manifest.name, where, manifest, download_s, import_s, published.summary())
