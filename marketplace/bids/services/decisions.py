"""The SME's decisions after the deadline: shortlist, reject with a reason, and one award per problem."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from marketplace import signals
from marketplace.accounts.models import MemberRole, User
from marketplace.audit import services as audit
from marketplace.bids.models import LIVE_STATES, Bid, BidState, ExplanationState
from marketplace.bids.schemas import REASON_MAX
from marketplace.bids.services.deadlines import close_bidding_if_due, deadline_passed
from marketplace.bids.services.scores import evaluate
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.notifications import services as notifications
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemState

logger = logging.getLogger(__name__)


def _require_owner_of(user: User, problem: Problem) -> None:
    if not problems.is_member(user, problem.organisation_id):
        raise NotFound(_("No such bid."))
    if user.role != MemberRole.OWNER:
        raise NotAllowed(_("Only an owner of the organisation can decide on bids."))


def _lock_problem(session: Session, problem_id: int) -> Problem:
    """Re-read the problem under a row lock (PostgreSQL); SQLite already serialises writers."""
    return session.exec(select(Problem).where(Problem.id == problem_id).with_for_update()
                        .execution_options(populate_existing=True)).one()


def decide(session: Session, *, user: User, bid: Bid) -> Problem:
    """The problem of ``bid``, locked, once ``user`` may decide on its bids now (an owner, after the deadline)."""
    problem = _lock_problem(session, bid.problem_id)
    _require_owner_of(user, problem)
    if not deadline_passed(problem):
        raise Conflict(_("Bids are sealed until the deadline."))
    close_bidding_if_due(session, problem)
    return problem


def required_text(value: str | None, field: str, limit: int, empty: str) -> str:
    """``value`` stripped; ``empty`` (the field's own message) when nothing is left, and at most ``limit`` long."""
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(empty, field=field)
    if len(value) > limit:
        raise ValidationFailed(_("Use at most %(n)d characters.", n=limit), field=field)
    return value


def tell_vendor(session: Session, *, user: User, bid: Bid, problem: Problem, action: str, kind: str,
                **params) -> Bid:
    """Save a decision on ``bid``: write it, append ``action`` to the audit chain, notify the vendor (``kind``)."""
    session.add(bid)
    session.flush()
    audit.record(session, action, actor=user, obj=bid, details={"problem_id": problem.id})
    notifications.notify_organisations(session, [bid.vendor_id], kind, {"title": problem.title, **params},
                                       link=f"/problems/{problem.id}/bid")
    return bid


def shortlist_bid(session: Session, *, user: User, bid: Bid) -> Bid:
    problem = decide(session, user=user, bid=bid)
    if problem.state != ProblemState.EVALUATION or bid.state != BidState.SUBMITTED or \
            bid.problem_revision != problem.revision:
        raise Conflict(_("Only a submitted bid can be shortlisted during the evaluation."))
    bid.state = BidState.SHORTLISTED
    return tell_vendor(session, user=user, bid=bid, problem=problem, action="bid_shortlisted", kind="bid_shortlisted")


def reject_bid(session: Session, *, user: User, bid: Bid, reason: str) -> Bid:
    problem = decide(session, user=user, bid=bid)
    if problem.state != ProblemState.EVALUATION or bid.state not in LIVE_STATES:
        raise Conflict(_("Only a bid under evaluation can be rejected."))
    reason = required_text(reason, "reason", REASON_MAX, _("Say why the bid is rejected; the vendor will read it."))
    bid.state = BidState.REJECTED
    bid.decision_reason = reason
    bid.decided_at = utcnow()
    return tell_vendor(session, user=user, bid=bid, problem=problem, action="bid_rejected", kind="bid_rejected",
                       reason=reason)


def _award_reason(reason: str | None, *, required: bool) -> str | None:
    if reason is None or (not reason and not required):
        if required:
            raise ValidationFailed(_("This bid is not the top-scored one: say why you award it. Every bidder "
                                     "will read the reason."), field="reason")
        return None
    return required_text(reason, "reason", REASON_MAX, _("The reason is empty. Write why you award this bid."))


def award_bid(session: Session, *, user: User, bid: Bid, reason: str | None = None) -> Bid:
    """Award one bid. Exactly once per problem, even when two awards race; repeating it changes nothing.

    A bid that is not the top-scored of those still in the running needs a written ``reason`` (stored and
    shown to every bidder); an abnormally low bid needs an accepted explanation first. Every bidder learns
    the outcome with its own score and rank; ``signals.bid_awarded`` lets programs (the subsidy) and
    agreements (the draft) react.
    """
    problem = decide(session, user=user, bid=bid)
    session.refresh(bid)
    if bid.state == BidState.AWARDED:
        return bid
    if problem.state != ProblemState.EVALUATION:
        raise Conflict(_("A bid has already been awarded for this problem."))
    if bid.state not in LIVE_STATES or bid.problem_revision != problem.revision:
        raise Conflict(_("A withdrawn, invalidated or rejected bid cannot be awarded."))
    evaluation = evaluate(session, problem, viewer=user)
    mine = next(s for s in evaluation.scores if s.bid.id == bid.id)
    if mine.abnormally_low and bid.explanation_state != ExplanationState.ACCEPTED:
        raise Conflict(_("This bid's price is abnormally low: request an explanation and accept it before "
                         "awarding the bid."))
    top = next((s for s in evaluation.scores if s.bid.state in LIVE_STATES), mine)
    reason = _award_reason(reason, required=top.bid.id != bid.id)
    now = utcnow()
    bid.state = BidState.AWARDED
    bid.decided_at = now
    bid.award_reason = reason
    problem.state = ProblemState.AWARDED
    session.add_all([bid, problem])
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(_("A bid has already been awarded for this problem.")) from None
    for other in session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.id != bid.id,
                                                Bid.state.in_(list(LIVE_STATES)))).all():
        other.state = BidState.REJECTED
        other.decided_at = now
        other.decision_reason = "not_awarded"
        session.add(other)
    session.flush()
    logger.info("bid awarded id=%s problem=%s rank=%s", bid.id, problem.id, mine.rank)
    audit.record(session, "bid_awarded", actor=user, obj=bid,
                 details={"problem_id": problem.id, "rank": mine.rank, "reason": reason})
    for score in evaluation.scores:
        kind = "award_won" if score.bid.id == bid.id else "award_lost"
        notifications.notify_organisations(session, [score.vendor.id], kind,
                                           {"title": problem.title, "score": f"{score.total:.1f}",
                                            "rank": score.rank, "reason": reason or ""},
                                           link=f"/problems/{problem.id}/opening")
    signals.bid_awarded.send(bid, session=session, problem=problem)
    return bid
