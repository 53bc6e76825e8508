"""How bids react to changes of their problem (signals declared in :mod:`marketplace.signals`)."""

from __future__ import annotations

from sqlmodel import Session, select

from marketplace import signals
from marketplace.bids import services
from marketplace.bids.models import Bid, BidState
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem, ProblemAmendment, ProblemInvitation, Question


def invalidate_bids_on_edit(problem: Problem, *, session: Session) -> None:
    """Bids submitted against an older revision must be re-confirmed."""
    services.invalidate_outdated_bids(session, problem)


def tell_followers_on_answer(problem: Problem, *, session: Session, question: Question) -> None:
    """Tell the vendors following the problem by public facts only: those who asked and those invited (not who
    asked what). Never "has a bid": the number of vendors told would count the sealed bids."""
    vendor_ids = set(session.exec(select(Question.organisation_id).where(Question.problem_id == problem.id)))
    vendor_ids |= set(session.exec(select(ProblemInvitation.vendor_id)
                                   .where(ProblemInvitation.problem_id == problem.id)))
    notifications.notify_organisations(session, vendor_ids, "answer", {"title": problem.title},
                                       link=f"/problems/{problem.id}#questions")


def reconfirm_or_carry_on_amendment(problem: Problem, *, session: Session, amendment: ProblemAmendment) -> None:
    """An amendment (정정공고): bids re-confirm when it touched a priced field, otherwise they carry on; every
    vendor with a bid (not a withdrawn one) is told which fields changed."""
    if amendment.reconfirm:
        services.invalidate_outdated_bids(session, problem, notify=False)
    else:
        services.carry_bids_forward(session, problem, from_revision=amendment.revision - 1)
    vendor_ids = set(session.exec(select(Bid.vendor_id).where(Bid.problem_id == problem.id,
                                                              Bid.state != BidState.WITHDRAWN)))
    moved = amendment.deadline_after is not None and amendment.deadline_after != amendment.deadline_before
    notifications.notify_organisations(
        session, vendor_ids, "amendment",
        {"title": problem.title, "number": amendment.number, "fields": [c["field"] for c in amendment.changes],
         "reconfirm": amendment.reconfirm,
         "deadline": amendment.deadline_after.isoformat() if moved else ""},
        link=f"/problems/{problem.id}#amendments")


def connect() -> None:
    signals.problem_edited.connect(invalidate_bids_on_edit)
    signals.problem_amended.connect(reconfirm_or_carry_on_amendment)
    signals.question_answered.connect(tell_followers_on_answer)
