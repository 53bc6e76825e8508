"""Two app processes and two workers against one database and one Redis, as on two hosts:
a due deadline is closed once with one notification per person, and the login limit is shared.

(The ranking engineer adds "an edit through one app is ranked by the other" here: see `hosts` below.)
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import pytest
import redis
from sqlalchemy import func, update
from sqlmodel import select

from marketplace.accounts.models import User
from marketplace.core.types import utcnow
from marketplace.database import session_scope
from marketplace.notifications.models import DeliveryState, Notification, OutboxEmail
from marketplace.problems.models import Problem
from tests.conftest import FAST_ARGON2
from tests.factories import Factory
from tests.redis_server import redis_url

pytestmark = pytest.mark.slow
CLI = "from marketplace.cli import main; main()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def hosts(backend_url, tmp_path):
    """``start()`` runs two `axbridge serve` and two `axbridge worker` processes on the test's database."""
    url = redis_url()
    namespace = f"axbridge-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "AXBRIDGE_ENV": "development", "AXBRIDGE_DATABASE_URL": backend_url,
           "AXBRIDGE_SECRET_KEY": "two-hosts-secret-key-0123456789abcdef", "AXBRIDGE_REDIS_URL": url,
           "AXBRIDGE_JOBS_NAMESPACE": namespace, "AXBRIDGE_LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
           "AXBRIDGE_TICK_SECONDS": "1", "AXBRIDGE_ARGON2_COST": json.dumps(FAST_ARGON2)}
    processes: list[subprocess.Popen] = []
    ports: list[int] = []
    logs = contextlib.ExitStack()

    def spawn(args, log):
        out = logs.enter_context((tmp_path / log).open("w"))
        processes.append(subprocess.Popen([sys.executable, "-c", CLI, *args], env=env, stdout=out,
                                          stderr=subprocess.STDOUT))

    def start():
        for _ in range(2):
            ports.append(free_port())
            spawn(["serve", "--port", str(ports[-1])], f"app{ports[-1]}.log")
        for n in range(2):
            spawn(["worker", "--threads", "2"], f"worker{n}.log")
        deadline = time.monotonic() + 90
        for port in ports:
            while True:
                with contextlib.suppress(OSError):
                    if urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200:
                        break
                assert time.monotonic() < deadline, (tmp_path / f"app{port}.log").read_text()[-3000:]
                time.sleep(0.3)
        return [f"http://127.0.0.1:{port}" for port in ports]

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    logs.close()
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{namespace}*"))
    if keys:
        client.delete(*keys)


def post_json(url: str, data: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


def wait_for(app, condition, message: str, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        with app.app_context(), session_scope(app) as session:
            if condition(session):
                return
        assert time.monotonic() < deadline, message
        time.sleep(0.5)


def test_two_apps_and_two_workers_close_a_deadline_once_and_share_the_login_limit(hosts, backend_url, ops_app):
    app = ops_app(backend_url)
    with app.app_context(), session_scope(app) as session:
        factory = Factory(session)
        problem = factory.problem(state="bidding")
        vendors = [factory.bid(problem, submit=False).vendor_id for _ in range(3)]
        problem_id, owner_id = problem.id, problem.created_by_id
        vendor_users = list(session.exec(select(User.id).where(User.organisation_id.in_(vendors))))
        victim = factory.user().email
        # the deadline is in an hour: the reminder is due at once
        session.exec(update(Problem).where(Problem.id == problem_id).values(bid_deadline=utcnow() + timedelta(hours=1)))

    first, second = hosts()

    # the login limit (3 failures per account per minute) counts across both apps
    statuses = [post_json(f"{base}/api/v1/tokens", {"email": victim, "password": "not-the-password"})
                for base in (first, second, first, second, first)]
    assert statuses == [401, 401, 401, 429, 429]

    wait_for(app, lambda session: session.get(Problem, problem_id).reminder_sent_at is not None, "no reminder")
    with app.app_context(), session_scope(app) as session:  # now the deadline passes
        session.exec(update(Problem).where(Problem.id == problem_id).values(bid_deadline=utcnow()))
    deadline = time.monotonic() + 90
    while True:
        with app.app_context(), session_scope(app) as session:
            state = session.get(Problem, problem_id).state
            pending = session.exec(select(func.count()).select_from(OutboxEmail).where(
                OutboxEmail.state == DeliveryState.PENDING)).one()
        if state == "evaluation" and not pending:
            break
        assert time.monotonic() < deadline, f"problem still {state}, {pending} e-mail(s) pending"
        time.sleep(0.5)
    time.sleep(3)  # a few more ticks on both workers: nothing may happen twice

    with app.app_context(), session_scope(app) as session:
        def per_user(kind, ids):
            return dict(session.exec(select(Notification.user_id, func.count()).where(
                Notification.kind == kind, Notification.user_id.in_(ids)).group_by(Notification.user_id)).all())

        assert per_user("deadline_reminder", vendor_users) == {u: 1 for u in vendor_users}
        assert per_user("bids_ready", [owner_id]) == {owner_id: 1}
        emails = session.exec(select(OutboxEmail)).all()
        assert len(emails) == len(vendor_users) + 1
        assert all(e.state == DeliveryState.SENT and e.attempts == 1 for e in emails)
