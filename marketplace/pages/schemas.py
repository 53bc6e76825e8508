"""Output contracts of my work (``GET /api/v1/bids?scope=mine``, ``GET /api/v1/agreements?scope=mine``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from marketplace.core.schemas import PageQuery


class MineQuery(PageQuery):
    scope: Literal["mine"] = Field(default="mine", description="mine: your organisation's (the only scope)")


class MyBidOut(BaseModel):
    id: int
    problem_id: int
    problem_title: str
    problem_state: str
    state: str
    price_krw: int | None
    bid_deadline: datetime | None
    submitted_at: datetime | None
    agreement_id: int | None
    next_step: str = Field(description="a code: submit_bid, confirm_bid, revise_or_wait, wait_for_decision, "
                                       "open_agreement, wait_for_agreement, none")
    next_step_label: str


class MyBidList(BaseModel):
    items: list[MyBidOut]
    total: int
    page: int
    per_page: int


class MyAgreementOut(BaseModel):
    id: int
    reference: str
    problem_id: int
    problem_title: str
    status: str
    role: Literal["client", "member", "vendor"]
    current_version: int
    next_step: str = Field(description="a code: sign_agreement, wait_for_signatures, deliver_milestone, "
                                       "wait_for_acceptance, accept_milestone, wait_for_delivery, review_vendor, "
                                       "done, none")
    next_step_label: str


class MyAgreementList(BaseModel):
    items: list[MyAgreementOut]
    total: int
    page: int
    per_page: int
