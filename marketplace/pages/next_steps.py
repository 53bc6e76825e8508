"""What each party should do next, as a code: the pure rule behind "my work" (no Flask, no database).

:mod:`marketplace.pages.services` gathers the facts from the rows and words the codes in the reader's
language; pages and the API (``?scope=mine``) show the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemFacts:
    state: str
    publishable: bool = False          # nothing is missing for publication
    unanswered_questions: int = 0
    deadline_passed: bool = False
    has_agreement: bool = False
    agreement_signed_by_us: bool = False
    agreement_signed: bool = False
    delivered_milestones: int = 0      # waiting for the SME's decision
    reviewed: bool = False
    waiting_subsidy: bool = False
    joint_member: bool = False         # the reader is a member SME of the posting cooperative


def problem_next_step(f: ProblemFacts) -> str:
    """The poster's next action on its problem (a member SME of a joint problem only signs; the cooperative
    does the rest)."""
    if f.joint_member:
        if f.has_agreement and not f.agreement_signed and not f.agreement_signed_by_us:
            return "sign_agreement"
        return "cooperative_leads"
    if f.state == "draft":
        return "publish" if f.publishable else "complete_draft"
    if f.state in ("enquiries", "bidding") and f.unanswered_questions:
        return "answer_questions"
    if f.state == "enquiries":
        return "open_bidding"
    if f.state == "bidding":
        return "evaluate_bids" if f.deadline_passed else "wait_for_deadline"
    if f.state == "evaluation":
        return "evaluate_bids"
    if f.state == "awarded":
        if not f.has_agreement:
            return "wait_for_subsidy" if f.waiting_subsidy else "wait_for_agreement"
        return "wait_for_signatures" if f.agreement_signed_by_us else "sign_agreement"
    if f.state in ("contracted", "in_delivery"):
        if f.has_agreement and not f.agreement_signed and not f.agreement_signed_by_us:
            return "sign_agreement"
        return "accept_milestone" if f.delivered_milestones else "wait_for_delivery"
    if f.state == "completed":
        return "done" if f.reviewed else "review_vendor"
    return "none"


def bid_next_step(bid_state: str, *, bidding_open: bool, has_agreement: bool = False) -> str:
    """The vendor's next action on its bid."""
    if bid_state == "draft":
        return "submit_bid" if bidding_open else "none"
    if bid_state == "invalidated":
        return "confirm_bid" if bidding_open else "none"
    if bid_state == "submitted":
        return "revise_or_wait" if bidding_open else "wait_for_decision"
    if bid_state == "shortlisted":
        return "wait_for_decision"
    if bid_state == "awarded":
        return "open_agreement" if has_agreement else "wait_for_agreement"
    return "none"


@dataclass(frozen=True)
class AgreementFacts:
    status: str                        # draft | pending_signatures | signed | terminated
    role: str                          # client | member | vendor
    signed_current_version: bool = False
    milestones_to_deliver: int = 0     # pending or rejected
    milestones_delivered: int = 0      # waiting for the client
    completed: bool = False
    reviewed: bool = False


def agreement_next_step(f: AgreementFacts) -> str:
    """A party's next action on an agreement."""
    if f.status == "terminated":
        return "none"
    if f.status in ("draft", "pending_signatures"):
        return "wait_for_signatures" if f.signed_current_version else "sign_agreement"
    if f.completed:
        return "review_vendor" if f.role == "client" and not f.reviewed else "done"
    if f.role == "vendor":
        return "deliver_milestone" if f.milestones_to_deliver and not f.milestones_delivered else \
            ("wait_for_acceptance" if f.milestones_delivered else "done")
    if f.role == "client" and f.milestones_delivered:
        return "accept_milestone"
    return "wait_for_delivery"
