"""Where backups go: a local folder or any fsspec URL (`s3://bucket/prefix`, `gs://...`, `file:///...`).

S3-compatible stores (MinIO, Ceph, R2, moto) are reached with s3fs; `AWS_ENDPOINT_URL` names their endpoint
(boto reads it too, but it is passed explicitly so older clients and fsspec's instance cache agree), and the
credentials come from boto's usual chain (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, a profile, a role).
DuckDB's httpfs could write to S3 itself, but it is an extension DuckDB downloads on first use: not available
offline, so everything remote goes through fsspec from a local staging folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem


@dataclass(frozen=True)
class Store:
    """A backup root: the filesystem and the root path in it (no trailing slash), plus the URL as given."""

    fs: Any
    root: str
    url: str

    @property
    def is_local(self) -> bool:
        return isinstance(self.fs, LocalFileSystem)

    def path(self, *parts: str) -> str:
        return str(PurePosixPath(self.root, *parts))

    def display(self, *parts: str) -> str:
        """A path for humans: the URL as given, with `parts` appended."""
        return "/".join([self.url.rstrip("/"), *parts])

    def exists(self, *parts: str) -> bool:
        return bool(self.fs.exists(self.path(*parts)))

    def children(self) -> list[str]:
        """Names of the folders directly under the root (none when the root does not exist yet)."""
        self.fs.invalidate_cache()
        try:
            entries = self.fs.ls(self.root, detail=True)
        except FileNotFoundError:
            return []
        return sorted(PurePosixPath(e["name"]).name for e in entries if e["type"] == "directory")

    def sizes(self, *parts: str) -> dict[str, int]:
        """Every file under `parts`, as its path relative to it -> size in bytes."""
        base = self.path(*parts)
        self.fs.invalidate_cache()
        found = self.fs.find(base, detail=True)
        return {str(PurePosixPath(name).relative_to(base)): int(info["size"]) for name, info in found.items()}

    def put(self, local: Path, *parts: str) -> None:
        target = self.path(*parts)
        if self.is_local:
            self.fs.makedirs(str(PurePosixPath(target).parent), exist_ok=True)
        self.fs.put_file(str(local), target)

    def get(self, local: Path, *parts: str) -> None:
        local.parent.mkdir(parents=True, exist_ok=True)
        self.fs.get_file(self.path(*parts), str(local))

    def write_text(self, text: str, *parts: str) -> None:
        target = self.path(*parts)
        if self.is_local:
            self.fs.makedirs(str(PurePosixPath(target).parent), exist_ok=True)
        with self.fs.open(target, "w", encoding="utf-8") as handle:
            handle.write(text)

    def read_text(self, *parts: str) -> str:
        with self.fs.open(self.path(*parts), "r", encoding="utf-8") as handle:
            return str(handle.read())

    def remove(self, *parts: str) -> None:
        self.fs.rm(self.path(*parts), recursive=True)
        self.fs.invalidate_cache()


def open_store(url: str) -> Store:
    """The Store for `url` (a plain path is a local folder)."""
    options: dict[str, Any] = {}
    if url.startswith(("s3://", "s3a://")):
        endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        if endpoint:
            options["client_kwargs"] = {"endpoint_url": endpoint}
        options["skip_instance_cache"] = True  # a fresh client per command: no listing cached from an earlier one
    fs, root = fsspec.core.url_to_fs(url, **options)
    if isinstance(fs, LocalFileSystem):
        root = str(Path(root).resolve())
    return Store(fs=fs, root=root.rstrip("/") or root, url=url)
