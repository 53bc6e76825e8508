"""Input and output contracts of problems, questions and invitations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field

from marketplace.accounts.models import Organisation
from marketplace.core.schemas import Id, PageQuery, Strict
from marketplace.problems import services


class ProblemPath(Strict):
    problem_id: Id


class QuestionPath(Strict):
    question_id: Id


class KpiIn(Strict):
    name: str = Field(max_length=80)
    unit: str = Field(default="", max_length=20)
    baseline: Decimal | None = Field(default=None, allow_inf_nan=False)
    target: Decimal | None = Field(default=None, allow_inf_nan=False)
    direction: Literal["lower", "higher"] = "lower"


class DataAssetIn(Strict):
    kind: str = Field(max_length=60)
    description: str = Field(default="", max_length=300)
    volume: str = Field(default="", max_length=60)
    period_months: int | None = Field(default=None, ge=0, le=600)
    labelled: bool = False


class CriteriaWeights(Strict):
    """Whole numbers that add up to 100."""

    quality: int = Field(ge=0, le=100)
    throughput: int = Field(ge=0, le=100)
    cost: int = Field(ge=0, le=100)
    delivery_speed: int = Field(ge=0, le=100)
    explainability: int = Field(ge=0, le=100)
    data_privacy: int = Field(ge=0, le=100)
    maintenance: int = Field(ge=0, le=100)


class ProblemUpdate(Strict):
    title: str | None = Field(default=None, max_length=services.TITLE_MAX)
    description: str | None = Field(default=None, max_length=services.DESCRIPTION_MAX)
    process: str | None = Field(default=None, max_length=services.PROCESS_MAX)
    industry: str | None = Field(default=None, max_length=8, description="KSIC division, e.g. C10")
    problem_types: list[str] | None = Field(default=None, max_length=services.MAX_PROBLEM_TYPES)
    kpis: list[KpiIn] | None = Field(default=None, max_length=services.MAX_KPIS)
    data_assets: list[DataAssetIn] | None = Field(default=None, max_length=services.MAX_DATA_ASSETS)
    systems: list[str] | None = Field(default=None, max_length=services.MAX_SYSTEMS)
    on_premises_required: bool | None = None
    budget_min_krw: int | None = Field(default=None, ge=0, le=services.MAX_MONEY)
    budget_max_krw: int | None = Field(default=None, ge=0, le=services.MAX_MONEY)
    wanted_by: date | None = None
    weights: CriteriaWeights | None = None
    visibility: Literal["public", "anonymous", "invited"] | None = None


class ProblemCreate(ProblemUpdate):
    title: str = Field(min_length=5, max_length=services.TITLE_MAX)


class KpiOut(BaseModel):
    position: int
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    direction: str


class CompletenessOut(BaseModel):
    score: int
    level: str
    hints: list[str]

    @classmethod
    def of(cls, quality) -> CompletenessOut:
        """From a :class:`marketplace.problems.services.Completeness`."""
        return cls(score=quality.score, level=quality.level, hints=[h.message for h in quality.hints])


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
    completeness: CompletenessOut
    organisation: OrganisationRef | None = Field(description="null while an anonymous brief hides the company")
    published_at: datetime | None
    bid_deadline: datetime | None
    created_at: datetime
    updated_at: datetime


class ProblemList(BaseModel):
    items: list[ProblemPublic]
    total: int
    page: int
    per_page: int


class ProblemListQuery(PageQuery):
    scope: Literal["mine", "open"] | None = Field(default=None,
                                                  description="mine: your organisation's; open: published to you")


class OpenBiddingIn(Strict):
    deadline: AwareDatetime = Field(description="ISO 8601 with a time zone; stored in UTC")


class CancelIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


class QuestionIn(Strict):
    body: str = Field(min_length=5, max_length=services.QUESTION_MAX)


class AnswerIn(Strict):
    answer: str = Field(min_length=1, max_length=services.QUESTION_MAX)


class QuestionOut(BaseModel):
    id: int
    body: str
    answer: str | None
    answered_at: datetime | None
    created_at: datetime
    mine: bool = Field(description="asked by the caller's organisation; nobody sees who else asked")


class QuestionList(BaseModel):
    items: list[QuestionOut]
    total: int
    page: int


class InvitationIn(Strict):
    vendor_id: Id


class InvitationOut(BaseModel):
    problem_id: int
    vendor_id: int
    created: bool
