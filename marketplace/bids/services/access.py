"""Who may read which bid. Sealed means: before the deadline nobody but the bidding vendor can learn
anything of a bid, nor how many bids there are. Every read of bids goes through :func:`get_bid` or
:func:`list_bids_for_problem`, which enforce it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.bids.models import Bid, BidState
from marketplace.bids.services.deadlines import close_bidding_if_due, deadline_passed
from marketplace.core.errors import Conflict, NotAllowed, NotFound
from marketplace.problems import services as problems
from marketplace.problems.models import Problem

#: A draft was never a bid, and a withdrawn one was taken back: the SME sees neither.
HIDDEN_FROM_SME = (BidState.DRAFT, BidState.WITHDRAWN)


def vendor_of(session: Session, user: User) -> Organisation:
    org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    if org is None or org.kind != OrgKind.VENDOR:
        raise NotAllowed(_("Only AI vendors can bid."))
    return org


def own_bid(session: Session, problem: Problem, vendor_id: int) -> Bid | None:
    return session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.vendor_id == vendor_id)).first()


def get_bid(session: Session, bid_id: int, *, viewer: User) -> Bid:
    """The bid for its own vendor always; for the SME only after the deadline; otherwise 404."""
    bid = session.get(Bid, bid_id)
    if bid is None:
        raise NotFound(_("No such bid."))
    if viewer.organisation_id == bid.vendor_id:
        return bid
    problem = session.get(Problem, bid.problem_id)
    if problems.is_member(viewer, problem.organisation_id) and deadline_passed(problem) and \
            bid.state not in HIDDEN_FROM_SME:
        close_bidding_if_due(session, problem)
        return bid
    raise NotFound(_("No such bid."))


def list_bids_for_problem(session: Session, problem: Problem, *, viewer: User) -> list[Bid]:
    """A vendor sees its own bid; the SME sees the submitted ones, only after the deadline."""
    if viewer.organisation_id is not None and not problems.is_member(viewer, problem.organisation_id):
        if problems.org_kind(session, viewer) != OrgKind.VENDOR:
            raise NotFound(_("No such problem."))
        bid = own_bid(session, problem, viewer.organisation_id)
        return [bid] if bid else []
    if not problems.is_member(viewer, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if not deadline_passed(problem):
        raise Conflict(_("Bids are sealed until the deadline."))
    close_bidding_if_due(session, problem)
    return list(session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.state.not_in(HIDDEN_FROM_SME))
                             .order_by(Bid.id)))
