"""Backup and restore of the app's database, SQLite or PostgreSQL.

Formats (chosen from the database URL; :func:`restore` recognises a file by its first bytes):

- SQLite: the sqlite3 online backup API copies the live database page by page into a temporary
  file (consistent even while the app writes in WAL mode), ``PRAGMA integrity_check`` verifies the
  copy, and it is written **gzip-compressed** (``.sqlite3.gz``) to a temporary file next to the
  target, fsynced and renamed into place. A plain (uncompressed) SQLite file is accepted by restore
  too. Restore uses the same backup API in the other direction, into the live database, so the
  app's open connections see the restored data at their next transaction.
- PostgreSQL: ``pg_dump --format=custom`` (``.pgdump``); restore with
  ``pg_restore --clean --if-exists --no-owner --single-transaction``. Without the client tools a
  portable format is used instead (``.axjson.gz``: gzip JSON lines, one table after the other).

Every backup carries its Alembic revision; restoring a backup whose revision the code does not
know (a newer schema) is refused, and a backup from an older schema is migrated to head after it
is restored.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

from marketplace.database import normalise_url
from marketplace.migrate import alembic_config, upgrade

GZIP_MAGIC = b"\x1f\x8b"
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
PORTABLE_FORMAT = "axbridge-portable-1"


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    kind: str  # "sqlite", "pg_dump" or "portable"
    revision: str | None
    size: int


# --- revisions ------------------------------------------------------------------------------------

def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def code_head() -> str:
    return _script().get_current_head()


def check_revision(revision: str | None) -> None:
    """Refuse a backup the code cannot run on (a newer or unknown schema)."""
    if revision is None:
        raise BackupError("the backup has no Alembic revision (alembic_version is empty or missing); "
                          "it was not made from an AX Bridge database")
    known = {s.revision for s in _script().walk_revisions()}
    if revision not in known:
        raise BackupError(f"the backup is from a newer database schema (revision {revision}) than this code "
                          f"knows (head {code_head()}); install the version of AX Bridge that made it, "
                          "then restore")


# --- helpers --------------------------------------------------------------------------------------

def is_sqlite(url: str) -> bool:
    return normalise_url(url).startswith("sqlite")


def sqlite_path(url: str) -> Path:
    database = make_url(normalise_url(url)).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI (no driver suffix, no password) and the environment carrying the password."""
    parsed = make_url(normalise_url(url))
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def pg_tools_available() -> bool:
    return bool(shutil.which("pg_dump") and shutil.which("pg_restore"))


def default_output(instance_path: str | os.PathLike, url: str, *, portable: bool = False) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".sqlite3.gz" if is_sqlite(url) else (".axjson.gz" if portable else ".pgdump")
    return Path(instance_path) / "backups" / f"axbridge-{stamp}{suffix}"


def _temp_next_to(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


def _fsync_and_replace(temp: Path, path: Path) -> None:
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, path)
    try:
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - directories cannot be opened on some systems
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sqlite_revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    return row[0] if row else None


def _sqlite_integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# --- backup ---------------------------------------------------------------------------------------

