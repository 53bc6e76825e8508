"""What every backup format shares: the error, the result, the files' first bytes, atomic writes and
the Alembic revision a backup carries."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

from marketplace.database import normalise_url
from marketplace.migrate import alembic_config

GZIP_MAGIC = b"\x1f\x8b"
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    kind: str  # "sqlite", "pg_dump" or "portable"
    revision: str | None
    size: int


def is_sqlite(url: str) -> bool:
    return normalise_url(url).startswith("sqlite")


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


# --- atomic files -----------------------------------------------------------------------------------

def temp_next_to(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


def fsync_and_replace(temp: Path, path: Path) -> None:
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
