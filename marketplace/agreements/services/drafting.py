"""Drafting: the agreement and its first version, on award or on the subsidy decision."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

import contracts
from marketplace.accounts.models import MemberRole, Organisation, User
from marketplace.agreements.models import Agreement, AgreementMember, AgreementStatus, AgreementVersion
from marketplace.agreements.services.from_rows import build_terms, joint_members
from marketplace.agreements.services.reading import agreement_for_problem, awarded_bid, party_ids, waiting_for
from marketplace.bids.models import Bid, BidState
from marketplace.core.errors import Conflict, NotAllowed, NotFound
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem
from marketplace.programs.models import Subsidy

logger = logging.getLogger(__name__)


def draft_agreement(session: Session, *, problem: Problem, bid: Bid, subsidy: Subsidy | None = None,
                    user: User | None = None) -> Agreement:
    """Create the agreement and its first version for an awarded bid. One per problem; repeating returns it."""
    existing = agreement_for_problem(session, problem)
    if existing is not None:
        return existing
    if bid.state != BidState.AWARDED or bid.problem_id != problem.id:
        raise Conflict(_("Only an awarded bid becomes an agreement."))
    agreement = Agreement(problem_id=problem.id, bid_id=bid.id, client_id=problem.organisation_id,
                          vendor_id=bid.vendor_id, status=AgreementStatus.DRAFT, current_version=1)
    try:
        with session.begin_nested():
            session.add(agreement)
            session.flush()
    except IntegrityError:
        return agreement_for_problem(session, problem)
    terms = build_terms(session, agreement, problem, bid, subsidy=subsidy)
    session.add(AgreementVersion(agreement_id=agreement.id, number=1, terms=contracts.terms_to_dict(terms),
                                 created_by_id=user.id if user else None, proposed_by_id=None))
    # The member SMEs named in the terms become parties who sign (matched by their registration number).
    joint = {p.organisation.brn_display: p.organisation
             for p in joint_members(session, problem, session.get(Organisation, agreement.client_id))}
    for position, member in enumerate(terms.members, start=1):
        org = joint[member.party.business_registration_no]
        session.add(AgreementMember(agreement_id=agreement.id, organisation_id=org.id, position=position))
    session.flush()
    parties = party_ids(session, agreement)
    logger.info("agreement drafted id=%s problem=%s bid=%s subsidy=%s members=%s", agreement.id, problem.id, bid.id,
                subsidy.id if subsidy else None, len(parties) - 2)
    notifications.notify_organisations(session, parties, "agreement_ready",
                                       {"title": problem.title}, link=f"/agreements/{agreement.id}")
    return agreement


def draft_on_award(session: Session, problem: Problem, bid: Bid) -> Agreement | None:
    """On ``bid-awarded``: a problem without a program gets its draft at once."""
    if problem.program_id:
        return None  # waits for the agency's decision on the subsidy
    return draft_agreement(session, problem=problem, bid=bid)


def draft_on_subsidy_approval(session: Session, subsidy: Subsidy) -> Agreement | None:
    """On ``subsidy-approved``: the subsidy is approved, so the agreement (with the subsidy) is drafted."""
    problem = session.get(Problem, subsidy.problem_id)
    bid = session.get(Bid, subsidy.bid_id)
    if problem is None or bid is None or bid.state != BidState.AWARDED:
        return None
    return draft_agreement(session, problem=problem, bid=bid, subsidy=subsidy)


def tell_subsidy_rejected(session: Session, subsidy: Subsidy) -> None:
    """On ``subsidy-rejected``: both parties learn it; they may continue without the subsidy."""
    problem = session.get(Problem, subsidy.problem_id)
    bid = session.get(Bid, subsidy.bid_id)
    if problem is None or bid is None:
        return
    notifications.notify_organisations(session, [problem.organisation_id, bid.vendor_id], "subsidy_rejected",
                                       {"title": problem.title, "reason": subsidy.reason or ""},
                                       link=f"/problems/{problem.id}/agreement")


def continue_without_subsidy(session: Session, *, user: User, problem: Problem) -> Agreement:
    """After a rejected subsidy, an owner of either party drafts the agreement without it."""
    bid = awarded_bid(session, problem)
    if bid is None or user.organisation_id not in (problem.organisation_id, bid.vendor_id):
        raise NotFound(_("No such agreement."))
    if user.role != MemberRole.OWNER:
        raise NotAllowed(_("Only an owner of the organisation can do this."))
    waiting = waiting_for(session, problem)
    if waiting is None:
        return agreement_for_problem(session, problem)
    if waiting.reason != "subsidy_rejected":
        raise Conflict(_("The agreement can be drafted without the subsidy only after the subsidy was refused."))
    return draft_agreement(session, problem=problem, bid=bid, user=user)
