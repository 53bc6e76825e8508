"""How agreements react to awards and subsidy decisions (signals declared in :mod:`marketplace.signals`)."""

from __future__ import annotations

from sqlmodel import Session

from marketplace import signals
from marketplace.agreements import services
from marketplace.bids.models import Bid
from marketplace.problems.models import Problem
from marketplace.programs.models import Subsidy


def draft_on_award(bid: Bid, *, session: Session, problem: Problem) -> None:
    services.draft_on_award(session, problem, bid)


def draft_on_subsidy_approval(subsidy: Subsidy, *, session: Session) -> None:
    services.draft_on_subsidy_approval(session, subsidy)


def tell_subsidy_rejected(subsidy: Subsidy, *, session: Session) -> None:
    services.tell_subsidy_rejected(session, subsidy)


def connect() -> None:
    signals.bid_awarded.connect(draft_on_award)
    signals.subsidy_approved.connect(draft_on_subsidy_approval)
    signals.subsidy_rejected.connect(tell_subsidy_rejected)
