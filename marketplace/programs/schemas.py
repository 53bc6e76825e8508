"""Input and output contracts of programs, applications, brokering, batch matching, subsidies and the
dashboard."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from marketplace.core.schemas import Id, Strict
from marketplace.programs import services


class ProgramPath(Strict):
    program_id: Id


class SubsidyPath(Strict):
    subsidy_id: Id


class ProgramIn(Strict):
    name_ko: str = Field(max_length=services.NAME_MAX)
    name_en: str = Field(max_length=services.NAME_MAX)
    description_ko: str = Field(default="", max_length=services.DESCRIPTION_MAX)
    description_en: str = Field(default="", max_length=services.DESCRIPTION_MAX)
    total_budget_krw: int = Field(description="integer won")
    subsidy_ratio: Decimal = Field(allow_inf_nan=False, description="0–1, e.g. \"0.80\"")
    cap_per_project_krw: int = Field(description="integer won, at most the total budget")
    min_own_share_ratio: Decimal = Field(default=Decimal(0), allow_inf_nan=False)
    max_employees: int | None = None
    max_revenue_krw: int | None = None
    regions: list[str] = Field(default_factory=list, description="시·도 codes; empty: all")
    industries: list[str] = Field(default_factory=list, description="KSIC divisions (C10) or sections (C); empty: all")
    problem_types: list[str] = Field(default_factory=list, description="empty: all")
    exclude_previously_subsidised: bool = False
    opens_on: date
    closes_on: date
    status: Literal["draft", "open", "closed"] = "draft"


class BudgetOut(BaseModel):
    total_krw: int
    reserved_krw: int
    committed_krw: int
    pending_krw: int
    left_krw: int


class ProgramOut(BaseModel):
    id: int
    agency_id: int
    agency_name: str
    status: str
    name_ko: str
    name_en: str
    description_ko: str
    description_en: str
    total_budget_krw: int
    subsidy_ratio: Decimal
    cap_per_project_krw: int
    min_own_share_ratio: Decimal
    max_employees: int | None
    max_revenue_krw: int | None
    regions: list[str]
    industries: list[str]
    problem_types: list[str]
    exclude_previously_subsidised: bool
    opens_on: date
    closes_on: date
    budget: BudgetOut
    created_at: datetime


class ProgramList(BaseModel):
    items: list[ProgramOut]
    total: int
    page: int
    per_page: int


class ApplicationIn(Strict):
    problem_id: Id


class ApplicationOut(BaseModel):
    id: int
    program_id: int
    problem_id: int
    status: str
    created_at: datetime


class RecommendationIn(Strict):
    problem_id: Id
    vendor_ids: list[Id] = Field(min_length=1, max_length=20)


class RecommendationOut(BaseModel):
    id: int
    program_id: int
    problem_id: int
    vendor_id: int
    offering_id: int | None
    created_at: datetime


class RecommendationList(BaseModel):
    items: list[RecommendationOut]
    total: int


class PairIn(Strict):
    problem_id: Id
    vendor_id: Id


class BatchIn(Strict):
    min_non_capital_share: float | None = Field(default=None, ge=0, le=1,
                                                description="at least this share of matched SMEs outside 수도권")
    publish: bool = Field(default=False, description="true: turn `pairs` into recommendations")
    pairs: list[PairIn] = Field(default_factory=list, max_length=500)


class PairOut(BaseModel):
    problem_id: int
    problem_title: str
    region: str
    capital_region: bool
    vendor_id: int
    vendor_name: str
    offering_id: int
    offering_title: str
    score: float


class BatchOut(BaseModel):
    problems: int
    pairs: list[PairOut]
    objective: float
    greedy_objective: float
    improvement: float
    non_capital_share: float | None
    greedy_non_capital_share: float | None
    min_non_capital_share: float | None
    min_share_met: bool
    capacities: dict[int, int]
    unassigned_problem_ids: list[int]
    published: list[RecommendationOut] = Field(default_factory=list)


class SubsidyOut(BaseModel):
    id: int
    program_id: int
    problem_id: int
    bid_id: int
    price_krw: int
    amount_krw: int
    own_share_krw: int
    status: str
    decided_by_id: int | None
    decided_at: datetime | None
    reason: str | None
    created_at: datetime


class SubsidyRejectIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


class CountsOut(BaseModel):
    applications: int
    recommendations: int
    awards: int


class RegionRow(CountsOut):
    code: str
    label: str
    capital: bool


class IndustryRow(CountsOut):
    code: str | None
    label: str


class TotalsOut(CountsOut):
    completed: int


class DashboardOut(BaseModel):
    program_id: int
    budget: BudgetOut
    totals: TotalsOut
    capital_region: dict[str, CountsOut]
    by_region: list[RegionRow]
    by_industry: list[IndustryRow]
    median_days_to_award: float | None
    completion_rate: float | None
