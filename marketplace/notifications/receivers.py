"""Notifications sent when another area announces something (signals declared in :mod:`marketplace.signals`)."""

from __future__ import annotations

from sqlmodel import Session

from marketplace import signals
from marketplace.notifications import services


def tell_invited_vendor(problem, *, session: Session, vendor) -> None:
    services.notify_organisations(session, [vendor.id], "invited", {"title": problem.title},
                                  link=f"/problems/{problem.id}")


def tell_poster_on_question(problem, *, session: Session, question) -> None:
    """The poster's people learn of each new question (page and e-mail), never who asked."""
    services.notify_organisations(session, [problem.organisation_id], "question_asked", {"title": problem.title},
                                  link=f"/problems/{problem.id}#questions")


def connect() -> None:
    signals.vendor_invited.connect(tell_invited_vendor)
    signals.question_asked.connect(tell_poster_on_question)
