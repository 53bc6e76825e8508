"""How subsidy programs react to other areas (signals declared in :mod:`marketplace.signals`)."""

from __future__ import annotations

from sqlmodel import Session, select

from marketplace import signals
from marketplace.accounts.models import User
from marketplace.bids.models import Bid
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem
from marketplace.programs import services
from marketplace.programs.models import Program, SubsidyStatus


def request_subsidy_on_award(bid: Bid, *, session: Session, problem: Problem) -> None:
    """An award on a program problem waits for the agency officer's approval of the subsidy."""
    program = session.get(Program, problem.program_id) if problem.program_id else None
    if program is None:
        return
    services.request_subsidy(session, program=program, problem=problem, bid=bid)
    officers = session.exec(select(User).where(User.organisation_id == program.agency_id)).all()
    notifications.notify(session, officers, "subsidy_pending", {"title": problem.title}, link="/programs/subsidies")


def commit_subsidy_on_signature(agreement, *, session: Session, problem: Problem,
                                with_subsidy: bool) -> None:
    """The signed agreement carries the approved subsidy: the money is committed."""
    if not (problem.program_id and with_subsidy):
        return
    subsidy = services.active_subsidy(session, problem)
    if subsidy is not None and subsidy.status == SubsidyStatus.APPROVED:
        services.commit_subsidy(session, subsidy=subsidy)


def release_subsidy_on_termination(agreement, *, session: Session, problem: Problem, reason: str) -> None:
    """The project ends early: an approved or committed subsidy is free again."""
    subsidy = services.active_subsidy(session, problem)
    if subsidy is not None and subsidy.status in (SubsidyStatus.APPROVED, SubsidyStatus.COMMITTED):
        services.release_subsidy(session, subsidy=subsidy, reason=reason)


def connect() -> None:
    signals.bid_awarded.connect(request_subsidy_on_award)
    signals.agreement_signed.connect(commit_subsidy_on_signature)
    signals.agreement_terminated.connect(release_subsidy_on_termination)
