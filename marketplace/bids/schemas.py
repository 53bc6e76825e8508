"""Input and output contracts of bids, the evaluation and decisions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from marketplace.bids import services
from marketplace.core.schemas import Id, Strict


class BidPath(Strict):
    bid_id: Id


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
