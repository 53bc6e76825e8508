"""PostgreSQL backups with the client tools: ``pg_dump --format=custom`` (``.pgdump``), restored with
``pg_restore --clean --if-exists --no-owner --single-transaction`` (all or nothing)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from marketplace.database import normalise_url
from marketplace.ops.common import BackupError, BackupResult, fsync_and_replace, temp_next_to


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI (no driver suffix, no password) and the environment carrying the password."""
    parsed = make_url(normalise_url(url))
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def pg_tools_available() -> bool:
    return bool(shutil.which("pg_dump") and shutil.which("pg_restore"))


def backup_pg_dump(url: str, output: Path) -> BackupResult:
    uri, env = libpq(url)
    temp = temp_next_to(output)
    try:
        run = subprocess.run(["pg_dump", "--format=custom", "--compress=6", "--no-password", f"--file={temp}",
                              f"--dbname={uri}"], env=env, capture_output=True, text=True, timeout=3600)
        if run.returncode != 0:
            raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
        revision = pg_dump_revision(temp)
        fsync_and_replace(temp, output)
    finally:
        temp.unlink(missing_ok=True)
    return BackupResult(output, "pg_dump", revision, output.stat().st_size)


def pg_dump_revision(path: Path) -> str | None:
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


def restore_pg_dump(url: str, path: Path) -> None:
    uri, env = libpq(url)
    run = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                          "--single-transaction", "--exit-on-error", "--no-password", f"--dbname={uri}",
                          str(path)], env=env, capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing was changed): {run.stderr.strip()}")
