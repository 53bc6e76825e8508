"""The subsidy ledger: a subsidy per awarded program problem, requested at the award, decided by the agency
(approval reserves the amount within the budget), committed when the agreement is signed, released when the
project ends early. The arithmetic is :mod:`marketplace.programs.subsidy`'s."""

from __future__ import annotations

import logging
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from marketplace import signals
from marketplace.accounts.models import Organisation, User
from marketplace.audit import services as audit
from marketplace.bids.models import Bid
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from marketplace.problems.models import Problem
from marketplace.programs.models import ACTIVE_SUBSIDY_STATES, Program, Subsidy, SubsidyStatus
from marketplace.programs.schemas import SubsidyReject
from marketplace.programs.services.common import require_officer
from marketplace.programs.subsidy import Budget, split_price

logger = logging.getLogger(__name__)


def active_subsidy(session: Session, problem: Problem) -> Subsidy | None:
    """The problem's latest subsidy (any status), or None."""
    return session.exec(select(Subsidy).where(Subsidy.problem_id == problem.id)
                        .order_by(Subsidy.id.desc())).first()


def estimate_subsidy(program: Program, price_krw: int) -> tuple[int, int]:
    """``(subsidy, own_share)`` in whole won for a contract price under the program (see :func:`split_price`)."""
    if isinstance(price_krw, bool) or not isinstance(price_krw, int) or price_krw < 0:
        raise ValidationFailed(_("The price must be a whole number of won, 0 or more."), field="price_krw")
    split = split_price(price_krw, ratio=Decimal(program.subsidy_ratio), cap_krw=int(program.cap_per_project_krw))
    return split.subsidy_krw, split.own_share_krw


def budget_of(session: Session, program: Program) -> Budget:
    """The program's budget, read from the ledger."""
    rows = dict(session.exec(select(Subsidy.status, func.coalesce(func.sum(Subsidy.amount_krw), 0))
                             .where(Subsidy.program_id == program.id).group_by(Subsidy.status)).all())
    amount = {SubsidyStatus(k): int(v) for k, v in rows.items()}
    return Budget(total=int(program.total_budget_krw), reserved=amount.get(SubsidyStatus.APPROVED, 0),
                  committed=amount.get(SubsidyStatus.COMMITTED, 0), pending=amount.get(SubsidyStatus.PENDING, 0))


def request_subsidy(session: Session, *, program: Program, problem: Problem, bid: Bid) -> Subsidy:
    """A pending subsidy for the awarded bid on a program problem (called by the award)."""
    if problem.program_id != program.id:
        raise ValidationFailed(_("This problem is not part of the program."), field="problem_id")
    if bid.problem_id != problem.id:
        raise ValidationFailed(_("The bid is not for this problem."), field="bid_id")
    if bid.price_krw is None:
        raise ValidationFailed(_("The bid has no price."), field="bid_id")
    active = session.exec(select(Subsidy).where(Subsidy.problem_id == problem.id,
                                                Subsidy.status.in_(ACTIVE_SUBSIDY_STATES))).first()
    if active is not None:
        raise Conflict(_("This problem already has a subsidy in progress."))
    amount, own_share = estimate_subsidy(program, int(bid.price_krw))
    subsidy = Subsidy(program_id=program.id, problem_id=problem.id, bid_id=bid.id, price_krw=int(bid.price_krw),
                      amount_krw=amount, own_share_krw=own_share)
    session.add(subsidy)
    session.flush()
    logger.info("subsidy requested id=%s program=%s problem=%s bid=%s amount=%s", subsidy.id, program.id,
                problem.id, bid.id, amount)
    return subsidy


