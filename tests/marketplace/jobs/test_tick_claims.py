"""Two ticks at once (two hosts running cron or workers) close a bidding once and notify each person once.

Runs on whichever database the suite uses; on PostgreSQL the two ticks really overlap (``make test``).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func
from sqlmodel import select

from marketplace import create_app, jobs
from marketplace.accounts.models import Organisation, User
from marketplace.core.types import travel
from marketplace.database import session_scope
from marketplace.notifications.models import DeliveryState, Notification, OutboxEmail
from marketplace.problems.models import Problem
from tests.conftest import app_settings
from tests.factories import Factory


@pytest.fixture
def world(database_url, tmp_path):
    """A problem in bidding with three vendors holding draft bids; really committed, removed afterwards."""
    app = create_app(app_settings(database_url, tmp_path))
    with app.app_context(), session_scope(app) as session:
        factory = Factory(session)
        problem = factory.problem(state="bidding")
        bids = [factory.bid(problem, submit=False) for _ in range(3)]
        owner = session.get(User, problem.created_by_id)
        vendors = [b.vendor_id for b in bids]
        people = session.exec(select(User.id, User.email).where(
            User.organisation_id.in_([problem.organisation_id, *vendors]))).all()
        data = {"problem_id": problem.id, "owner_id": owner.id, "orgs": [problem.organisation_id, *vendors],
                "vendor_users": [u.id for u in session.exec(select(User).where(User.organisation_id.in_(vendors)))],
                "emails": [email for _id, email in people]}
    yield app, data
    with app.app_context(), session_scope(app) as session:
        session.exec(delete(OutboxEmail).where(OutboxEmail.to_email.in_(data["emails"])))
        session.exec(delete(Organisation).where(Organisation.id.in_(data["orgs"])))
    app.extensions["axbridge_db"].engine.dispose()


def concurrent_ticks(app, n: int = 2) -> list[jobs.TickReport]:
    reports: list[jobs.TickReport] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def tick():
        with app.app_context():
            barrier.wait()
            try:
                reports.append(jobs.tick())
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    threads = [threading.Thread(target=tick) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return reports


def kinds(session, user_ids, kind) -> dict[int, int]:
    rows = session.exec(select(Notification.user_id, func.count()).where(
        Notification.user_id.in_(user_ids), Notification.kind == kind).group_by(Notification.user_id)).all()
    return dict(rows)


def test_two_ticks_at_once_remind_and_close_once_with_one_notification_per_person(world):
    app, data = world
    with travel(timedelta(days=6, hours=12)):
        reports = concurrent_ticks(app)
    assert sum(r.reminded for r in reports) == 1
    with app.app_context(), session_scope(app) as session:
        assert kinds(session, data["vendor_users"], "deadline_reminder") == {u: 1 for u in data["vendor_users"]}

    with travel(timedelta(days=8)):
        reports = concurrent_ticks(app)
    assert sum(r.closed for r in reports) == 1
    with app.app_context(), session_scope(app) as session:
        assert session.get(Problem, data["problem_id"]).state == "evaluation"
        assert kinds(session, [data["owner_id"]], "bids_ready") == {data["owner_id"]: 1}
        emails = session.exec(select(OutboxEmail).where(OutboxEmail.to_email.in_(data["emails"]))).all()
        assert len(emails) == len(data["vendor_users"]) + 1  # one reminder per vendor person, one to the owner
        assert {e.state for e in emails} == {DeliveryState.SENT}  # development: printed to the log
        assert all(e.attempts == 1 for e in emails)  # each sent once, not once per tick


def test_a_second_tick_finds_nothing_to_do(world):
    app, _data = world
    with travel(timedelta(days=8)), app.app_context():
        first, second = jobs.tick(), jobs.tick()
    assert first.closed == 1
    assert (second.closed, second.reminded, second.sent) == (0, 0, 0)
