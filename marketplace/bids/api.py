"""``/api/v1`` endpoints for bids, the evaluation, decisions and notifications."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from marketplace.accounts.models import Organisation
from marketplace.api.core import Id, PageQuery, api, paginate, session
from marketplace.bids import services
from marketplace.bids.models import Bid
from marketplace.notifications import services as notifications
from marketplace.problems import services as problems


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MilestoneIn(Strict):
    name: str = Field(max_length=120)
    deliverable: str = Field(default="", max_length=300)
    week: int = Field(ge=1, le=260)
    payment_percent: int = Field(ge=0, le=100)


class CommitmentIn(Strict):
    kpi_id: Id
    value: Decimal = Field(allow_inf_nan=False)


class BidUpdate(Strict):
    price_krw: int | None = Field(default=None, ge=1, le=services.MAX_PRICE, description="won, VAT excluded")
    duration_weeks: int | None = Field(default=None, ge=1, le=260)
    offering_id: Id | None = None
    approach: str | None = Field(default=None, max_length=services.TEXT_MAX)
    team: str | None = Field(default=None, max_length=2000)
    milestones: list[MilestoneIn] | None = Field(default=None, max_length=services.MAX_MILESTONES)
    kpi_commitments: list[CommitmentIn] | None = None
    maintenance_yearly_krw: int | None = Field(default=None, ge=0, le=services.MAX_PRICE)
    maintenance_years: int | None = Field(default=None, ge=0, le=10)
    service_level: str | None = Field(default=None, max_length=500)


class BidCreate(BidUpdate):
    submit: bool = Field(default=False, description="submit at once instead of keeping a draft")


class BidOut(BaseModel):
    id: int
    problem_id: int
    vendor_id: int
    vendor_name: str
    state: str
    problem_revision: int
    price_krw: int | None
    duration_weeks: int | None
    offering_id: int | None
    approach: str
    team: str
    milestones: list[dict]
    kpi_commitments: list[dict]
    maintenance_yearly_krw: int
    maintenance_years: int
    service_level: str
    submitted_at: datetime | None
    decision_reason: str | None
    updated_at: datetime


class BidList(BaseModel):
    items: list[BidOut]
    total: int
    page: int


class ScoreOut(BaseModel):
    bid_id: int
    vendor_id: int
    vendor_name: str
    price_krw: int
    duration_weeks: int
    criteria: dict[str, float]
    total: float
    rank: int
    tco_krw: int
    subsidy_krw: int | None
    own_share_krw: int | None
    abnormally_low: bool
    state: str


class EvaluationOut(BaseModel):
    problem_id: int
    weights: dict[str, int]
    scores: list[ScoreOut]
    sensitivity: list[str]
    excluded_bid_ids: list[int]


class ReasonIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


class NotificationOut(BaseModel):
    id: int
    kind: str
    message: str
    link: str | None
    created_at: datetime
    read: bool


class NotificationList(BaseModel):
    items: list[NotificationOut]
    total: int
    page: int
    per_page: int


def bid_out(bid: Bid) -> BidOut:
    vendor = session().get(Organisation, bid.vendor_id)
    from marketplace.i18n import current_locale

    return BidOut(
        id=bid.id, problem_id=bid.problem_id, vendor_id=bid.vendor_id, vendor_name=vendor.name(current_locale()),
        state=bid.state, problem_revision=bid.problem_revision, price_krw=bid.price_krw,
        duration_weeks=bid.duration_weeks, offering_id=bid.offering_id, approach=bid.approach, team=bid.team,
        milestones=bid.milestones, kpi_commitments=bid.kpi_commitments,
        maintenance_yearly_krw=bid.maintenance_yearly_krw, maintenance_years=bid.maintenance_years,
        service_level=bid.service_level, submitted_at=bid.submitted_at, decision_reason=bid.decision_reason,
        updated_at=bid.updated_at)


def _data(body: BidUpdate) -> dict:
    data = body.model_dump(exclude_unset=True, exclude={"submit"})
    if "kpi_commitments" in data and data["kpi_commitments"] is not None:
        data["kpi_commitments"] = {c["kpi_id"]: str(c["value"]) for c in data["kpi_commitments"]}
    return data


@api.route("/problems/<int:problem_id>/bids", summary="Bids on a problem: a vendor sees its own; the SME sees all "
           "only after the deadline (409 before, with no count)", tags=("bids",), response=BidList,
           errors=(404, 409))
def list_bids(problem_id: int):
    problem = problems.get_problem(session(), problem_id, viewer=current_user)
    items = [bid_out(b) for b in services.list_bids_for_problem(session(), problem, viewer=current_user)]
    return BidList(items=items, total=len(items), page=1)


@api.route("/problems/<int:problem_id>/bids", methods=("POST",), summary="Start (or submit) your bid; one per vendor "
           "per problem", tags=("bids",), body=BidCreate, response=BidOut, status=201, errors=(403, 404, 409))
def create_bid(problem_id: int, body: BidCreate):
    problem = problems.get_problem(session(), problem_id, viewer=current_user)
    return bid_out(services.create_bid(session(), user=current_user, problem=problem, data=_data(body),
                                       submit=body.submit))


@api.route("/bids/<int:bid_id>", summary="A bid (its vendor; the SME after the deadline)", tags=("bids",),
           response=BidOut, errors=(404,))
def get_bid(bid_id: int):
    return bid_out(services.get_bid(session(), bid_id, viewer=current_user))


@api.route("/bids/<int:bid_id>", methods=("PATCH",), summary="Revise your bid before the deadline", tags=("bids",),
           body=BidUpdate, response=BidOut, errors=(404, 409))
def revise_bid(bid_id: int, body: BidUpdate):
    bid = services.get_bid(session(), bid_id, viewer=current_user)
    return bid_out(services.revise_bid(session(), user=current_user, bid=bid, data=_data(body)))


@api.route("/bids/<int:bid_id>/submit", methods=("POST",), summary="Submit (seal) your bid", tags=("bids",),
           response=BidOut, errors=(404, 409))
def submit_bid(bid_id: int):
    bid = services.get_bid(session(), bid_id, viewer=current_user)
    return bid_out(services.submit_bid(session(), user=current_user, bid=bid))


@api.route("/bids/<int:bid_id>/withdraw", methods=("POST",), summary="Withdraw your bid before the deadline",
           tags=("bids",), response=BidOut, errors=(404, 409))
def withdraw_bid(bid_id: int):
    bid = services.get_bid(session(), bid_id, viewer=current_user)
    return bid_out(services.withdraw_bid(session(), user=current_user, bid=bid))


@api.route("/problems/<int:problem_id>/evaluation", summary="Side-by-side scores by the SME's weights, after the "
           "deadline", tags=("bids",), response=EvaluationOut, errors=(404, 409))
def evaluation(problem_id: int):
    problem = problems.get_own_problem(session(), problem_id, user=current_user)
    result = services.evaluate(session(), problem, viewer=current_user)
    from marketplace.i18n import current_locale

    lang = current_locale()
    return EvaluationOut(
        problem_id=problem.id, weights=result.weights, sensitivity=result.sensitivity,
        excluded_bid_ids=[b.id for b in result.excluded],
        scores=[ScoreOut(bid_id=s.bid.id, vendor_id=s.vendor.id, vendor_name=s.vendor.name(lang),
                         price_krw=s.bid.price_krw, duration_weeks=s.bid.duration_weeks, criteria=s.criteria,
                         total=s.total, rank=s.rank, tco_krw=s.tco_krw, subsidy_krw=s.subsidy_krw,
                         own_share_krw=s.own_share_krw, abnormally_low=s.abnormally_low, state=s.bid.state)
                for s in result.scores])


@api.route("/bids/<int:bid_id>/award", methods=("POST",), summary="Award a bid (once per problem; repeating it "
           "changes nothing)", tags=("bids",), response=BidOut, errors=(403, 404, 409))
def award_bid(bid_id: int):
    bid = services.get_bid(session(), bid_id, viewer=current_user)
    return bid_out(services.award_bid(session(), user=current_user, bid=bid))


@api.route("/bids/<int:bid_id>/shortlist", methods=("POST",), summary="Shortlist a bid", tags=("bids",),
           response=BidOut, errors=(403, 404, 409))
def shortlist_bid(bid_id: int):
    bid = services.get_bid(session(), bid_id, viewer=current_user)
    return bid_out(services.shortlist_bid(session(), user=current_user, bid=bid))


@api.route("/bids/<int:bid_id>/reject", methods=("POST",), summary="Reject a bid with a reason", tags=("bids",),
           body=ReasonIn, response=BidOut, errors=(403, 404, 409))
def reject_bid(bid_id: int, body: ReasonIn):
    bid = services.get_bid(session(), bid_id, viewer=current_user)
    return bid_out(services.reject_bid(session(), user=current_user, bid=bid, reason=body.reason))


@api.route("/notifications", summary="Your notifications, newest first", tags=("notifications",), query=PageQuery,
           response=NotificationList)
def list_notifications(query: PageQuery):
    return paginate(session(), notifications.notifications_query(current_user), query,
                    lambda n: NotificationOut(id=n.id, kind=n.kind, message=notifications.message(n.kind, n.params),
                                              link=n.link, created_at=n.created_at,
                                              read=n.read_at is not None))
