"""Amendments (정정공고): a change of a problem during bidding, published field by field (old → new), with the
deadline moved out to leave vendors time; the SME may extend the deadline, never shorten it.

The rules of what changed and what follows are pure (:mod:`marketplace.problems.changes`); this module
stores the amendment and announces it (signal ``problem-amended``): bids re-confirm or carry on, and every
vendor with a bid is told which fields changed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from marketplace import signals
from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.problems.changes import Change, deadline_after_amendment, needs_reconfirmation, plain
from marketplace.problems.models import Problem, ProblemAmendment, ProblemState
from marketplace.problems.services.access import is_member

logger = logging.getLogger(__name__)

MAX_BIDDING_DAYS = 120


def publish_amendment(session: Session, *, user: User, problem: Problem, changes: Sequence[Change],
                      note: str = "", move_deadline: bool = True) -> ProblemAmendment:
    """Store and announce an amendment of a problem in bidding; move its deadline out to leave
    ``problem.amendment_min_days`` (unless ``move_deadline`` is false: the SME set the deadline itself)."""
    before = problem.bid_deadline
    if move_deadline and before is not None:
        problem.bid_deadline = deadline_after_amendment(before, utcnow(), problem.amendment_min_days)
        if problem.bid_deadline != before:
            problem.reminder_sent_at = None   # vendors are reminded again a day before the new deadline
    number = session.exec(select(func.count()).select_from(ProblemAmendment)
                          .where(ProblemAmendment.problem_id == problem.id)).one() + 1
    amendment = ProblemAmendment(problem_id=problem.id, number=number, revision=problem.revision,
                                 changes=[{**c.as_dict(), "old": plain(c.old), "new": plain(c.new)} for c in changes],
                                 reconfirm=needs_reconfirmation(changes), deadline_before=before,
                                 deadline_after=problem.bid_deadline, note=(note or "").strip()[:500],
                                 created_by_id=user.id)
    session.add(problem)
    session.add(amendment)
    session.flush()
    audit.record(session, "problem_amended", actor=user, obj=problem,
                 details={"amendment": number, "fields": [c.field for c in changes],
                          "reconfirm": amendment.reconfirm})
    logger.info("problem amended id=%s amendment=%s reconfirm=%s", problem.id, number, amendment.reconfirm)
    signals.problem_amended.send(problem, session=session, amendment=amendment)
    return amendment


def extend_deadline(session: Session, *, user: User, problem: Problem, deadline: datetime) -> ProblemAmendment:
    """The SME moves the bid deadline later while bidding is open (published as an amendment); never earlier."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    now = utcnow()
    if problem.state != ProblemState.BIDDING or problem.bid_deadline is None or problem.bid_deadline <= now:
        raise Conflict(_("The deadline can be extended only while bidding is open."))
    if deadline.tzinfo is None:
        raise ValidationFailed(_("Give the deadline with its time zone."), field="deadline")
    if deadline <= problem.bid_deadline:
        raise ValidationFailed(_("The new deadline must be later than the current one: once bidding has opened, "
                                 "the deadline cannot be shortened."), field="deadline")
    if deadline > now + timedelta(days=MAX_BIDDING_DAYS):
        raise ValidationFailed(_("The bid deadline must be within 120 days."), field="deadline")
    old = problem.bid_deadline
    problem.bid_deadline = deadline
    problem.reminder_sent_at = None
    return publish_amendment(session, user=user, problem=problem,
                             changes=[Change("bid_deadline", old, deadline)], move_deadline=False)


def list_amendments(session: Session, problem: Problem) -> list[ProblemAmendment]:
    return list(session.exec(select(ProblemAmendment).where(ProblemAmendment.problem_id == problem.id)
                             .order_by(ProblemAmendment.number)))
