"""Output contracts of problems, questions and invitations: what the API answers (the inputs are in
:mod:`marketplace.problems.schemas`, which re-exports these)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from marketplace.accounts.models import Organisation
from marketplace.core.schemas import PageQuery
from marketplace.problems import messages
from marketplace.problems.completeness import Completeness


class KpiOut(BaseModel):
    position: int
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    direction: str
    metric: str | None = None
    measured_on: str | None = None
    period: str = ""


class CompletenessOut(BaseModel):
    score: int
    level: str
    hints: list[str]

    @classmethod
    def of(cls, quality: Completeness) -> CompletenessOut:
        """From :func:`marketplace.problems.completeness.completeness`, hints in the reader's language."""
        return cls(score=quality.score, level=quality.level, hints=[messages.hint(h) for h in quality.hints])


class OrganisationRef(BaseModel):
    id: int
    name_ko: str
    name_en: str
    region: str

    @classmethod
    def of(cls, org: Organisation | None) -> OrganisationRef | None:
        return cls(id=org.id, name_ko=org.name_ko, name_en=org.name_en, region=org.region) if org else None


class ProblemPublic(BaseModel):
    id: int
    state: str
    visibility: str
    revision: int
    title: str
    description: str
    process: str | None
    industry: str | None
    problem_types: list[str]
    kpis: list[KpiOut]
    data_assets: list[dict]
    systems: list[str]
    on_premises_required: bool
    budget_min_krw: int | None
    budget_max_krw: int | None
    wanted_by: date | None
    weights: dict[str, int]
    tco_horizon_years: int = 3
    opening_shows_names: bool = False
    completeness: CompletenessOut
    organisation: OrganisationRef | None = Field(description="null while an anonymous brief hides the company")
    published_at: datetime | None
    bid_deadline: datetime | None
    created_at: datetime
    updated_at: datetime
    next_step: str | None = Field(default=None, description="?scope=mine: the poster's next action, as a code")
    next_step_label: str | None = Field(default=None, description="?scope=mine: the next action, in words")


class ProblemList(BaseModel):
    items: list[ProblemPublic]
    total: int
    page: int
    per_page: int


class ProblemListQuery(PageQuery):
    scope: Literal["mine", "open"] | None = Field(default=None,
                                                  description="mine: your organisation's; open: published to you")


class QuestionOut(BaseModel):
    id: int
    body: str
    answer: str | None
    answered_at: datetime | None
    created_at: datetime
    mine: bool = Field(description="asked by the caller's organisation; nobody sees who else asked")
    hidden: bool = Field(default=False, description="hidden by the SME (only the SME and admins see it)")
    hidden_reason: str | None = None


class QuestionList(BaseModel):
    items: list[QuestionOut]
    total: int
    page: int


class InvitationOut(BaseModel):
    problem_id: int
    vendor_id: int
    created: bool
