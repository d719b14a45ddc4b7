"""`tmdb-warehouse backup` and `tmdb-warehouse restore` (two subcommands: `Backup` and `Restore` below, each with
the `add_arguments`/`run` pair `pipelines.cli` registers).

Exit status: 0 done; 1 the restored warehouse failed its audit (restored, not published); 2 anything refused or
misconfigured (no URL, a partial backup, an existing warehouse without --force, the writer lock held), one line.
"""

from __future__ import annotations

import argparse
import os
import sys

from pipelines.backup import BACKUP_URL_ENV
from pipelines.cli_types import add_duckdb_path, at_least, fail


def _duckdb_path(parser: argparse.ArgumentParser) -> None:
    add_duckdb_path(
        parser,
        "backups hold its working copy ($TMDB_WORKING_DUCKDB_PATH or work/ beside it) and dlt's state "
        "($TMDB_PIPELINES_DIR)",
    )


def _url(args: argparse.Namespace, option: str) -> str | None:
    url = getattr(args, option.lstrip("-").replace("-", "_")) or os.environ.get(BACKUP_URL_ENV)
    if not url:
        print(
            f"error: no backup location: pass {option} URL (a folder, s3://bucket/prefix, any fsspec URL) or set "
            f"{BACKUP_URL_ENV}",
            file=sys.stderr,
        )
    return url


class Backup:
    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--to", metavar="URL", help=f"where backups go: a folder or fsspec URL (${BACKUP_URL_ENV})")
        parser.add_argument(
            "--keep", type=at_least(1, " backups"), help="after the backup, keep only the newest N complete backups"
        )
        parser.add_argument("--list", action="store_true", help="list the backups at --to (newest last) and stop")
        _duckdb_path(parser)

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from pipelines.backup import BackupError, backup, list_backups, open_store
        from pipelines.settings import Paths

        url = _url(args, "--to")
        if not url:
            return 2
        try:
            if args.list:
                store = open_store(url)
                backups = list_backups(store)
                for b in backups:
                    if b.manifest:
                        m = b.manifest
                        print(
                            f"{b.name}  complete  {b.bytes / 1e6:10,.1f} MB  {len(m.tables):4} tables  "
                            f"{m.total_rows:>13,} rows  taken {m.created_at}"
                        )
                    else:
                        print(
                            f"{b.name}  PARTIAL   {b.bytes / 1e6:10,.1f} MB  (no manifest: the backup did not finish)"
                        )
                complete = sum(b.complete for b in backups)
                print(f"{len(backups)} backup(s) under {url}, {complete} complete")
                return 0
            result = backup(Paths.from_env(args.duckdb_path), url, keep=args.keep)
        except BackupError as exc:
            return fail(exc)
        print(result.summary())
        return 0


class Restore:
    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--from", metavar="URL", help=f"where the backups are (${BACKUP_URL_ENV})")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--latest", action="store_true", help="the newest complete backup (the default)")
        which.add_argument("--name", help="this backup, e.g. tmdb-20261201T101500Z (see backup --list)")
        parser.add_argument("--force", action="store_true", help="replace an existing working copy and dlt state")
        parser.add_argument(
            "--no-audit",
            action="store_true",
            help="publish what was restored without the quality checkpoint (recorded as audit 'skipped')",
        )
        _duckdb_path(parser)

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from pipelines.backup import BackupError, restore
        from pipelines.settings import Paths

        url = _url(args, "--from")
        if not url:
            return 2
        try:
            result = restore(
                Paths.from_env(args.duckdb_path), url, name=args.name, force=args.force, audit=not args.no_audit
            )
        except BackupError as exc:
            return fail(exc)
        print(result.summary())
        return 0
