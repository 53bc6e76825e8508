"""The bid deadline: whether bidding is open, closing it when it has passed, and the reminder a day before.

Deadlines are judged by the server's clock in UTC (:func:`marketplace.core.types.utcnow`).

Several hosts may run ``axbridge tick`` or ``axbridge worker`` at once: each change is *claimed* by a
conditional UPDATE (``... WHERE state = 'bidding'``, ``... WHERE reminder_sent_at IS NULL``) and only
the transaction whose UPDATE changed the row notifies. On PostgreSQL a second UPDATE waits for the
first transaction and then finds the row no longer matching; SQLite takes the write lock at BEGIN.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from marketplace.accounts.models import User
from marketplace.bids.models import Bid, BidState
from marketplace.core.types import utcnow
from marketplace.i18n import format_when
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem, ProblemInvitation, ProblemState

logger = logging.getLogger(__name__)


def bidding_open(problem: Problem) -> bool:
    return problem.state == ProblemState.BIDDING and problem.bid_deadline is not None and \
        utcnow() < problem.bid_deadline


def deadline_passed(problem: Problem) -> bool:
    return problem.bid_deadline is not None and utcnow() >= problem.bid_deadline


def close_bidding_if_due(session: Session, problem: Problem) -> bool:
    """bidding → evaluation once the deadline has passed (server time, UTC). Idempotent."""
    if problem.state != ProblemState.BIDDING or not deadline_passed(problem):
        return False
    session.flush()
    claimed = session.execute(
        update(Problem).where(Problem.id == problem.id, Problem.state == ProblemState.BIDDING)
        .values(state=ProblemState.EVALUATION).execution_options(synchronize_session=False)).rowcount
    session.refresh(problem)
    if claimed != 1:  # another transaction (tick, worker, request) closed it first
        return False
    logger.info("bidding closed problem=%s", problem.id)
    owners = session.exec(select(User).where(User.organisation_id == problem.organisation_id)).all()
    notifications.notify(session, owners, "bids_ready", {"title": problem.title},
                         link=f"/problems/{problem.id}/evaluation")
    return True


def close_due_problems(session: Session) -> int:
    due = session.exec(select(Problem).where(Problem.state == ProblemState.BIDDING,
                                             Problem.bid_deadline <= utcnow())).all()
    return sum(close_bidding_if_due(session, p) for p in due)


def send_deadline_reminders(session: Session, *, within_hours: int = 24) -> int:
    """Remind invited vendors and vendors with unfinished bids a day before the deadline (once)."""
    now = utcnow()
    due = session.exec(select(Problem).where(Problem.state == ProblemState.BIDDING,
                                             Problem.reminder_sent_at.is_(None),
                                             Problem.bid_deadline <= now + timedelta(hours=within_hours),
                                             Problem.bid_deadline > now)).all()
    reminded = 0
    for problem in due:
        claimed = session.execute(
            update(Problem).where(Problem.id == problem.id, Problem.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now).execution_options(synchronize_session=False)).rowcount
        session.refresh(problem)
        if claimed != 1:  # another host reminded first
            continue
        reminded += 1
        vendor_ids = set(session.exec(select(ProblemInvitation.vendor_id).where(
            ProblemInvitation.problem_id == problem.id)))
        vendor_ids |= set(session.exec(select(Bid.vendor_id).where(
            Bid.problem_id == problem.id, Bid.state.in_([BidState.DRAFT, BidState.INVALIDATED]))))
        notifications.notify_organisations(session, vendor_ids, "deadline_reminder",
                                           {"title": problem.title, "deadline": format_when(problem.bid_deadline)},
                                           link=f"/problems/{problem.id}/bid")
    session.flush()
    return reminded
