"""Backup and restore of the app's database, SQLite or PostgreSQL: the entry points the CLI calls.

Formats (chosen from the database URL; :func:`restore` recognises a file by its first bytes), each in
its own module:

- SQLite (:mod:`marketplace.ops.sqlite`): an online-backup copy, integrity-checked, written
  gzip-compressed (``.sqlite3.gz``) atomically; restore through the same backup API.
- PostgreSQL (:mod:`marketplace.ops.postgres`): ``pg_dump --format=custom`` (``.pgdump``), restored
  with ``pg_restore --single-transaction``. Without the client tools the portable format
  (:mod:`marketplace.ops.portable`, ``.axjson.gz``: gzip JSON lines) is used instead.

Every backup carries its Alembic revision; restoring a backup whose revision the code does not
know (a newer schema) is refused, and a backup from an older schema is migrated to head after it
is restored.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import tempfile
from pathlib import Path

from marketplace.migrate import upgrade
from marketplace.ops.common import (  # noqa: F401 (the public names of backup and restore)
    GZIP_MAGIC,
    PGDUMP_MAGIC,
    SQLITE_MAGIC,
    BackupError,
    BackupResult,
    check_revision,
    code_head,
    is_sqlite,
)
from marketplace.ops.portable import PORTABLE_FORMAT, backup_portable, read_portable_header, restore_portable
from marketplace.ops.postgres import backup_pg_dump, pg_dump_revision, pg_tools_available, restore_pg_dump
from marketplace.ops.sqlite import (
    backup_sqlite,
    keep_replaced,
    restore_sqlite,
    sqlite_integrity,
    sqlite_path,
    sqlite_revision,
    staged_copy,
    swap_in,
    unpacked,
)

__all__ = [
    "GZIP_MAGIC", "PGDUMP_MAGIC", "PORTABLE_FORMAT", "SQLITE_MAGIC", "BackupError", "BackupResult", "backup",
    "backup_revision", "check_revision", "code_head", "default_output", "detect", "is_sqlite",
    "pg_tools_available", "restore", "sqlite_path",
]


def default_output(instance_path: str | os.PathLike, url: str, *, portable: bool = False) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".sqlite3.gz" if is_sqlite(url) else (".axjson.gz" if portable else ".pgdump")
    return Path(instance_path) / "backups" / f"axbridge-{stamp}{suffix}"


# --- backup ---------------------------------------------------------------------------------------

def backup(url: str, output: str | os.PathLike, *, portable: bool = False) -> BackupResult:
    """Write a consistent backup of the database at ``url`` to ``output`` (atomically)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite(url):
        return backup_sqlite(sqlite_path(url), output)
    if portable or not pg_tools_available():
        return backup_portable(url, output)
    return backup_pg_dump(url, output)


# --- restore --------------------------------------------------------------------------------------

def detect(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "pg_dump"
    if head.startswith(GZIP_MAGIC):
        with gzip.open(path, "rb") as handle:
            inner = handle.read(16)
        if inner.startswith(SQLITE_MAGIC):
            return "sqlite.gz"
        if inner.startswith(b"{"):
            return "portable"
    raise BackupError(f"{path} is not an AX Bridge backup (SQLite, pg_dump custom or portable format)")


def backup_revision(path: str | os.PathLike) -> str | None:
    path = Path(path)
    kind = detect(path)
    if kind == "pg_dump":
        return pg_dump_revision(path)
    if kind == "portable":
        return read_portable_header(path)["revision"]
    with tempfile.TemporaryDirectory(prefix=".axbridge-restore-") as work:
        return sqlite_revision(unpacked(path, kind, Path(work)))


def restore(url: str, path: str | os.PathLike) -> str:
    """Replace the database at ``url`` by the backup in ``path``; returns the backup's revision.

    The backup's revision is checked before anything is changed; a backup from an older schema
    is migrated to the code's head afterwards.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    kind = detect(path)
    target_sqlite = is_sqlite(url)
    if target_sqlite != kind.startswith("sqlite"):
        raise BackupError(f"{path} is a {'SQLite' if kind.startswith('sqlite') else 'PostgreSQL'} backup; "
                          f"the database is {'SQLite' if target_sqlite else 'PostgreSQL'}")
    if kind.startswith("sqlite"):
        # Issue 13.6: the whole backup is copied and checked (integrity, then revision) in a temporary file
        # next to the live one; only then is the live file kept aside and the copy swapped in.
        target = sqlite_path(url)
        staged = staged_copy(path, kind, target)
        try:
            status = sqlite_integrity(staged)
            if status != "ok":
                raise BackupError(f"the backup failed its integrity check: {status}")
            revision = sqlite_revision(staged)
            check_revision(revision)
            keep_replaced(target)
            swap_in(staged, target)
        finally:
            staged.unlink(missing_ok=True)
    elif kind == "pg_dump":
        revision = pg_dump_revision(path)
        check_revision(revision)
        restore_pg_dump(url, path)
    else:
        revision = read_portable_header(path)["revision"]
        check_revision(revision)
        restore_portable(url, path)
    if revision != code_head():
        upgrade(url)
    return revision
