"""My work: a vendor's bids and agreements, a poster's problems, each with its state and the next action.

The pages (내 입찰, 내 계약, the SME home) and the API (``?scope=mine``) read the same queries and the same
next steps (the rule: :mod:`marketplace.pages.next_steps`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlmodel import Session, select

from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement, AgreementMember, MilestoneStatus, Signature
from marketplace.bids import services as bids
from marketplace.bids.models import Bid
from marketplace.pages.next_steps import (
    AgreementFacts,
    ProblemFacts,
    agreement_next_step,
    bid_next_step,
    problem_next_step,
)
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, Question
from marketplace.programs.models import SubsidyStatus
from marketplace.programs.services import active_subsidy


def next_step_labels() -> dict[str, str]:
    """Every next-step code as the reader reads it (no code ever reaches a page)."""
    return {
        "complete_draft": _("Complete the draft"), "publish": _("Publish the problem"),
        "answer_questions": _("Answer the vendors' questions"), "open_bidding": _("Open bidding with a deadline"),
        "wait_for_deadline": _("Wait for the bid deadline"), "evaluate_bids": _("Compare the bids and award one"),
        "wait_for_subsidy": _("Wait for the agency's subsidy decision"),
        "wait_for_agreement": _("Wait for the agreement draft"), "sign_agreement": _("Sign the agreement"),
        "wait_for_signatures": _("Wait for the other parties to sign"),
        "accept_milestone": _("Accept or reject the delivered milestone"),
        "wait_for_delivery": _("Wait for the vendor's delivery"), "review_vendor": _("Review the vendor"),
        "done": _("Nothing to do"), "none": _("Nothing to do"), "submit_bid": _("Submit your bid"),
        "confirm_bid": _("Confirm your bid again"), "revise_or_wait": _("Revise your bid or wait for the deadline"),
        "wait_for_decision": _("Wait for the SME's decision"), "open_agreement": _("Open the agreement"),
        "deliver_milestone": _("Deliver the next milestone"),
        "wait_for_acceptance": _("Wait for the client to accept the milestone"),
        "cooperative_leads": _("Your cooperative runs this joint problem"),
    }


# --- vendor: my bids ----------------------------------------------------------------------------

def my_bids_query(organisation_id: int):
    """The vendor's bids with their problems: open deadlines first, then the newest."""
    return (select(Bid, Problem).join(Problem, Problem.id == Bid.problem_id)
            .where(Bid.vendor_id == organisation_id)
            .order_by(Problem.bid_deadline.desc(), Bid.id.desc()))


@dataclass(frozen=True)
class BidItem:
    bid: Bid
    problem: Problem
    deadline: datetime | None
    next_step: str
    agreement_id: int | None


def bid_item(session: Session, bid: Bid, problem: Problem) -> BidItem:
    agreement = agreements.agreement_for_problem(session, problem) if bid.state == "awarded" else None
    step = bid_next_step(bid.state, bidding_open=bids.bidding_open(problem), has_agreement=agreement is not None)
    return BidItem(bid, problem, problem.bid_deadline, step, agreement.id if agreement else None)


# --- every party: my agreements -----------------------------------------------------------------

def my_agreements_query(organisation_id: int):
    """Agreements the organisation is a party of (client, member SME or vendor), newest first."""
    member_of = select(AgreementMember.agreement_id).where(AgreementMember.organisation_id == organisation_id)
    return (select(Agreement, Problem).join(Problem, Problem.id == Agreement.problem_id)
            .where(or_(Agreement.client_id == organisation_id, Agreement.vendor_id == organisation_id,
                       Agreement.id.in_(member_of)))
            .order_by(Agreement.created_at.desc(), Agreement.id.desc()))


@dataclass(frozen=True)
class AgreementItem:
    agreement: Agreement
    problem: Problem
    role: str
    next_step: str


def agreement_role(agreement: Agreement, organisation_id: int) -> str:
    if organisation_id == agreement.vendor_id:
        return "vendor"
    return "client" if organisation_id == agreement.client_id else "member"


def agreement_item(session: Session, agreement: Agreement, problem: Problem, organisation_id: int) -> AgreementItem:
    role = agreement_role(agreement, organisation_id)
    return AgreementItem(agreement, problem, role, agreement_next_step(_agreement_facts(session, agreement, problem,
                                                                                        organisation_id, role)))


def _agreement_facts(session: Session, agreement: Agreement, problem: Problem, organisation_id: int,
                     role: str) -> AgreementFacts:
    version = agreements.get_version(session, agreement)
    signed = session.exec(select(Signature.id).where(Signature.version_id == version.id,
                                                     Signature.organisation_id == organisation_id)).first()
    milestones = agreements.list_milestones(session, agreement)
    return AgreementFacts(
        status=agreement.status, role=role, signed_current_version=signed is not None,
        milestones_to_deliver=sum(m.status in (MilestoneStatus.PENDING, MilestoneStatus.REJECTED) for m in milestones),
        milestones_delivered=sum(m.status == MilestoneStatus.DELIVERED for m in milestones),
        completed=problem.state == "completed", reviewed=agreements.get_review(session, agreement) is not None)


# --- posters: my problems -----------------------------------------------------------------------

@dataclass(frozen=True)
class ProblemItem:
    problem: Problem
    next_step: str
    unanswered_questions: int


def problem_item(session: Session, problem: Problem, organisation_id: int) -> ProblemItem:
    kpis = problems.list_kpis(session, problem)
    unanswered = len(session.exec(select(Question.id).where(Question.problem_id == problem.id,
                                                             Question.answer.is_(None))).all())
    agreement = agreements.agreement_for_problem(session, problem)
    signed_by_us = False
    if agreement is not None:
        version = agreements.get_version(session, agreement)
        signed_by_us = session.exec(select(Signature.id).where(Signature.version_id == version.id,
                                                               Signature.organisation_id == organisation_id)
                                    ).first() is not None
    subsidy = active_subsidy(session, problem) if problem.program_id else None
    delivered = 0
    if agreement is not None:
        delivered = sum(m.status == MilestoneStatus.DELIVERED for m in agreements.list_milestones(session, agreement))
    facts = ProblemFacts(
        state=problem.state, publishable=not problems.missing_for_publication(problem, kpis),
        unanswered_questions=unanswered, deadline_passed=bids.deadline_passed(problem),
        has_agreement=agreement is not None, agreement_signed_by_us=signed_by_us,
        agreement_signed=bool(agreement and agreement.status == "signed"), delivered_milestones=delivered,
        reviewed=bool(agreement and agreements.get_review(session, agreement)),
        waiting_subsidy=bool(subsidy and subsidy.status == SubsidyStatus.PENDING),
        joint_member=problem.organisation_id != organisation_id)
    return ProblemItem(problem, problem_next_step(facts), unanswered)


def my_problems_query(organisation_id: int):
    """The poster's problems and, for a member SME, its cooperatives' joint problems; the most recently
    changed first."""
    return (select(Problem).where(or_(Problem.organisation_id == organisation_id,
                                      Problem.organisation_id.in_(problems.joint_problems_of(organisation_id))))
            .order_by(Problem.updated_at.desc(), Problem.id.desc()))


def role_labels() -> dict[str, str]:
    return {"client": _("Client"), "member": _("Member SME"), "vendor": _("Vendor")}
