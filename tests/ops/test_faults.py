"""Faults: a worker killed mid-transaction leaves nothing half-written; a database that goes away
gives a friendly 503 (Korean and English pages, problem+json for the API) and the app recovers."""

from __future__ import annotations

import html
import json
import os
import signal
import sqlite3
import select
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import text
from sqlalchemy.engine import make_url

import marketplace.database
from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.core.types import travel
from marketplace.database import db, session_scope
from marketplace.errors import page_messages
from marketplace.problems import services as problems
from tests.factories import Factory
from tests.helpers import csrf_token
from tests.ops import crash_child
from tests.ops.conftest import count
from tests.ops.proxy import TcpProxy

CHILD_TIMEOUT = 90


# --- killed workers ---------------------------------------------------------------------------------

def _token(session, user) -> str:
    return accounts.issue_api_token(session, user=user)[1]


def _bid_body(session, problem) -> dict:
    kpis = problems.list_kpis(session, problem)
    return {"price_krw": 28_000_000, "duration_weeks": 9, "submit": True,
            "approach": "POS 판매 기록과 날씨 데이터로 품목별 수요를 예측하고 매일 저녁 생산 수량을 안내합니다.",
            "milestones": [{"name": "연동", "week": 3, "payment_percent": 40},
                           {"name": "운영", "week": 9, "payment_percent": 60}],
            "kpi_commitments": [{"kpi_id": k.id, "value": str(k.target)} for k in kpis],
            "maintenance_yearly_krw": 2_000_000, "maintenance_years": 1}


def _world(app) -> dict:
    with app.app_context(), session_scope(app) as session:
        factory = Factory(session)
        submit_problem = factory.problem(state="bidding")
        vendor_user = factory.user(factory.vendor())
        worlds = {"submit": {"problem_id": submit_problem.id, "vendor_id": vendor_user.organisation_id,
                             "token": _token(session, vendor_user), "body": _bid_body(session, submit_problem)}}
        for name in ("award", "pdf"):
            problem = factory.problem(state="bidding")
            bids = [factory.bid(problem) for _ in range(2)]
            owner = session.get(User, problem.created_by_id)
            worlds[name] = {"problem_id": problem.id, "bid_id": bids[0].id, "token": _token(session, owner)}
        return worlds


