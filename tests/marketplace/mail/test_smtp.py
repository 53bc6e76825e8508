"""E-mail really goes out over SMTP: a local aiosmtpd server receives it and the Korean subject and body
read back as written. A server that is down or refuses leaves the message queued, never "sent"."""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from marketplace import mail
from marketplace.core.types import travel
from marketplace.notifications import outbox
from marketplace.notifications import services as notifications
from marketplace.notifications.models import DeliveryState, OutboxEmail


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refuse:
            return "554 Transaction failed: policy"
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_config(database_url, tmp_path, smtp_port):
    from tests.conftest import app_settings

    return app_settings(database_url, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_port, SMTP_TLS="none",
                        MAIL_FROM="AX Bridge <no-reply@axbridge.example>")


@pytest.fixture
def inbox(smtp_port):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


def queued(db_session, factory, **kw) -> OutboxEmail:
    user = factory.user(locale="ko", **kw)
    notifications.notify(db_session, [user], "bids_ready", {"title": "빵 수요 예측으로 폐기 줄이기"},
                         link="/problems/7/evaluation")
    return db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == user.email)).one()


def test_a_korean_notification_arrives_with_its_subject_and_body_readable(db_session, factory, inbox):
    row = queued(db_session, factory)
    assert outbox.deliver(db_session, row.id, mail.send) == DeliveryState.SENT
    (message,) = inbox.messages
    assert message["Subject"] == row.subject
    assert "빵 수요 예측으로 폐기 줄이기" in message["Subject"]
    assert "=?utf-8?" in inbox.envelopes[0].original_content.decode("ascii").split("\r\n\r\n")[0].lower()
    assert message.get_content().strip() == row.body.strip()
    assert message["From"] == "AX Bridge <no-reply@axbridge.example>"
    assert inbox.envelopes[0].rcpt_tos == [row.to_email]
    assert row.sent_at is not None and row.attempts == 1


def test_a_server_that_is_down_keeps_the_message_queued_and_it_goes_out_later(db_session, factory, smtp_port):
    row = queued(db_session, factory)
    assert outbox.deliver(db_session, row.id, mail.send) == DeliveryState.PENDING  # nothing listens yet
    assert row.sent_at is None and row.attempts == 1 and "Connection" in row.last_error
    assert outbox.deliver(db_session, row.id, mail.send) is None  # not due again before the backoff
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        with travel(timedelta(minutes=2)):
            assert outbox.deliver(db_session, row.id, mail.send) == DeliveryState.SENT
    finally:
        controller.stop()
    assert len(handler.messages) == 1 and row.attempts == 2 and row.last_error is None


def test_a_refusing_server_never_counts_as_sent_and_gives_up_after_the_last_attempt(db_session, factory, inbox):
    inbox.refuse = True
    row = queued(db_session, factory)
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        with travel(timedelta(hours=attempt)):
            state = outbox.deliver(db_session, row.id, mail.send)
        assert state == (DeliveryState.FAILED if attempt == outbox.MAX_ATTEMPTS else DeliveryState.PENDING)
    assert row.sent_at is None and "554" in row.last_error and not inbox.messages


def test_production_without_an_smtp_server_keeps_messages_queued(app, db_session, factory):
    row = queued(db_session, factory)
    app.config.update(SMTP_HOST=None, ENV="production")
    assert outbox.deliver(db_session, row.id, mail.send) == DeliveryState.PENDING
    assert "AXBRIDGE_SMTP_HOST" in row.last_error
