"""The abnormally-low-price milestone (EU 2014/24 art. 69; Prozorro): the SME asks the vendor of an abnormally
low bid to explain its price; the vendor answers in the product within :data:`EXPLANATION_DAYS`; the SME
accepts the explanation (the bid may then be awarded) or rejects it with a recorded reason (the bid is
rejected). A bid that is abnormally low cannot be awarded before its explanation is accepted.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.bids.models import LIVE_STATES, Bid, BidState, ExplanationState
from marketplace.bids.schemas import EXPLANATION_MAX, REASON_MAX
from marketplace.bids.services.decisions import decide, required_text, tell_vendor
from marketplace.bids.services.scores import evaluate
from marketplace.core.errors import Conflict, NotFound
from marketplace.core.types import utcnow
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem, ProblemState

logger = logging.getLogger(__name__)

#: The time the vendor has to explain an abnormally low price.
EXPLANATION_DAYS = 5


def is_abnormally_low(session: Session, problem: Problem, bid: Bid, *, viewer: User) -> bool:
    score = next((s for s in evaluate(session, problem, viewer=viewer).scores if s.bid.id == bid.id), None)
    return bool(score and score.abnormally_low)


def _owners(session: Session, problem: Problem) -> list[User]:
    return list(session.exec(select(User).where(User.organisation_id == problem.organisation_id)))


def request_explanation(session: Session, *, user: User, bid: Bid, question: str | None = None) -> Bid:
    """The SME asks the vendor of an abnormally low bid to explain its price."""
    problem = decide(session, user=user, bid=bid)
    if problem.state != ProblemState.EVALUATION or bid.state not in LIVE_STATES:
        raise Conflict(_("Only a bid under evaluation can be asked to explain its price."))
    if bid.explanation_state is not None:
        raise Conflict(_("An explanation was already requested for this bid."))
    if not is_abnormally_low(session, problem, bid, viewer=user):
        raise Conflict(_("Only an abnormally low bid is asked to explain its price."))
    now = utcnow()
    bid.explanation_state = ExplanationState.REQUESTED
    bid.explanation_question = (question or "").strip()[:EXPLANATION_MAX] or None
    bid.explanation_requested_at = now
    bid.explanation_due_at = now + timedelta(days=EXPLANATION_DAYS)
    tell_vendor(session, user=user, bid=bid, problem=problem, action="explanation_requested",
                kind="explanation_requested", days=EXPLANATION_DAYS)
    logger.info("explanation requested bid=%s due=%s", bid.id, bid.explanation_due_at.isoformat())
    return bid


def explain_bid(session: Session, *, user: User, bid: Bid, explanation: str) -> Bid:
    """The vendor explains its price, before the time allowed runs out."""
    if user.organisation_id != bid.vendor_id:
        raise NotFound(_("No such bid."))
    if bid.explanation_state != ExplanationState.REQUESTED:
        raise Conflict(_("No explanation is awaited for this bid."))
    if utcnow() > bid.explanation_due_at:
        raise Conflict(_("The time allowed for the explanation has passed."))
    bid.explanation = required_text(explanation, "explanation", EXPLANATION_MAX,
                                    _("Explain how you arrive at your price."))
    bid.explanation_state = ExplanationState.ANSWERED
    bid.explained_at = utcnow()
    session.add(bid)
    session.flush()
    problem = session.get(Problem, bid.problem_id)
    audit.record(session, "bid_explained", actor=user, obj=bid, details={"problem_id": problem.id})
    notifications.notify(session, _owners(session, problem), "explanation_given", {"title": problem.title},
                         link=f"/problems/{problem.id}/evaluation")
    return bid


def accept_explanation(session: Session, *, user: User, bid: Bid) -> Bid:
    """The SME accepts the explanation: the bid may now be awarded."""
    problem = decide(session, user=user, bid=bid)
    if bid.explanation_state != ExplanationState.ANSWERED or bid.state not in LIVE_STATES:
        raise Conflict(_("There is no explanation to accept for this bid."))
    bid.explanation_state = ExplanationState.ACCEPTED
    return tell_vendor(session, user=user, bid=bid, problem=problem, action="explanation_accepted",
                       kind="explanation_accepted")


def reject_explanation(session: Session, *, user: User, bid: Bid, reason: str) -> Bid:
    """The SME rejects the explanation (or its absence after the time allowed): the bid is rejected, with why."""
    problem = decide(session, user=user, bid=bid)
    answered = bid.explanation_state == ExplanationState.ANSWERED
    lapsed = bid.explanation_state == ExplanationState.REQUESTED and utcnow() > bid.explanation_due_at
    if not (answered or lapsed) or bid.state not in LIVE_STATES:
        raise Conflict(_("There is no explanation to reject for this bid (yet)."))
    reason = required_text(reason, "reason", REASON_MAX,
                           _("Say why the explanation is not accepted; the vendor will read it."))
    bid.explanation_state = ExplanationState.REJECTED
    bid.state = BidState.REJECTED
    bid.decision_reason = reason
    bid.decided_at = utcnow()
    return tell_vendor(session, user=user, bid=bid, problem=problem, action="explanation_rejected", kind="bid_rejected",
                       reason=reason)
