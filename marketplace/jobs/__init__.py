"""Background jobs: the periodic tick (close bidding at the deadline, reminders, the outbox) and e-mail
delivery.

With ``AXBRIDGE_REDIS_URL`` set, jobs go onto a Dramatiq queue in Redis and ``axbridge worker`` runs
them (with retries and backoff). Without it (the embedded SQLite default, ``make run``), a job runs
in-process, synchronously, right after the transaction that asked for it commits — nothing else is
needed. Either way a periodic job is safe to run on several hosts at once: every change it makes is
claimed in the database first (see marketplace/bids/services/deadlines.py and
marketplace/notifications/outbox.py), so a bidding is closed and a vendor notified exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context

from marketplace.core import afterwards
from marketplace.database import session_scope

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    closed: int
    reminded: int
    sent: int
    asked: int = 0
    index: str = ""

    def summary(self) -> str:
        text = (f"closed bidding on {self.closed} problem(s); reminders for {self.reminded}; "
                f"{self.asked} follow-up(s) asked; {self.sent} e-mail(s) sent")
        return f"{text}\n{self.index}" if self.index else text


def deliver_email(email_id: int) -> str | None:
    """Claim and send one e-mail in its own transaction; returns its new state (None: nothing to do)."""
    from marketplace import mail
    from marketplace.notifications import outbox

    with session_scope() as session:
        state = outbox.deliver(session, email_id, mail.send)
    return state.value if state is not None else None


def deliver_due(limit: int = 200) -> int:
    """Send every due e-mail, each in its own transaction. Returns how many were sent."""
    from marketplace.notifications import outbox

    with session_scope() as session:
        ids = outbox.due_ids(session, limit=limit)
    return sum(deliver_email(email_id) == "sent" for email_id in ids)


def tick() -> TickReport:
    """The periodic work: close due biddings, remind a day before deadlines, ask the follow-ups due after
    completion (6, 12, 24 months), send due e-mails, fold the committed changes into the shared ranking
    index."""
    from marketplace.bids import services as bids
    from marketplace.discovery import services as discovery
    from marketplace.outcomes import services as outcomes

    with session_scope() as session:
        closed = bids.close_due_problems(session)
        reminded = bids.send_deadline_reminders(session)
        _scheduled, asked = outcomes.run_follow_ups(session)
        afterwards.discard(session)  # the e-mails these queued are sent just below
    sent = deliver_due()
    return TickReport(closed=closed, reminded=reminded, asked=asked, sent=sent,
                      index=discovery.refresh_shared_index().summary())


#: name → function; the functions run inside an app context and manage their own transactions.
JOBS = {"tick": tick, "deliver_email": deliver_email}


def run(name: str, kwargs: dict | None = None):
    return JOBS[name](**(kwargs or {}))


def enqueue(name: str, **kwargs) -> None:
    """Start a job: onto the queue when a broker is configured, otherwise now, in this process.

    A job that cannot be queued or fails in-process is logged, never raised: everything a job does is
    recorded in the database first (a pending e-mail, a due deadline), and the next tick picks it up.
    """
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    if not has_app_context():
        logger.warning("job %s %s not started (no app context); the next tick does its work", name, kwargs)
        return
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        from marketplace.jobs import queue

        try:
            queue.send(app, name, kwargs)
        except Exception:  # noqa: BLE001 - Redis down: the tick sweeps the database instead
            logger.exception("job %s %s could not be queued (is Redis at AXBRIDGE_REDIS_URL up?); "
                             "the next tick does its work", name, kwargs)
        return
    try:
        run(name, kwargs)
    except Exception:  # noqa: BLE001 - the request that asked for it has committed; the tick retries
        logger.exception("in-process job %s %s failed; the next tick retries it", name, kwargs)


def init_app(app: Flask) -> None:
    """Jobs asked for with marketplace.core.afterwards.after_commit start here."""
    afterwards.install(lambda name, kwargs: enqueue(name, **kwargs))
