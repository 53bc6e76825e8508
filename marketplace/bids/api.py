"""``/api/v1`` operations for bids, the evaluation and decisions."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from marketplace.accounts.models import Organisation
from marketplace.api import AreaBlueprint, session
from marketplace.bids import services
from marketplace.bids.models import Bid
from marketplace.bids.schemas import (
    AwardIn,
    BidDraft,
    BidList,
    BidOut,
    BidPath,
    BidUpdate,
    EvaluationOut,
    EvidenceCountsOut,
    OpeningOut,
    OpeningRowOut,
    ExplanationIn,
    ExplanationRequestIn,
    ReasonIn,
    ScoreOut,
)
from marketplace.core.schemas import parse
from marketplace.i18n import current_locale
from marketplace.problems import services as problems
from marketplace.problems.schemas import ProblemPath

bp = AreaBlueprint("bids", __name__, description="Sealed bids, their evaluation by the SME's weights, and decisions")


def bid_out(bid: Bid) -> BidOut:
    vendor = session().get(Organisation, bid.vendor_id)
    return BidOut(
        id=bid.id, problem_id=bid.problem_id, vendor_id=bid.vendor_id, vendor_name=vendor.name(current_locale()),
        state=bid.state, problem_revision=bid.problem_revision, price_krw=bid.price_krw,
        duration_weeks=bid.duration_weeks, offering_id=bid.offering_id, approach=bid.approach, team=bid.team,
        milestones=bid.milestones, kpi_commitments=bid.kpi_commitments,
        maintenance_yearly_krw=bid.maintenance_yearly_krw, maintenance_years=bid.maintenance_years,
        service_level=bid.service_level, submitted_at=bid.submitted_at, decision_reason=bid.decision_reason,
        updated_at=bid.updated_at, award_reason=bid.award_reason, commitment_sha256=bid.commitment_sha256,
        explanation_state=bid.explanation_state, explanation_question=bid.explanation_question,
        explanation_due_at=bid.explanation_due_at, explanation=bid.explanation)


@bp.get("/problems/<int:problem_id>/bids", summary="Bids on a problem: a vendor sees its own; the SME sees all "
        "only after the deadline (409 before, with no count)", responses={200: BidList})
def list_bids(path: ProblemPath):
    problem = problems.get_problem(session(), path.problem_id, viewer=current_user)
    items = [bid_out(b) for b in services.list_bids_for_problem(session(), problem, viewer=current_user)]
    return BidList(items=items, total=len(items), page=1)


@bp.post("/problems/<int:problem_id>/bids", summary="Start (or submit) your bid; one per vendor per problem",
         responses={201: BidOut})
def create_bid(path: ProblemPath, body: BidDraft):
    problem = problems.get_problem(session(), path.problem_id, viewer=current_user)
    return bid_out(services.create_bid(session(), user=current_user, problem=problem, draft=body))


@bp.get("/bids/<int:bid_id>", summary="A bid (its vendor; the SME after the deadline)", responses={200: BidOut})
def get_bid(path: BidPath):
    return bid_out(services.get_bid(session(), path.bid_id, viewer=current_user))


@bp.patch("/bids/<int:bid_id>", summary="Revise your bid before the deadline", responses={200: BidOut})
def revise_bid(path: BidPath, body: BidUpdate):
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.revise_bid(session(), user=current_user, bid=bid, changes=body))


@bp.post("/bids/<int:bid_id>/submit", summary="Submit (seal) your bid", responses={200: BidOut})
def submit_bid(path: BidPath):
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.submit_bid(session(), user=current_user, bid=bid))


@bp.post("/bids/<int:bid_id>/withdraw", summary="Withdraw your bid before the deadline", responses={200: BidOut})
def withdraw_bid(path: BidPath):
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.withdraw_bid(session(), user=current_user, bid=bid))


@bp.get("/problems/<int:problem_id>/evaluation", summary="Side-by-side scores by the SME's weights, after the "
        "deadline", responses={200: EvaluationOut})
def evaluation(path: ProblemPath):
    problem = problems.get_own_problem(session(), path.problem_id, user=current_user)
    result = services.evaluate(session(), problem, viewer=current_user)
    lang = current_locale()
    return EvaluationOut(
        problem_id=problem.id, weights=result.weights, sensitivity=result.sensitivity,
        excluded_bid_ids=[b.id for b in result.excluded], horizon_years=result.horizon_years,
        scores=[ScoreOut(bid_id=s.bid.id, vendor_id=s.vendor.id, vendor_name=s.vendor.name(lang),
                         price_krw=s.bid.price_krw, duration_weeks=s.bid.duration_weeks, criteria=s.criteria,
                         total=s.total, rank=s.rank, tco_krw=s.tco_krw, subsidy_krw=s.subsidy_krw,
                         own_share_krw=s.own_share_krw, abnormally_low=s.abnormally_low, state=s.bid.state,
                         upkeep_krw=s.upkeep_krw, no_maintenance=s.no_maintenance,
                         explanation_state=s.bid.explanation_state,
                         evidence=EvidenceCountsOut(claimed=s.evidence.claimed, confirmed=s.evidence.confirmed,
                                                    verified=s.evidence.verified, credibility=s.credibility,
                                                    basis=s.evidence.basis))
                for s in result.scores])


@bp.post("/bids/<int:bid_id>/award", summary="Award a bid (once per problem; repeating it changes nothing). "
         "Optional JSON body {\"reason\"}: required when the bid is not the top-scored one; every bidder reads it. "
         "An abnormally low bid needs an accepted explanation first (409)", responses={200: BidOut})
def award_bid(path: BidPath):
    body = parse(AwardIn, request.get_json(silent=True) or {})
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.award_bid(session(), user=current_user, bid=bid, reason=body.reason))


@bp.post("/bids/<int:bid_id>/explanation-request", summary="Ask the vendor of an abnormally low bid to explain "
         "its price (SME); the vendor has a set number of days", responses={200: BidOut})
def request_explanation(path: BidPath, body: ExplanationRequestIn):
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.request_explanation(session(), user=current_user, bid=bid, question=body.question))


@bp.post("/bids/<int:bid_id>/explanation", summary="Explain your abnormally low price (vendor), within the time "
         "allowed", responses={200: BidOut})
def explain_bid(path: BidPath, body: ExplanationIn):
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.explain_bid(session(), user=current_user, bid=bid, explanation=body.explanation))


@bp.post("/bids/<int:bid_id>/explanation/accept", summary="Accept the vendor's explanation (SME): the bid may "
         "then be awarded", responses={200: BidOut})
def accept_explanation(path: BidPath):
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.accept_explanation(session(), user=current_user, bid=bid))


@bp.post("/bids/<int:bid_id>/explanation/reject", summary="Reject the explanation, or its absence after the time "
         "allowed (SME, with a reason): the bid is rejected", responses={200: BidOut})
def reject_explanation(path: BidPath, body: ReasonIn):
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.reject_explanation(session(), user=current_user, bid=bid, reason=body.reason))


@bp.post("/bids/<int:bid_id>/shortlist", summary="Shortlist a bid", responses={200: BidOut})
def shortlist_bid(path: BidPath):
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.shortlist_bid(session(), user=current_user, bid=bid))


@bp.post("/bids/<int:bid_id>/reject", summary="Reject a bid with a reason", responses={200: BidOut})
def reject_bid(path: BidPath, body: ReasonIn):
    bid = services.get_bid(session(), path.bid_id, viewer=current_user)
    return bid_out(services.reject_bid(session(), user=current_user, bid=bid, reason=body.reason))


@bp.get("/problems/<int:problem_id>/opening", summary="The opening result after the award (SME and every bidder): "
        "each bid's price and scores, the weights, the winner, the award reason and the SHA-256 commitments",
        responses={200: OpeningOut})
def opening(path: ProblemPath):
    problem = problems.get_problem(session(), path.problem_id, viewer=current_user)
    result = services.opening_result(session(), problem, viewer=current_user)
    winner = result.winner
    return OpeningOut(problem_id=problem.id, weights=result.weights, horizon_years=result.horizon_years,
                      weights_sha256=result.weights_sha256, weights_text=result.weights_text,
                      award_reason=result.award_reason, winner_bid_id=winner.bid_id if winner else None,
                      bids=[OpeningRowOut(**vars(r)) for r in result.rows])