def can_view_subsidy(session: Session, subsidy: Subsidy, user: User | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    program = session.get(Program, subsidy.program_id)
    problem = session.get(Problem, subsidy.problem_id)
    bid = session.get(Bid, subsidy.bid_id)
    return user.organisation_id in {program.agency_id, problem.organisation_id, bid.vendor_id if bid else None}


def get_subsidy(session: Session, subsidy_id: int, *, viewer: User | None) -> Subsidy:
    subsidy = session.get(Subsidy, subsidy_id)
    if subsidy is None or not can_view_subsidy(session, subsidy, viewer):
        raise NotFound(_("No such subsidy."))
    return subsidy


def _lock(session: Session, subsidy: Subsidy) -> tuple[Program, Subsidy]:
    """Lock the program row (PostgreSQL: FOR UPDATE; SQLite: the write lock taken by BEGIN IMMEDIATE), then
    re-read the subsidy, so decisions that race see each other's committed results."""
    program = session.exec(select(Program).where(Program.id == subsidy.program_id).with_for_update()
                           .execution_options(populate_existing=True)).one()
    fresh = session.exec(select(Subsidy).where(Subsidy.id == subsidy.id).with_for_update()
                         .execution_options(populate_existing=True)).one()
    return program, fresh


def _decide_checks(session: Session, officer: User, program: Program, subsidy: Subsidy) -> None:
    require_officer(session, officer, program, action="decide_subsidy")
    problem = session.get(Problem, subsidy.problem_id)
    bid = session.get(Bid, subsidy.bid_id)
    if officer.organisation_id in {problem.organisation_id, bid.vendor_id if bid else None}:
        raise NotAllowed(_("You cannot decide on a subsidy for your own organisation."))


def _record_decision(session: Session, action: str, officer: User, subsidy: Subsidy) -> None:
    audit.record(session, action, actor=officer, obj=subsidy,
                 details={"problem_id": subsidy.problem_id, "amount_krw": subsidy.amount_krw})


def approve_subsidy(session: Session, *, officer: User, subsidy: Subsidy) -> Subsidy:
    """pending → approved: the amount is reserved, provided reserved + committed + it stays within the budget."""
    program, subsidy = _lock(session, subsidy)
    _decide_checks(session, officer, program, subsidy)
    if subsidy.status != SubsidyStatus.PENDING:
        raise Conflict(_("This subsidy has already been decided."))
    budget = budget_of(session, program)
    if not budget.covers(subsidy.amount_krw):
        raise Conflict(_("The program budget cannot cover this subsidy: %(need)s won needed, %(left)s won left.",
                         need=f"{subsidy.amount_krw:,}", left=f"{budget.left:,}"),
                       extra={"left_krw": budget.left, "amount_krw": subsidy.amount_krw})
    subsidy.status = SubsidyStatus.APPROVED
    subsidy.decided_by_id = officer.id
    subsidy.decided_at = utcnow()
    session.add(subsidy)
    session.flush()
    logger.info("subsidy approved id=%s program=%s amount=%s left=%s", subsidy.id, program.id, subsidy.amount_krw,
                budget.left - subsidy.amount_krw)
    _record_decision(session, "subsidy_approved", officer, subsidy)
    signals.subsidy_approved.send(subsidy, session=session)
    return subsidy


def reject_subsidy(session: Session, *, officer: User, subsidy: Subsidy, reason: str) -> Subsidy:
    """pending → rejected, with the reason the SME and the vendor are told (the :class:`SubsidyReject` rules)."""
    program, subsidy = _lock(session, subsidy)
    _decide_checks(session, officer, program, subsidy)
    if subsidy.status != SubsidyStatus.PENDING:
        raise Conflict(_("This subsidy has already been decided."))
    reason = parse(SubsidyReject, {"reason": reason}, message=_("Give a reason for the rejection.")).reason
    subsidy.status = SubsidyStatus.REJECTED
    subsidy.decided_by_id = officer.id
    subsidy.decided_at = utcnow()
    subsidy.reason = reason
    session.add(subsidy)
    session.flush()
    logger.info("subsidy rejected id=%s program=%s", subsidy.id, program.id)
    _record_decision(session, "subsidy_rejected", officer, subsidy)
    signals.subsidy_rejected.send(subsidy, session=session)
    return subsidy


def commit_subsidy(session: Session, *, subsidy: Subsidy) -> Subsidy:
    """approved → committed, when the agreement is signed."""
    _program, subsidy = _lock(session, subsidy)
    if subsidy.status != SubsidyStatus.APPROVED:
        raise Conflict(_("Only an approved subsidy can be committed."))
    subsidy.status = SubsidyStatus.COMMITTED
    subsidy.committed_at = utcnow()
    session.add(subsidy)
    session.flush()
    logger.info("subsidy committed id=%s", subsidy.id)
    return subsidy


def release_subsidy(session: Session, *, subsidy: Subsidy, reason: str | None = None) -> Subsidy:
    """pending/approved/committed → released, when the project is cancelled; the money is free again."""
    _program, subsidy = _lock(session, subsidy)
    if subsidy.status not in ACTIVE_SUBSIDY_STATES:
        raise Conflict(_("This subsidy is not active."))
    subsidy.status = SubsidyStatus.RELEASED
    subsidy.released_at = utcnow()
    if reason:
        subsidy.reason = reason[:500]
    session.add(subsidy)
    session.flush()
    logger.info("subsidy released id=%s", subsidy.id)
    return subsidy


def list_subsidies(session: Session, *, agency_id: int, status: SubsidyStatus | None = SubsidyStatus.PENDING):
    query = (select(Subsidy, Program, Problem, Organisation)
             .join(Program, Program.id == Subsidy.program_id)
             .join(Problem, Problem.id == Subsidy.problem_id)
             .join(Organisation, Organisation.id == Problem.organisation_id)
             .where(Program.agency_id == agency_id))
    if status is not None:
        query = query.where(Subsidy.status == status)
    return [tuple(r) for r in session.exec(query.order_by(Subsidy.created_at, Subsidy.id)).all()]


# --- dashboard -------------------------------------------------------------------------------------
