"""What a vendor does with its bid before the deadline: start, revise, submit, withdraw; and what a
change of the problem does to submitted bids.

The services take a validated :class:`~marketplace.bids.schemas.BidUpdate` (or ``BidDraft``) and check
what needs the database: the KPIs the commitments refer to, and the offering the bid builds on.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.bids.commitments import Commitment, KpiCommitment
from marketplace.bids.models import Bid, BidState
from marketplace.bids.schemas import BidDraft, BidUpdate, SubmittedBid
from marketplace.bids.services.access import own_bid, vendor_of
from marketplace.bids.services.deadlines import close_bidding_if_due
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.schemas import field_errors
from marketplace.core.types import utcnow
from marketplace.notifications import services as notifications
from marketplace.offerings.models import Offering
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemKpi, ProblemState

logger = logging.getLogger(__name__)

#: A bid in these states can still be changed (and submitted) before the deadline.
CHANGEABLE = (BidState.DRAFT, BidState.SUBMITTED, BidState.INVALIDATED, BidState.WITHDRAWN)
#: Numbers that ``null`` leaves as they are (a draft may lack them; a stored one is kept).
_NUMBERS = ("price_krw", "duration_weeks", "maintenance_yearly_krw", "maintenance_years")
_TEXTS = ("approach", "team", "service_level")


def _require_open(session: Session, problem: Problem) -> None:
    close_bidding_if_due(session, problem)
    if problem.state != ProblemState.BIDDING:
        if problem.state in (ProblemState.DRAFT, ProblemState.ENQUIRIES):
            raise Conflict(_("Bidding has not opened yet for this problem."))
        raise Conflict(_("The bid deadline has passed."))


def _refused(fields: dict[str, str]) -> ValidationFailed:
    return ValidationFailed(_("Please correct the highlighted fields."), fields=fields)


def _commitments(kpis: list[ProblemKpi], given: list[Commitment], errors: dict[str, str]) -> list[KpiCommitment]:
    """One commitment per KPI of the problem that has a value (the last one given for a KPI counts)."""
    by_id = {c.kpi_id: c for c in given}
    known = {k.id for k in kpis}
    for kpi_id in by_id.keys() - known:
        errors[f"kpi_commitments.{kpi_id}"] = _("This KPI does not belong to the problem.")
    return [KpiCommitment(kpi_id=k.id, name=k.name, unit=k.unit, value=by_id[k.id].value)
            for k in kpis if k.id in by_id]


def _apply(session: Session, bid: Bid, problem: Problem, changes: BidUpdate) -> None:
    """Set the fields ``changes`` gives on ``bid``; nothing is changed when one of them is refused."""
    given = changes.model_fields_set
    errors: dict[str, str] = {}
    offering_id = bid.offering_id
    if "offering_id" in given and changes.offering_id is not None:
        offering = session.get(Offering, changes.offering_id)
        if offering is None or offering.organisation_id != bid.vendor_id:
            errors["offering_id"] = _("Choose one of your own offerings.")
        offering_id = changes.offering_id
    elif "offering_id" in given:
        offering_id = None
    commitments = bid.kpi_commitments
    if "kpi_commitments" in given:
        commitments = _commitments(problems.list_kpis(session, problem), changes.kpi_commitments or [], errors)
    if errors:
        raise _refused(errors)
    for name in _NUMBERS:
        if name in given and getattr(changes, name) is not None:
            setattr(bid, name, getattr(changes, name))
    for name in _TEXTS:
        if name in given:
            setattr(bid, name, getattr(changes, name) or "")
    if "milestones" in given:
        bid.milestones = [m.model_dump() for m in changes.milestones or []]
    bid.offering_id = offering_id
    bid.kpi_commitments = commitments


def _check_complete(session: Session, problem: Problem, bid: Bid) -> None:
    """A bid is complete when it meets :class:`SubmittedBid` and commits to every KPI of the problem."""
    errors: dict[str, str] = {}
    try:
        SubmittedBid.model_validate({
            "price_krw": bid.price_krw, "duration_weeks": bid.duration_weeks, "approach": bid.approach,
            "milestones": bid.milestones, "maintenance_yearly_krw": bid.maintenance_yearly_krw,
            "maintenance_years": bid.maintenance_years})
    except ValidationError as exc:
        errors.update(field_errors(exc))
    kpis = problems.list_kpis(session, problem)
    committed = {c.kpi_id for c in bid.kpi_commitments}
    for kpi_id in committed - {k.id for k in kpis}:
        errors[f"kpi_commitments.{kpi_id}"] = _("This KPI does not belong to the problem.")
    for kpi in kpis:
        if kpi.id not in committed:
            errors[f"kpi_commitments.{kpi.id}"] = _("Commit to a value for “%(name)s”.", name=kpi.name)
    if errors:
        raise _refused(errors)


def create_bid(session: Session, *, user: User, problem: Problem, draft: BidDraft) -> Bid:
    """Start the vendor's one bid on ``problem``: a draft, or submitted at once with ``draft.submit``."""
    vendor = vendor_of(session, user)
    if not problems.can_view(session, problem, user):
        raise NotFound(_("No such problem."))
    if vendor.id == problem.organisation_id:
        raise NotAllowed(_("You cannot bid on your own problem."))
    _require_open(session, problem)
    if own_bid(session, problem, vendor.id) is not None:
        raise Conflict(_("You already have a bid on this problem. Revise it instead of starting another."))
    bid = Bid(problem_id=problem.id, vendor_id=vendor.id, created_by_id=user.id, problem_revision=problem.revision)
    _apply(session, bid, problem, draft)
    try:
        with session.begin_nested():
            session.add(bid)
            session.flush()
    except IntegrityError:
        raise Conflict(_("You already have a bid on this problem. Revise it instead of starting another.")) from None
    logger.info("bid drafted id=%s problem=%s vendor=%s", bid.id, problem.id, vendor.id)
    if draft.submit:
        submit_bid(session, user=user, bid=bid)
    return bid