def backup(url: str, output: str | os.PathLike, *, portable: bool = False) -> BackupResult:
    """Write a consistent backup of the database at ``url`` to ``output`` (atomically)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite(url):
        return _backup_sqlite(sqlite_path(url), output)
    if portable or not pg_tools_available():
        return _backup_portable(url, output)
    return _backup_pg_dump(url, output)


def _backup_sqlite(source: Path, output: Path) -> BackupResult:
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
        status = _sqlite_integrity(copy)
        if status != "ok":
            raise BackupError(f"the copy failed its integrity check: {status}")
        revision = _sqlite_revision(copy)
        temp = _temp_next_to(output)
        try:
            if output.name.endswith(".gz"):
                with open(copy, "rb") as plain, gzip.open(temp, "wb", compresslevel=6) as packed:
                    shutil.copyfileobj(plain, packed, 1024 * 1024)
            else:
                shutil.copyfile(copy, temp)
            _fsync_and_replace(temp, output)
        finally:
            temp.unlink(missing_ok=True)
    return BackupResult(output, "sqlite", revision, output.stat().st_size)


def _backup_pg_dump(url: str, output: Path) -> BackupResult:
    uri, env = _libpq(url)
    temp = _temp_next_to(output)
    try:
        run = subprocess.run(["pg_dump", "--format=custom", "--compress=6", "--no-password", f"--file={temp}",
                              f"--dbname={uri}"], env=env, capture_output=True, text=True, timeout=3600)
        if run.returncode != 0:
            raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
        revision = _pg_dump_revision(temp)
        _fsync_and_replace(temp, output)
    finally:
        temp.unlink(missing_ok=True)
    return BackupResult(output, "pg_dump", revision, output.stat().st_size)


def _pg_dump_revision(path: Path) -> str | None:
    run = subprocess.run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise BackupError(f"pg_restore cannot read {path}: {run.stderr.strip()}")
    lines = run.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line:
            value = lines[i + 1] if i + 1 < len(lines) else "\\."
            return None if value == "\\." else value.strip()
    return None


# --- portable format (PostgreSQL without the client tools) ----------------------------------------

def _encode(value):
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if hasattr(value, "value") and hasattr(value, "name") and not isinstance(value, (dict, list)):
        return value.value  # enum members
    raise TypeError(f"cannot store {type(value).__name__} in a portable backup")


def _decode(obj: dict):
    if len(obj) == 1:
        ((key, value),) = obj.items()
        decoders = {"$dt": dt.datetime.fromisoformat, "$date": dt.date.fromisoformat, "$time": dt.time.fromisoformat,
                    "$dec": decimal.Decimal, "$b64": base64.b64decode, "$uuid": uuid.UUID}
        if key in decoders:
            return decoders[key](value)
    return obj


def _backup_portable(url: str, output: Path) -> BackupResult:
    engine = create_engine(normalise_url(url))
    temp = _temp_next_to(output)
    revision = None
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            meta = MetaData()
            meta.reflect(conn)
            with gzip.open(temp, "wt", encoding="utf-8") as out:
                tables = meta.sorted_tables
                if "alembic_version" in meta.tables:
                    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                out.write(json.dumps({"format": PORTABLE_FORMAT, "revision": revision,
                                      "tables": [t.name for t in tables]}) + "\n")
                for table in tables:
                    order = list(table.primary_key.columns) or list(table.columns)
                    out.write(json.dumps({"table": table.name, "columns": [c.name for c in table.columns]}) + "\n")
                    for row in conn.execute(table.select().order_by(*order)):
                        out.write(json.dumps(list(row), default=_encode, ensure_ascii=False) + "\n")
        _fsync_and_replace(temp, output)
    finally:
        temp.unlink(missing_ok=True)
        engine.dispose()
    return BackupResult(output, "portable", revision, output.stat().st_size)


def _read_portable_header(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
    if header.get("format") != PORTABLE_FORMAT:
        raise BackupError(f"{path} is not an AX Bridge portable backup")
    return header


def _restore_portable(url: str, path: Path) -> None:
    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as conn:
            meta = MetaData()
            meta.reflect(conn)
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                header = json.loads(handle.readline())
                missing = [t for t in header["tables"] if t not in meta.tables]
                if missing:
                    raise BackupError(f"the database has no tables {', '.join(missing)}; run axbridge db upgrade "
                                      "to the backup's revision first")
                for table in reversed(meta.sorted_tables):
                    conn.execute(table.delete())
                table, columns, batch = None, [], []

                def flush():
                    if batch:
                        conn.execute(table.insert(), batch)
                        batch.clear()

                for line in handle:
                    item = json.loads(line, object_hook=_decode)
                    if isinstance(item, dict):
                        flush()
                        table, columns = meta.tables[item["table"]], item["columns"]
                        continue
                    batch.append(dict(zip(columns, item)))
                    if len(batch) >= 500:
                        flush()
                flush()
            if engine.dialect.name == "postgresql":
                for table in meta.sorted_tables:
                    for column in table.primary_key.columns:
                        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                           {"t": f'"{table.name}"', "c": column.name}).scalar()
                        if seq:
                            conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") FROM '
                                              f'"{table.name}"), 1), (SELECT MAX("{column.name}") FROM '
                                              f'"{table.name}") IS NOT NULL)'), {"s": seq})
    finally:
        engine.dispose()


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
        return _pg_dump_revision(path)
    if kind == "portable":
        return _read_portable_header(path)["revision"]
    with tempfile.TemporaryDirectory(prefix=".axbridge-restore-") as work:
        return _sqlite_revision(_unpacked(path, kind, Path(work)))


def _unpacked(path: Path, kind: str, work: Path) -> Path:
    if kind == "sqlite":
        return path
    plain = work / "backup.sqlite3"
    with gzip.open(path, "rb") as packed, open(plain, "wb") as out:
        shutil.copyfileobj(packed, out, 1024 * 1024)
    return plain


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
        with tempfile.TemporaryDirectory(prefix=".axbridge-restore-") as work:
            plain = _unpacked(path, kind, Path(work))
            revision = _sqlite_revision(plain)
            check_revision(revision)
            status = _sqlite_integrity(plain) if kind == "sqlite.gz" else "ok"
            if status != "ok":
                raise BackupError(f"the backup failed its integrity check: {status}")
            _restore_sqlite(plain, sqlite_path(url))
    elif kind == "pg_dump":
        revision = _pg_dump_revision(path)
        check_revision(revision)
        uri, env = _libpq(url)
        run = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                              "--single-transaction", "--exit-on-error", "--no-password", f"--dbname={uri}",
                              str(path)], env=env, capture_output=True, text=True, timeout=3600)
        if run.returncode != 0:
            raise BackupError(f"pg_restore failed (nothing was changed): {run.stderr.strip()}")
    else:
        revision = _read_portable_header(path)["revision"]
        check_revision(revision)
        _restore_portable(url, path)
    if revision != code_head():
        upgrade(url)
    return revision


def _restore_sqlite(source: Path, target: Path) -> None:
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
