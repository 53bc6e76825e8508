"""Backup and restore round trips on SQLite and PostgreSQL, and the refusals."""

from __future__ import annotations

import gzip

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlmodel import select

from marketplace.accounts.models import Organisation
from marketplace.bids.models import Bid
from marketplace.cli import main
from marketplace.database import session_scope
from marketplace.ops import backup as ops
from marketplace.problems.models import Problem
from tests.factories import Factory
from tests.ops.conftest import count

SECRET = "ops-test-secret-key-that-is-long-enough-0123456789"


def _suffix(url: str) -> str:
    return ".sqlite3.gz" if ops.is_sqlite(url) else ".pgdump"


def _world(app) -> dict:
    with app.app_context(), session_scope(app) as session:
        factory = Factory(session)
        problem = factory.problem(state="bidding")
        bid = factory.bid(problem)
        return {"problem_id": problem.id, "bid_id": bid.id, "vendor_id": bid.vendor_id, "price": bid.price_krw,
                "sme_id": problem.organisation_id, "sme_name": session.get(Organisation, problem.organisation_id).name_ko}


def _vandalise(app, world) -> int:
    """Change one row, delete another, add a third; returns the added organisation's id."""
    with app.app_context(), session_scope(app) as session:
        session.get(Organisation, world["sme_id"]).name_ko = "바뀐 이름"
        session.delete(session.get(Bid, world["bid_id"]))
        session.flush()
        return Factory(session).vendor().id


def _assert_original(app, world, added_id) -> None:
    with app.app_context(), session_scope(app) as session:
        bid = session.get(Bid, world["bid_id"])
        assert bid is not None and bid.price_krw == world["price"] and bid.state == "submitted"
        assert session.get(Organisation, world["sme_id"]).name_ko == world["sme_name"]
        assert session.get(Organisation, added_id) is None
        assert session.get(Problem, world["problem_id"]).state == "bidding"
        # The app keeps working on the restored database: new rows get fresh ids.
        newcomer = Factory(session).vendor()
        assert newcomer.id not in (world["vendor_id"], world["sme_id"])
        assert len(session.exec(select(Bid).where(Bid.problem_id == world["problem_id"])).all()) == 1


def test_backup_then_restore_brings_the_original_data_back(backend_url, ops_app, tmp_path):
    app = ops_app(backend_url)
    world = _world(app)
    result = ops.backup(backend_url, tmp_path / f"backup{_suffix(backend_url)}")
    assert result.revision == ops.code_head()
    assert not list(tmp_path.glob(".*.tmp")), "the temporary file was left behind"
    added = _vandalise(app, world)
    assert count(app, "SELECT COUNT(*) FROM bid") == 0

    assert ops.restore(backend_url, result.path) == ops.code_head()
    _assert_original(app, world, added)


def test_sqlite_backup_is_gzip_and_a_plain_copy_restores_too(backend_url, ops_app, tmp_path):
    if not ops.is_sqlite(backend_url):
        pytest.skip("SQLite format")
    app = ops_app(backend_url)
    world = _world(app)
    packed = ops.backup(backend_url, tmp_path / "b.sqlite3.gz").path
    assert packed.read_bytes()[:2] == ops.GZIP_MAGIC
    plain = ops.backup(backend_url, tmp_path / "b.sqlite3").path
    assert gzip.decompress(packed.read_bytes()) [:16] == plain.read_bytes()[:16] == ops.SQLITE_MAGIC
    added = _vandalise(app, world)
    ops.restore(backend_url, plain)
    _assert_original(app, world, added)


def test_portable_format_round_trip_on_postgresql(backend_url, ops_app, tmp_path):
    if ops.is_sqlite(backend_url):
        pytest.skip("PostgreSQL without the client tools")
    app = ops_app(backend_url)
    world = _world(app)
    result = ops.backup(backend_url, tmp_path / "b.axjson.gz", portable=True)
    assert result.kind == "portable" and result.revision == ops.code_head()
    added = _vandalise(app, world)
    ops.restore(backend_url, result.path)
    _assert_original(app, world, added)


def test_a_backup_from_a_newer_schema_is_refused_and_changes_nothing(backend_url, ops_app, tmp_path):
    app = ops_app(backend_url)
    world = _world(app)
    with app.extensions["axbridge_db"].engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    newer = ops.backup(backend_url, tmp_path / f"newer{_suffix(backend_url)}").path
    with app.extensions["axbridge_db"].engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": ops.code_head()})
        conn.execute(text("DELETE FROM bid"))
    with pytest.raises(ops.BackupError, match="newer database schema.*9999_from_the_future"):
        ops.restore(backend_url, newer)
    assert count(app, "SELECT COUNT(*) FROM bid") == 0
    assert count(app, "SELECT COUNT(*) FROM problem WHERE id = :id", id=world["problem_id"]) == 1


def _cli(url: str, args: list[str], **env):
    environment = {"AXBRIDGE_DATABASE_URL": url, "AXBRIDGE_SECRET_KEY": SECRET, "AXBRIDGE_ENV": "development"}
    environment.update(env)
    return CliRunner().invoke(main, args, env=environment, catch_exceptions=False)


def test_cli_backup_and_restore_refuses_production_without_yes(backend_url, ops_app, tmp_path):
    app = ops_app(backend_url)
    world = _world(app)
    target = tmp_path / f"cli{_suffix(backend_url)}"
    made = _cli(backend_url, ["backup", "--output", str(target)])
    assert made.exit_code == 0, made.output
    assert "backup written" in made.output and target.exists()
    with app.extensions["axbridge_db"].engine.begin() as conn:
        conn.execute(text("DELETE FROM bid"))

    refused = _cli(backend_url, ["restore", str(target)], AXBRIDGE_ENV="production")
    assert refused.exit_code != 0 and "without --yes" in refused.output
    assert count(app, "SELECT COUNT(*) FROM bid") == 0

    done = _cli(backend_url, ["restore", str(target), "--yes"], AXBRIDGE_ENV="production")
    assert done.exit_code == 0, done.output
    assert count(app, "SELECT COUNT(*) FROM bid WHERE id = :id", id=world["bid_id"]) == 1


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(ops.BackupError, match="not an AX Bridge backup"):
        ops.restore(f"sqlite:///{tmp_path / 'db.sqlite3'}", junk)
    assert not (tmp_path / "db.sqlite3").exists()
