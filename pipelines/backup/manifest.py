"""A backup's manifest, `manifest.json`: written last, so a backup without one is partial.

It lists every table with its row count and checksum (to verify a restore), every file with its size and sha256
(to refuse a missing, short or corrupted file before anything is replaced), the dlt pipeline folders, and the
versions a restore must agree with (the database name dbt-duckdb wrote into the views, DuckDB's version: its
`hash()` is only comparable within one version).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FOLDER = "database"  # EXPORT DATABASE's output: schema.sql, load.sql, one parquet file per table
DLT_FOLDER = "dlt"  # dlt's pipeline folders, one per pipeline name


@dataclass(frozen=True)
class TableSum:
    schema: str
    name: str
    rows: int
    checksum: str  # sum of hash() of every row, as text: order-independent, duplicates counted

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the backup folder, '/'-separated
    bytes: int
    sha256: str


@dataclass
class Manifest:
    name: str
    created_at: str
    database: str
    duckdb_version: str
    dlt_version: str
    source: str  # the working copy it was taken from
    schema_versions: dict[str, int] = field(default_factory=dict)  # dlt schemas (raw._dlt_version)
    tables: list[TableSum] = field(default_factory=list)
    files: list[FileEntry] = field(default_factory=list)
    dlt_pipelines: list[str] = field(default_factory=list)
    # every folder of the backup, empty ones included: object stores keep none, and dlt needs its empty
    # `load/new`, `normalize/extracted`, ... folders back
    directories: list[str] = field(default_factory=list)
    format: int = FORMAT

    @property
    def total_bytes(self) -> int:
        return sum(f.bytes for f in self.files)

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data: dict[str, Any] = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"manifest format {data.get('format')!r}, this version reads {FORMAT}")
        data["tables"] = [TableSum(**t) for t in data["tables"]]
        data["files"] = [FileEntry(**f) for f in data["files"]]
        return cls(**data)