def revise_bid(session: Session, *, user: User, bid: Bid, changes: BidUpdate) -> Bid:
    """Change a bid before the deadline. A submitted bid stays submitted (the revision replaces it)."""
    if user.organisation_id != bid.vendor_id:
        raise NotFound(_("No such bid."))
    problem = session.get(Problem, bid.problem_id)
    _require_open(session, problem)
    if bid.state not in CHANGEABLE:
        raise Conflict(_("This bid can no longer be changed."))
    _apply(session, bid, problem, changes)
    if bid.state == BidState.SUBMITTED:
        _check_complete(session, problem, bid)
        bid.problem_revision = problem.revision
        bid.submitted_at = utcnow()
    session.add(bid)
    session.flush()
    logger.info("bid revised id=%s state=%s", bid.id, bid.state)
    return bid


def submit_bid(session: Session, *, user: User, bid: Bid) -> Bid:
    """Seal the bid: complete, answering the problem's current revision, before the deadline."""
    if user.organisation_id != bid.vendor_id:
        raise NotFound(_("No such bid."))
    problem = session.get(Problem, bid.problem_id)
    _require_open(session, problem)
    if bid.state not in CHANGEABLE:
        raise Conflict(_("This bid can no longer be changed."))
    accounts.require_verified(session, user, "submit_bid")
    _check_complete(session, problem, bid)
    bid.state = BidState.SUBMITTED
    bid.problem_revision = problem.revision
    bid.submitted_at = utcnow()
    bid.withdrawn_at = bid.invalidated_at = None
    session.add(bid)
    session.flush()
    logger.info("bid submitted id=%s problem=%s", bid.id, problem.id)
    audit.record(session, "bid_submitted", actor=user, obj=bid, details={"problem_id": problem.id})
    return bid


def withdraw_bid(session: Session, *, user: User, bid: Bid) -> Bid:
    if user.organisation_id != bid.vendor_id:
        raise NotFound(_("No such bid."))
    problem = session.get(Problem, bid.problem_id)
    _require_open(session, problem)
    if bid.state not in (BidState.SUBMITTED, BidState.DRAFT, BidState.INVALIDATED):
        raise Conflict(_("This bid can no longer be withdrawn."))
    bid.state = BidState.WITHDRAWN
    bid.withdrawn_at = utcnow()
    session.add(bid)
    session.flush()
    logger.info("bid withdrawn id=%s", bid.id)
    audit.record(session, "bid_withdrawn", actor=user, obj=bid, details={"problem_id": bid.problem_id})
    return bid


def invalidate_outdated_bids(session: Session, problem: Problem, *, notify: bool = True) -> int:
    """After the SME edits a problem during bidding, submitted bids must be confirmed again (``notify``: tell
    their vendors here; an amendment tells them itself, with what changed)."""
    if problem.state != ProblemState.BIDDING:
        return 0
    stale = session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.state == BidState.SUBMITTED,
                                           Bid.problem_revision < problem.revision)).all()
    now = utcnow()
    for bid in stale:
        bid.state = BidState.INVALIDATED
        bid.invalidated_at = now
        session.add(bid)
    session.flush()
    if stale and notify:
        notifications.notify_organisations(session, {b.vendor_id for b in stale}, "bid_invalidated",
                                           {"title": problem.title}, link=f"/problems/{problem.id}/bid")
    if stale:
        logger.info("bids invalidated problem=%s count=%s", problem.id, len(stale))
    return len(stale)


def carry_bids_forward(session: Session, problem: Problem, *, from_revision: int) -> int:
    """A change that touches nothing a bid priced: bids answering the previous revision answer the new one."""
    rows = session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.problem_revision == from_revision,
                                          Bid.state.in_((BidState.DRAFT, BidState.SUBMITTED)))).all()
    for bid in rows:
        bid.problem_revision = problem.revision
        session.add(bid)
    session.flush()
    return len(rows)
