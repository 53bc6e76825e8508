"""Issue 13.6: a restore checks the whole backup in a temporary file first, swaps it in, and keeps the
replaced live file; a damaged backup changes nothing, a live file with a broken header can be restored over."""

from __future__ import annotations

import sqlite3

import pytest

from marketplace.ops import backup as ops


def make_db(path, *, rows: int, label: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (ops.code_head(),))
        conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("CREATE INDEX ix_note_body ON note (body)")
        conn.executemany("INSERT INTO note (body) VALUES (?)", [(f"{label} {i} " + "x" * 200,) for i in range(rows)])
    conn.close()


def labels(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {body.split()[0] for (body,) in conn.execute("SELECT body FROM note")}
    finally:
        conn.close()


def test_a_damaged_plain_backup_is_refused_and_the_live_database_is_untouched(tmp_path, monkeypatch):
    monkeypatch.setattr(ops, "upgrade", lambda url: None)
    live, backup = tmp_path / "live.sqlite3", tmp_path / "backup.sqlite3"
    make_db(live, rows=50, label="live")
    make_db(backup, rows=400, label="backup")
    data = bytearray(backup.read_bytes())
    page = 4096
    for offset in range(page * 5, page * 12, 97):  # scribble over index and table pages, keep page 1
        data[offset:offset + 8] = b"\xde\xad\xbe\xef" * 2
    backup.write_bytes(bytes(data))
    before = live.read_bytes()
    with pytest.raises(ops.BackupError, match="integrity"):
        ops.restore(f"sqlite:///{live}", backup)
    assert live.read_bytes() == before and ops.sqlite_integrity(live) == "ok" and labels(live) == {"live"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_live_file_with_a_broken_header_is_restored_over_and_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(ops, "upgrade", lambda url: None)
    live, backup = tmp_path / "live.sqlite3", tmp_path / "backup.sqlite3"
    make_db(live, rows=10, label="live")
    make_db(backup, rows=10, label="backup")
    broken = bytearray(live.read_bytes())
    broken[:100] = b"\x00" * 100
    live.write_bytes(bytes(broken))
    ops.restore(f"sqlite:///{live}", backup)
    assert ops.sqlite_integrity(live) == "ok" and labels(live) == {"backup"}
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("live.sqlite3.replaced-")]
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(broken)


def test_a_good_restore_keeps_the_replaced_database(tmp_path, monkeypatch):
    monkeypatch.setattr(ops, "upgrade", lambda url: None)
    live, backup = tmp_path / "live.sqlite3", tmp_path / "backup.sqlite3"
    make_db(live, rows=10, label="live")
    make_db(backup, rows=10, label="backup")
    ops.restore(f"sqlite:///{live}", backup)
    assert labels(live) == {"backup"}
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("live.sqlite3.replaced-")]
    assert len(kept) == 1 and labels(kept[0]) == {"live"}
