"""A problem's states: publishing, opening sealed bidding, cancelling, and revealing an anonymous poster."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlmodel import Session

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from marketplace.problems import completeness, messages
from marketplace.problems.models import OPEN_STATES, Problem, ProblemKpi, ProblemState
from marketplace.problems.schemas import CancelIn, OpenBiddingIn
from marketplace.problems.services.access import is_member, list_kpis

logger = logging.getLogger(__name__)

MIN_BIDDING_DAYS = 1
MAX_BIDDING_DAYS = 120


def missing_for_publication(problem: Problem, kpis: Sequence[ProblemKpi]) -> dict[str, str]:
    """What publishing still needs, by field, in the reader's language (the rule:
    :func:`marketplace.problems.completeness.missing_for_publication`, judged on today's server date)."""
    return messages.missing(completeness.missing_for_publication(problem, kpis, today=utcnow().date()))


def publish_problem(session: Session, *, user: User, problem: Problem) -> Problem:
    """draft → enquiries: vendors can see it and ask questions."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state != ProblemState.DRAFT:
        raise Conflict(_("Only a draft can be published."))
    accounts.require_verified(session, user, "publish_problem")
    missing = missing_for_publication(problem, list_kpis(session, problem))
    if missing:
        raise ValidationFailed(_("Before publishing, fill in: %(items)s", items=" ".join(missing.values())),
                               fields=missing)
    problem.state = ProblemState.ENQUIRIES
    problem.published_at = utcnow()
    session.add(problem)
    session.flush()
    audit.record(session, "problem_published", actor=user, obj=problem)
    logger.info("problem published id=%s", problem.id)
    return problem


def open_bidding(session: Session, *, user: User, problem: Problem, deadline: datetime,
                 amendment_min_days: int | None = None) -> Problem:
    """enquiries → bidding, with a deadline on server time (UTC). Weights are fixed from here on.
    ``amendment_min_days``: the days an amendment leaves before the deadline (checked by ``OpenBiddingIn``)."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state != ProblemState.ENQUIRIES:
        raise Conflict(_("Bidding can be opened only for a published problem in the enquiries stage."))
    if deadline.tzinfo is None:
        raise ValidationFailed(_("Give the deadline with its time zone."), field="deadline")
    now = utcnow()
    if deadline < now + timedelta(days=MIN_BIDDING_DAYS):
        raise ValidationFailed(_("The bid deadline must be at least one day from now."), field="deadline")
    if deadline > now + timedelta(days=MAX_BIDDING_DAYS):
        raise ValidationFailed(_("The bid deadline must be within 120 days."), field="deadline")
    if amendment_min_days is not None:
        try:
            problem.amendment_min_days = parse(OpenBiddingIn, {"deadline": deadline,
                                                               "amendment_min_days": amendment_min_days}
                                               ).amendment_min_days
        except ValidationFailed as exc:
            message = _("%(field)s: %(problem)s", field=_("Days left to vendors after an amendment"),
                        problem=exc.fields.get("amendment_min_days", exc.message))
            raise ValidationFailed(message, fields=exc.fields) from None
    problem.state = ProblemState.BIDDING
    problem.bidding_opened_at = now
    problem.bid_deadline = deadline
    session.add(problem)
    session.flush()
    audit.record(session, "bidding_opened", actor=user, obj=problem, details={"deadline": deadline.isoformat()})
    logger.info("bidding opened problem=%s deadline=%s", problem.id, deadline.isoformat())
    return problem


def cancel_problem(session: Session, *, user: User, problem: Problem, reason: str) -> Problem:
    """Cancel an open problem, saying why (the contract: :class:`CancelIn`)."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state not in OPEN_STATES:
        raise Conflict(_("This problem can no longer be cancelled."))
    reason = parse_text(CancelIn, "reason", reason, label=_("Reason"))
    problem.state = ProblemState.CANCELLED
    problem.cancelled_at = utcnow()
    problem.cancel_reason = reason
    session.add(problem)
    session.flush()
    audit.record(session, "problem_cancelled", actor=user, obj=problem)
    logger.info("problem cancelled id=%s", problem.id)
    return problem


def reveal_identity(session: Session, *, user: User, problem: Problem) -> Problem:
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    problem.identity_revealed = True
    session.add(problem)
    session.flush()
    return problem


def parse_text(model, name: str, value: str, *, label: str) -> str:
    """One text field checked by its contract; the refusal names the field in its message too, since pages
    show it as a notice above the page rather than next to a form field."""
    try:
        return getattr(parse(model, {name: value}), name)
    except ValidationFailed as exc:
        raise ValidationFailed(_("%(field)s: %(problem)s", field=label, problem=exc.fields[name]),
                               fields=exc.fields) from None