class Child:
    """One crashing worker: a process forked from this one (no thread runs here when it forks)."""

    def __init__(self, scenario: str, url: str, instance: Path, args: dict):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            code = 4
            try:
                os.close(read_fd)
                crash_child.run(scenario, url, str(instance), args,
                                lambda line: os.write(write_fd, (line + "\n").encode()))
            except BaseException as exc:  # noqa: BLE001 - report anything to the parent
                os.write(write_fd, f"ERROR {exc!r}\n".encode())
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid, self.fd, self.buffer, self.code = pid, read_fd, b"", None

    @property
    def lines(self) -> list[str]:
        return self.buffer.decode(errors="replace").splitlines()

    def poll(self, timeout: float) -> None:
        """Read what the child wrote (up to ``timeout`` seconds) and reap it if it ended."""
        if self.fd is not None and select.select([self.fd], [], [], timeout)[0]:
            chunk = os.read(self.fd, 65536)
            if chunk:
                self.buffer += chunk
            else:
                os.close(self.fd)
                self.fd = None
        if self.code is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.code = os.waitstatus_to_exitcode(status)

    def wait_for(self, prefix: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not any(line.startswith(prefix) for line in self.lines):
            if self.fd is None:
                break
            self.poll(0.05)
        return any(line.startswith(prefix) for line in self.lines)

    def finish(self) -> int:
        deadline = time.monotonic() + CHILD_TIMEOUT
        while (self.code is None or self.fd is not None) and time.monotonic() < deadline:
            self.poll(0.05)
        if self.code is None:
            os.kill(self.pid, signal.SIGKILL)
            self.code = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        return self.code

    def output(self) -> str:
        return "\n".join(self.lines)


def _consistent(app, url: str) -> None:
    if url.startswith("sqlite"):
        path = make_url(url).database
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            conn.close()
        return
    # PostgreSQL rolled the dead sessions back: nothing of theirs is left, not even an idle transaction.
    name = make_url(url).database
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        left = count(app, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid() "
                          "AND state LIKE 'idle in transaction%'", db=name)
        if left == 0:
            break
        time.sleep(0.1)
    assert left == 0


def test_workers_killed_mid_transaction_leave_no_half_written_record(backend_url, ops_app, tmp_path):
    app = ops_app(backend_url)
    worlds = _world(app)
    instance = tmp_path / "child-instance"
    instance.mkdir()
    before = sorted(p.relative_to(instance) for p in instance.rglob("*"))

    assert threading.active_count() == 1, "fork only from a single-threaded process"
    children = {name: Child(name, backend_url, instance, worlds[name]) for name in ("submit", "award", "pdf")}
    try:
        assert children["pdf"].wait_for("RENDERING", CHILD_TIMEOUT), children["pdf"].output()
        os.kill(children["pdf"].pid, signal.SIGKILL)  # like the OOM killer, while render_pdf runs
    finally:
        codes = {name: child.finish() for name, child in children.items()}

    assert codes == {"submit": 9, "award": 9, "pdf": -signal.SIGKILL}, {n: c.output() for n, c in children.items()}
    assert any(line.endswith("rows=1") for line in children["submit"].lines), children["submit"].output()
    assert any("awarded=1" in line for line in children["award"].lines), children["award"].output()

    # Nothing of the dead transactions was committed.
    submit = worlds["submit"]
    assert count(app, "SELECT COUNT(*) FROM bid WHERE problem_id = :p AND vendor_id = :v",
                 p=submit["problem_id"], v=submit["vendor_id"]) == 0
    for name in ("award", "pdf"):
        problem_id = worlds[name]["problem_id"]
        assert count(app, "SELECT COUNT(*) FROM bid WHERE problem_id = :p AND state = 'awarded'", p=problem_id) == 0
        assert count(app, "SELECT COUNT(*) FROM bid WHERE problem_id = :p AND state = 'submitted'", p=problem_id) == 2
        assert count(app, "SELECT COUNT(*) FROM problem WHERE id = :p AND state = 'bidding'", p=problem_id) == 1
    assert count(app, "SELECT COUNT(*) FROM notification WHERE kind IN ('award_won', 'award_lost')") == 0
    # No stray PDF or temporary file in the instance folder.
    assert sorted(p.relative_to(instance) for p in instance.rglob("*")) == before
    _consistent(app, backend_url)

    # The app works afterwards: the same bid goes in, and the award goes through.
    client = app.test_client()
    made = client.post(f"/api/v1/problems/{submit['problem_id']}/bids", json=submit["body"],
                       headers={"Authorization": f"Bearer {submit['token']}"})
    assert made.status_code == 201, made.get_json()
    with travel(timedelta(days=8)):
        awarded = client.post(f"/api/v1/bids/{worlds['award']['bid_id']}/award",
                              headers={"Authorization": f"Bearer {worlds['award']['token']}"})
    assert awarded.status_code == 200, awarded.get_json()
    assert awarded.get_json()["state"] == "awarded"


# --- the database goes away -----------------------------------------------------------------------

def _expected(app, lang: str) -> str:
    with app.test_request_context("/"), force_locale(lang):
        return str(page_messages()[503])


def _assert_unavailable(app, client) -> None:
    # The catalogue reads the database on every request (the home page's counts may be a minute old).
    page = client.get("/offerings")
    assert page.status_code == 503
    assert _expected(app, "ko") in html.unescape(page.get_data(as_text=True))
    with client.session_transaction() as session:
        session["locale"] = "en"
    english = client.get("/offerings")
    assert english.status_code == 503
    assert _expected(app, "en") in html.unescape(english.get_data(as_text=True))
    with client.session_transaction() as session:
        session.pop("locale")
    api = client.get("/api/v1/offerings")
    assert api.status_code == 503
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["status"] == 503


def _assert_available(client) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/offerings").status_code == 200
    assert client.get("/api/v1/offerings").status_code == 200


def test_postgresql_going_away_gives_503_and_the_app_recovers(backend_url, ops_app):
    if backend_url.startswith("sqlite"):
        pytest.skip("PostgreSQL run (the proxy stands between the app and the server)")
    real = make_url(backend_url)
    with TcpProxy(real.host or "127.0.0.1", real.port or 5432) as proxy:
        app = ops_app(real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        client = app.test_client()
        _assert_available(client)
        proxy.stop()
        _assert_unavailable(app, client)
        proxy.start()  # the same port again
        _assert_available(client)


def _assert_writes_unavailable(app, client) -> None:
    """A form post and an API call that need the write lock wait for it, then answer 503 (ko, en, problem+json)."""
    for lang in ("ko", "en"):
        with client.session_transaction() as session:
            session["locale"] = lang
        token = csrf_token(client, "/login")
        page = client.post("/login", data={"csrf_token": token, "email": "nobody@example.com",
                                           "password": "not-the-password"})
        assert page.status_code == 503
        assert _expected(app, lang) in html.unescape(page.get_data(as_text=True))
    with client.session_transaction() as session:
        session.pop("locale")
    api = client.post("/api/v1/tokens", json={"email": "nobody@example.com", "password": "not-the-password"})
    assert api.status_code == 503
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["status"] == 503


def test_sqlite_locked_out_gives_503_and_the_app_recovers(backend_url, ops_app, monkeypatch):
    if not backend_url.startswith("sqlite"):
        pytest.skip("SQLite run")
    # A short busy timeout, so a request gives up quickly (the production value is 15 s).
    monkeypatch.setattr(marketplace.database, "SQLITE_BUSY_TIMEOUT_MS", 200)
    app = ops_app(backend_url)
    client = app.test_client()
    _assert_available(client)
    holder = sqlite3.connect(make_url(backend_url).database, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        # Pages and API reads go on from the last committed state (WAL readers never wait for the writer) ...
        _assert_available(client)
        # ... while whatever must write waits for the lock, then gets the friendly 503.
        _assert_writes_unavailable(app, client)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _assert_available(client)
    answer = client.post("/api/v1/tokens", json={"email": "nobody@example.com", "password": "not-the-password"})
    assert answer.status_code == 401


def test_a_page_that_writes_after_another_commit_runs_again_with_the_write_lock(backend_url, ops_app):
    """SQLite: GET requests read a snapshot without the write lock. One that then writes, after another
    process committed, cannot upgrade its snapshot: it runs once more with the lock, and answers normally."""
    if not backend_url.startswith("sqlite"):
        pytest.skip("SQLite run")
    path = make_url(backend_url).database
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE visit (n INTEGER)")
    app = ops_app(backend_url)
    runs = []

    @app.get("/visits")
    def visits():
        seen = db.session.execute(text("SELECT COUNT(*) FROM visit")).scalar_one()
        runs.append(seen)
        if len(runs) == 1:
            other.execute("INSERT INTO visit VALUES (1)")  # another process commits after the snapshot
        db.session.execute(text("INSERT INTO visit VALUES (2)"))
        return {"seen": seen}

    try:
        answer = app.test_client().get("/visits")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer.get_json() == {"seen": 1}
        assert runs == [0, 1]
        assert sorted(n for (n,) in other.execute("SELECT n FROM visit")) == [1, 2]
    finally:
        other.close()
