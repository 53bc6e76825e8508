"""PostgreSQL: read requests run in autocommit (no BEGIN/COMMIT round trips), yet what such a request writes
still commits or rolls back as one, and a connection the server closed in between costs the user nothing."""

from __future__ import annotations

import psycopg
import pytest
from flask import request
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

import marketplace.database
from marketplace.database import db, normalise_url
from tests.ops.conftest import count


@pytest.fixture
def pg_app(backend_url, ops_app):
    if backend_url.startswith("sqlite"):
        pytest.skip("PostgreSQL run")
    app = ops_app(backend_url)
    with app.extensions["axbridge_db"].engine.begin() as conn:
        conn.execute(text("CREATE TABLE visit (n INTEGER NOT NULL)"))
    return app


def test_a_read_request_reads_without_a_transaction(pg_app):
    """Each statement of a read request is its own transaction (no BEGIN and COMMIT round trips): a later
    statement's transaction starts with it, where inside one transaction ``now()`` would stay put."""
    @pg_app.get("/clock")
    def clock():
        db.session.execute(text("SELECT COUNT(*) FROM visit"))
        db.session.execute(text("SELECT pg_sleep(0.02)"))
        return {"own": db.session.execute(text("SELECT now() = statement_timestamp()")).scalar_one()}

    client = pg_app.test_client()
    assert client.get("/clock").get_json() == {"own": True}


def test_what_a_read_request_writes_commits_or_rolls_back_as_one(pg_app):
    @pg_app.get("/visit")
    def visit():
        n = int(request.args["n"])
        db.session.execute(text("INSERT INTO visit VALUES (:n)"), {"n": n})
        db.session.execute(text("INSERT INTO visit VALUES (:n)"), {"n": n})
        if n == 13:
            raise RuntimeError("the page failed after writing")
        return {"ok": True}

    pg_app.config["PROPAGATE_EXCEPTIONS"] = False
    client = pg_app.test_client()
    assert client.get("/visit?n=7").status_code == 200
    assert client.get("/visit?n=13").status_code == 500
    assert count(pg_app, "SELECT COUNT(*) FROM visit WHERE n = 7") == 2
    assert count(pg_app, "SELECT COUNT(*) FROM visit WHERE n = 13") == 0  # neither of the failed page's rows


def test_a_lock_taken_by_a_read_request_lasts_until_its_end(pg_app):
    """A transaction-scoped lock (the change log's advisory lock) opens a transaction, so it is held until
    the request ends, not released by the statement's own commit."""
    @pg_app.get("/locked")
    def locked():
        db.session.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        with pg_app.extensions["axbridge_db"].engine.connect() as other:
            free = other.execute(text("SELECT pg_try_advisory_xact_lock(4242)")).scalar_one()
        return {"free_while_held": free}

    assert pg_app.test_client().get("/locked").get_json() == {"free_while_held": False}


def test_a_connection_the_server_closed_costs_a_reader_nothing(pg_app, backend_url, monkeypatch):
    @pg_app.get("/count")
    def visits():
        return {"n": db.session.execute(text("SELECT COUNT(*) FROM visit")).scalar_one()}

    client = pg_app.test_client()
    for idle_ping in (3600.0, 0.0):  # in use a moment ago (no ping: the request runs again), then idle (pinged)
        monkeypatch.setattr(marketplace.database, "PING_AFTER_IDLE_SECONDS", idle_ping)
        assert client.get("/count").status_code == 200
        with psycopg.connect(make_url(normalise_url(backend_url)).set(drivername="postgresql")
                             .render_as_string(hide_password=False), autocommit=True) as admin:
            # the server ends every other session of the database, the app's pooled connection too (a restart)
            ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
        assert ended >= 1
        answer = client.get("/count")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer.get_json() == {"n": 0}
