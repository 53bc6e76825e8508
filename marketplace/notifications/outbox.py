"""The e-mail outbox: which messages are due, claiming one so that only one worker sends it, and recording
the outcome. Services flush, never commit: the caller (marketplace/jobs) gives each e-mail its own
transaction, so a worker killed while sending leaves the row pending and it is sent again later.

A refused delivery is never recorded as sent: the row stays pending with ``next_attempt_at`` moved
back exponentially (1, 2, 4 … minutes, at most an hour), and is marked failed after MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session, select

from marketplace.core.types import utcnow
from marketplace.notifications.models import DeliveryState, OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


class DeliveryError(Exception):
    """The message could not be handed over (server down, refused, misconfigured); try again later."""


def backoff(attempts: int) -> timedelta:
    """The wait after the given number of failed attempts: 1, 2, 4 … minutes, never more than an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def due_ids(session: Session, *, limit: int = 200) -> list[int]:
    return list(session.exec(select(OutboxEmail.id).where(
        OutboxEmail.state == DeliveryState.PENDING, OutboxEmail.next_attempt_at <= utcnow())
        .order_by(OutboxEmail.id).limit(limit)))


def claim(session: Session, email_id: int) -> OutboxEmail | None:
    """The row, locked for this transaction, if it is still due; None if sent, not due or being sent.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED``, so a second worker skips a row the first is sending.
    SQLite: the transaction already holds the database's write lock (BEGIN IMMEDIATE).
    """
    row = session.exec(select(OutboxEmail).where(
        OutboxEmail.id == email_id, OutboxEmail.state == DeliveryState.PENDING,
        OutboxEmail.next_attempt_at <= utcnow()).with_for_update(skip_locked=True)).first()
    return row


def deliver(session: Session, email_id: int, send: Callable[[OutboxEmail], None]) -> DeliveryState | None:
    """Claim one e-mail and try to send it. Returns its new state, or None when there was nothing to do."""
    row = claim(session, email_id)
    if row is None:
        return None
    now = utcnow()
    row.attempts += 1
    try:
        send(row)
    except DeliveryError as exc:
        row.last_error = str(exc)[:500]
        if row.attempts >= MAX_ATTEMPTS:
            row.state = DeliveryState.FAILED
            logger.error("e-mail %s to %s failed for good after %s attempts: %s", row.id, row.to_email,
                         row.attempts, exc)
        else:
            row.next_attempt_at = now + backoff(row.attempts)
            logger.warning("e-mail %s to %s not sent (attempt %s), retry at %s: %s", row.id, row.to_email,
                           row.attempts, row.next_attempt_at.isoformat(), exc)
    else:
        row.state = DeliveryState.SENT
        row.sent_at = now
        row.last_error = None
    session.add(row)
    session.flush()
    return row.state


def deliver_due(session: Session, send: Callable[[OutboxEmail], None], *, limit: int = 200) -> int:
    """Send every due e-mail in this one transaction (tests, ``deliver_outbox``). Returns how many were sent."""
    return sum(deliver(session, email_id, send) == DeliveryState.SENT for email_id in due_ids(session, limit=limit))
