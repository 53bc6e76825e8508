"""What happens after what: one place that connects the areas' hooks (edit → invalidate bids, ...).

Services stay unaware of each other; :func:`connect` runs once, from the app factory.
"""

from __future__ import annotations

from sqlmodel import select

from marketplace.agreements import services as agreements
from marketplace.bids import services as bids
from marketplace.bids.models import Bid
from marketplace.notifications import services as notifications
from marketplace.problems import services as problems
from marketplace.accounts.models import User
from marketplace.problems.models import ProblemInvitation, Question
from marketplace.programs import services as programs
from marketplace.programs.models import Program

_connected = False


def _invited(session, problem, vendor) -> None:
    notifications.notify_organisations(session, [vendor.id], "invited", {"title": problem.title},
                                       link=f"/problems/{problem.id}")


def _answered(session, problem, question) -> None:
    """Tell the vendors following the problem: askers, invitees and bidders (not who asked what)."""
    vendor_ids = set(session.exec(select(Question.organisation_id).where(Question.problem_id == problem.id)))
    vendor_ids |= set(session.exec(select(ProblemInvitation.vendor_id).where(ProblemInvitation.problem_id == problem.id)))
    vendor_ids |= set(session.exec(select(Bid.vendor_id).where(Bid.problem_id == problem.id)))
    notifications.notify_organisations(session, vendor_ids, "answer", {"title": problem.title},
                                       link=f"/problems/{problem.id}#questions")


def _estimate_subsidy(session, problem, price_krw):
    """The program's subsidy and the SME's own share for a price, when the problem is under a program."""
    program = session.get(Program, problem.program_id) if problem.program_id else None
    return programs.estimate_subsidy(program, price_krw) if program else None


def _request_subsidy(session, problem, bid) -> None:
    """An award on a program problem waits for the agency officer's approval of the subsidy."""
    program = session.get(Program, problem.program_id) if problem.program_id else None
    if program is None:
        return
    programs.request_subsidy(session, program=program, problem=problem, bid=bid)
    officers = session.exec(select(User).where(User.organisation_id == program.agency_id)).all()
    notifications.notify(session, officers, "subsidy_pending", {"title": problem.title},
                         link="/programs/subsidies")


def _draft_agreement(session, problem, bid) -> None:
    """Without a program the agreement is drafted at the award; with one, at the subsidy approval."""
    agreements.draft_on_award(session, problem, bid)


def _audit_subsidy(action):
    def record(session, subsidy) -> None:
        from marketplace.audit import services as audit

        officer = session.get(User, subsidy.decided_by_id) if subsidy.decided_by_id else None
        audit.record(session, action, actor=officer, obj=subsidy, details={"problem_id": subsidy.problem_id,
                                                                           "amount_krw": subsidy.amount_krw})
    return record


def connect() -> None:
    global _connected
    if _connected:
        return
    problems.EDIT_HOOKS.append(bids.invalidate_outdated_bids)
    problems.INVITE_HOOKS.append(_invited)
    problems.ANSWER_HOOKS.append(_answered)
    bids.SUBSIDY_ESTIMATORS.append(_estimate_subsidy)
    bids.AWARD_HOOKS.append(_request_subsidy)
    programs.APPROVAL_HOOKS.append(_audit_subsidy("subsidy_approved"))
    programs.REJECTION_HOOKS.append(_audit_subsidy("subsidy_rejected"))
    bids.AWARD_HOOKS.append(_draft_agreement)
    programs.APPROVAL_HOOKS.append(agreements.draft_on_subsidy_approval)
    programs.REJECTION_HOOKS.append(agreements.tell_subsidy_rejected)
    _connected = True
