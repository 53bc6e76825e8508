"""Output contracts of discovery (offerings ranked for a problem, problems ranked for a vendor) and
their queries."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from marketplace.core.schemas import Strict
from marketplace.problems.schemas import CompletenessOut, OrganisationRef


class MatchesQuery(Strict):
    weights: str | None = Field(default=None, max_length=300, description="what-if weights, e.g. quality:40,cost:30")
    q: str | None = Field(default=None, max_length=100)
    industry: str | None = Field(default=None, max_length=8)
    region: str | None = Field(default=None, max_length=20)
    deployment: Literal["cloud", "on_premises", "hybrid", "edge"] | None = None
    max_price: int | None = Field(default=None, ge=0)
    top: int = Field(default=10, ge=1, le=50)


class MatchOut(BaseModel):
    offering_id: int
    title: str
    vendor_id: int
    vendor_name: str
    price_min_krw: int
    price_max_krw: int
    price_text: str
    score: float
    contributions: dict[str, float]
    reasons: list[str]
    matched_terms: list[str]
    invited: bool
    recommended_by: str | None = Field(default=None, description="the agency that recommended this vendor")
    url: str


class MatchList(BaseModel):
    items: list[MatchOut]
    total: int
    page: int


class OpportunitiesQuery(Strict):
    q: str | None = Field(default=None, max_length=100)
    industry: str | None = Field(default=None, max_length=8)
    region: str | None = Field(default=None, max_length=20)
    top: int = Field(default=20, ge=1, le=50)


class OpportunityOut(BaseModel):
    problem_id: int
    title: str
    state: str
    score: float
    contributions: dict[str, float]
    reasons: list[str]
    best_offering_id: int | None
    completeness: CompletenessOut
    organisation: OrganisationRef | None


class OpportunityList(BaseModel):
    items: list[OpportunityOut]
    total: int
    page: int
