"""How bids react to changes of their problem (signals declared in :mod:`marketplace.signals`)."""

from __future__ import annotations

from sqlmodel import Session, select

from marketplace import signals
from marketplace.bids import services
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem, ProblemInvitation, Question


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


def connect() -> None:
    signals.problem_edited.connect(invalidate_bids_on_edit)
    signals.question_answered.connect(tell_followers_on_answer)
