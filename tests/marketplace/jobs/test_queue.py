"""The Dramatiq queue on Redis: a job asked for in a transaction is queued when it commits, and
`axbridge worker` runs it; the periodic tick is queued once per slot whatever the number of workers."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import redis
from sqlalchemy import delete
from sqlmodel import select

from marketplace import create_app
from marketplace.accounts.models import Organisation
from marketplace.database import session_scope
from marketplace.jobs import queue
from marketplace.notifications import services as notifications
from marketplace.notifications.models import DeliveryState, OutboxEmail
from tests.conftest import app_settings
from tests.factories import Factory
from tests.redis_server import redis_url


@pytest.fixture
def queued_app(database_url, tmp_path):
    url = redis_url()
    namespace = f"axbridge-test-{uuid.uuid4().hex[:8]}"
    app = create_app(app_settings(database_url, tmp_path, REDIS_URL=url, JOBS_NAMESPACE=namespace))
    yield app
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{namespace}*"))
    if keys:
        client.delete(*keys)


def test_an_email_is_queued_at_commit_and_sent_by_the_worker(queued_app):
    app = queued_app
    with app.app_context(), session_scope(app) as session:
        user = Factory(session).user(email=f"queue-{uuid.uuid4().hex[:6]}@dongjin.example")
        org_id, email = user.organisation_id, user.email
        notifications.notify(session, [user], "invited", {"title": "빵 수요 예측"}, link="/problems/1")
    with app.app_context(), session_scope(app) as session:  # committed and queued, not sent in the request
        row = session.exec(select(OutboxEmail).where(OutboxEmail.to_email == email)).one()
        assert row.state == DeliveryState.PENDING

    stop = threading.Event()
    worker = threading.Thread(target=queue.run_worker, args=(app,), kwargs={"threads": 1, "tick_seconds": 3600,
                                                                            "stop": stop})
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with app.app_context(), session_scope(app) as session:
                row = session.exec(select(OutboxEmail).where(OutboxEmail.to_email == email)).one()
            if row.state != DeliveryState.PENDING:
                break
            time.sleep(0.2)
        assert row.state == DeliveryState.SENT and row.attempts == 1
    finally:
        stop.set()
        worker.join(timeout=30)
        with app.app_context(), session_scope(app) as session:
            session.exec(delete(OutboxEmail).where(OutboxEmail.to_email == email))
            session.exec(delete(Organisation).where(Organisation.id == org_id))
        app.extensions["axbridge_db"].engine.dispose()


def test_only_one_worker_queues_the_tick_of_a_slot():
    client = redis.Redis.from_url(redis_url())
    namespace = f"axbridge-test-{uuid.uuid4().hex[:8]}"
    try:
        now = 1_000_000.0
        claims = [queue.claim_tick_slot(client, 30, now, namespace=namespace) for _ in range(3)]
        assert claims == [True, False, False]
        assert queue.claim_tick_slot(client, 30, now + 30, namespace=namespace)  # the next slot
    finally:
        client.delete(*client.scan_iter(f"{namespace}*"))
