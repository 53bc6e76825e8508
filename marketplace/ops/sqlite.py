"""SQLite backups: the sqlite3 online backup API, an integrity check, gzip; restore through the same API.

The backup API copies the live database page by page into a temporary file (consistent even while
the app writes in WAL mode), ``PRAGMA integrity_check`` verifies the copy, and it is written
gzip-compressed (``.sqlite3.gz``) to a temporary file next to the target, fsynced and renamed into
place. A plain (uncompressed) SQLite file is accepted by restore too. Restore uses the backup API in
the other direction, into the live database, so the app's open connections see the restored data at
their next transaction.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from marketplace.database import normalise_url
from marketplace.ops.common import BackupError, BackupResult, fsync_and_replace, temp_next_to


def sqlite_path(url: str) -> Path:
    database = make_url(normalise_url(url)).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def sqlite_revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    return row[0] if row else None


def sqlite_integrity(path: Path) -> str:
    """``"ok"``, or what is wrong (a file that is not a database at all says so instead of raising)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def backup_sqlite(source: Path, output: Path) -> BackupResult:
    if not source.exists():
        raise BackupError(f"no SQLite database at {source}")
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".axbridge-backup-") as work:
        copy = Path(work) / "copy.sqlite3"
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(copy)
        try:
            with dst:
                src.backup(dst)  # a consistent snapshot, even while the app writes (WAL)
            # A standalone file: no -wal next to it is needed to read it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
        status = sqlite_integrity(copy)
        if status != "ok":
            raise BackupError(f"the copy failed its integrity check: {status}")
        revision = sqlite_revision(copy)
        temp = temp_next_to(output)
        try:
            if output.name.endswith(".gz"):
                with open(copy, "rb") as plain, gzip.open(temp, "wb", compresslevel=6) as packed:
                    shutil.copyfileobj(plain, packed, 1024 * 1024)
            else:
                shutil.copyfile(copy, temp)
            fsync_and_replace(temp, output)
        finally:
            temp.unlink(missing_ok=True)
    return BackupResult(output, "sqlite", revision, output.stat().st_size)


def unpacked(path: Path, kind: str, work: Path) -> Path:
    """The plain SQLite file of a backup (``kind`` "sqlite" or "sqlite.gz"), unpacked into ``work``."""
    if kind == "sqlite":
        return path
    plain = work / "backup.sqlite3"
    with gzip.open(path, "rb") as packed, open(plain, "wb") as out:
        shutil.copyfileobj(packed, out, 1024 * 1024)
    return plain


def staged_copy(path: Path, kind: str, target: Path) -> Path:
    """The backup's plain SQLite file, written to a temporary file next to ``target`` (same file system, so it
    can be swapped in atomically). Nothing of the live database is touched."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = temp_next_to(target)
    try:
        if kind == "sqlite.gz":
            with gzip.open(path, "rb") as packed, open(staged, "wb") as out:
                shutil.copyfileobj(packed, out, 1024 * 1024)
        else:
            shutil.copyfile(path, staged)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        staged.unlink(missing_ok=True)
        raise BackupError(f"the backup cannot be read: {exc}") from None
    return staged


def keep_replaced(target: Path) -> Path | None:
    """Copy the live database aside (``<name>.replaced-<UTC time>``) before it is replaced; a live file
    SQLite cannot read is moved aside as it is. Returns the kept file (None: there was no live file)."""
    if not target.exists():
        return None
    import datetime as dt

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    kept = target.with_name(f"{target.name}.replaced-{stamp}")
    if sqlite_integrity(target) == "ok":
        src = sqlite3.connect(target, timeout=30)
        dst = sqlite3.connect(kept)
        try:
            with dst:
                src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
    else:
        os.replace(target, kept)
        for suffix in ("-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
    return kept


def swap_in(staged: Path, target: Path) -> None:
    """Put the checked copy in place of the live database: through the backup API when the live file is a
    readable database (one write transaction; the app's open connections read the restored pages at their
    next transaction), else by an atomic rename."""
    if target.exists():
        restore_sqlite(staged, target)
        staged.unlink(missing_ok=True)
    else:
        conn = sqlite3.connect(staged)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        fsync_and_replace(staged, target)


def restore_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        # The backup API writes through SQLite's own locking: running app connections wait for it
        # and then read the restored pages; the target keeps its WAL journal mode.
        dst.execute("PRAGMA journal_mode = WAL")
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode = WAL")
        status = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":  # pragma: no cover - the source passed the same check
            raise BackupError(f"the restored database failed its integrity check: {status}")
    finally:
        dst.close()
        src.close()
