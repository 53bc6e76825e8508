"""Input and output contracts of programs, applications, brokering, batch matching, subsidies and the
dashboard.

The input contracts (``ProgramCreate``, ``ProgramUpdate``, ``ApplicationCreate``,
``RecommendationCreate``, ``BatchMatch``, ``SubsidyReject``) are the one place their rules are written:
the API validates its bodies with them and the pages parse their forms into them
(:func:`marketplace.core.forms.parse_form`). A rule whose message says more than the generic one raises
a translated :class:`ValueError`, which :func:`marketplace.core.schemas.field_errors` puts on its field.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from flask_babel import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from domain import TotalWon
from marketplace.core.schemas import Id, Strict
from marketplace.programs.subsidy import shares_fit
from matching import taxonomy

NAME_MAX = 200
DESCRIPTION_MAX = 5000
REASON_MAX = 500
#: ``max_employees`` is an INTEGER column.
MAX_EMPLOYEES = 2**31 - 1
STATUSES = ("draft", "open", "closed")


class ProgramPath(Strict):
    program_id: Id


class SubsidyPath(Strict):
    subsidy_id: Id


# --- field types -----------------------------------------------------------------------------------

def _required(value: str) -> str:
    if not value:
        raise ValueError(_("This field is required."))
    return value


def _ratio(value: Any) -> Decimal:
    """0 to 1 with at most four decimal places, read exactly (a float 0.8 is "0.8", not 0.8000000000000000444)."""
    message = _("Enter a ratio between 0 and 1, such as 0.8.")
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(message)
    try:
        ratio = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(message) from None
    if not ratio.is_finite() or not 0 <= ratio <= 1:
        raise ValueError(message)
    if ratio != ratio.quantize(Decimal("0.0001")):
        raise ValueError(_("Use at most four decimal places."))
    return ratio


#: A name: spaces around it dropped, something left.
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NAME_MAX), AfterValidator(_required)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=DESCRIPTION_MAX)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=REASON_MAX), AfterValidator(_required)]
Ratio = Annotated[Decimal, BeforeValidator(_ratio), Field(description="0–1, at most four decimal places, e.g. "
                                                                      "\"0.8\"")]


def _above_zero(amount: int) -> int:
    if amount == 0:
        raise ValueError(_("Enter a number above zero."))
    return amount


#: An amount of won above zero, up to the largest program budget.
Amount = Annotated[TotalWon, AfterValidator(_above_zero), Field(json_schema_extra={"minimum": 1})]


def _industry_known(code: str) -> bool:
    """A KSIC division (C10) or a whole section (C)."""
    return taxonomy.get_industry(code) is not None or (len(code) == 1
                                                       and taxonomy.get_industry_section(code) is not None)


def _known_codes(codes: list[str], known, message: str) -> list[str]:
    """The codes once each, in order; unknown ones named (the first three) after ``message``."""
    unknown = [c for c in codes if not known(c)]
    if unknown:
        raise ValueError(f"{message} ({', '.join(unknown[:3])})")
    return list(dict.fromkeys(codes))


# --- programs --------------------------------------------------------------------------------------

class ProgramCreate(Strict):
    """A subsidy program as its agency's officer writes it.

    Field order matters: a field's validator sees the fields above it (``info.data``), so the cap is
    checked against the budget and the subsidy ratio against the minimum own share, each error on its
    own field even when other fields are wrong too.
    """

    name_ko: Name
    name_en: Name
    description_ko: Description = ""
    description_en: Description = ""
    total_budget_krw: Amount = Field(description="integer won")
    cap_per_project_krw: Amount = Field(description="integer won, at most the total budget")
    min_own_share_ratio: Ratio = Field(default=Decimal(0), description="share the SME pays at least, 0 to below 1")
    subsidy_ratio: Ratio = Field(description="share of the contract price the program pays, above 0, "
                                             "e.g. \"0.80\"")
    max_employees: int | None = Field(default=None, ge=0, le=MAX_EMPLOYEES)
    max_revenue_krw: TotalWon | None = None
    regions: list[str] = Field(default_factory=list, description="시·도 codes; empty: all")
    industries: list[str] = Field(default_factory=list, description="KSIC divisions (C10) or sections (C); empty: all")
    problem_types: list[str] = Field(default_factory=list, description="empty: all")
    exclude_previously_subsidised: bool = False
    accepts_open_problems: bool = Field(default=True, description="problems already open to vendors (enquiries, "
                                                                   "bidding) may apply; false: drafts only")
    opens_on: date
    closes_on: date
    status: Literal["draft", "open", "closed"] = "draft"

    @field_validator("cap_per_project_krw")
    @classmethod
    def _cap_within_budget(cls, cap: int, info: ValidationInfo) -> int:
        budget = info.data.get("total_budget_krw")
        if budget is not None and cap > budget:
            raise ValueError(_("The cap per project cannot be above the total budget."))
        return cap

    @field_validator("min_own_share_ratio")
    @classmethod
    def _own_share_below_one(cls, own: Decimal) -> Decimal:
        if own >= 1:
            raise ValueError(_("The minimum own share must be below 1."))
        return own

    @field_validator("subsidy_ratio")
    @classmethod
    def _ratio_leaves_the_own_share(cls, ratio: Decimal, info: ValidationInfo) -> Decimal:
        if ratio == 0:
            raise ValueError(_("The subsidy ratio must be above 0."))
        own = info.data.get("min_own_share_ratio")
        if own is not None and not shares_fit(ratio, own):
            raise ValueError(_("The subsidy ratio and the minimum own share add up to more than 1 "
                               "(%(ratio)s + %(own)s).", ratio=ratio, own=own))
        return ratio

    @field_validator("regions")
    @classmethod
    def _regions_known(cls, codes: list[str]) -> list[str]:
        return _known_codes(codes, lambda c: taxonomy.get_region(c) is not None,
                            _("Choose regions (시·도) from the list."))

    @field_validator("industries")
    @classmethod
    def _industries_known(cls, codes: list[str]) -> list[str]:
        return _known_codes(codes, _industry_known, _("Use KSIC division codes (C10) or section letters (C)."))

    @field_validator("problem_types")
    @classmethod
    def _problem_types_known(cls, codes: list[str]) -> list[str]:
        return _known_codes(codes, lambda c: taxonomy.get_problem_type(c) is not None,
                            _("Choose problem types from the list."))

    @field_validator("closes_on")
    @classmethod
    def _window_ordered(cls, closes_on: date, info: ValidationInfo) -> date:
        opens_on = info.data.get("opens_on")
        if opens_on is not None and closes_on < opens_on:
            raise ValueError(_("The application window cannot close before it opens."))
        return closes_on

    @field_validator("status", mode="before")
    @classmethod
    def _status_known(cls, status: Any) -> Any:
        if status not in STATUSES:
            raise ValueError(_("Choose draft, open or closed."))
        return status


class ProgramUpdate(ProgramCreate):
    """The program's edit form sends every field again: the same rules as when it was created."""


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
    accepts_open_problems: bool
    opens_on: date
    closes_on: date
    budget: BudgetOut
    created_at: datetime


class ProgramList(BaseModel):
    items: list[ProgramOut]
    total: int
    page: int
    per_page: int


class ApplicationCreate(Strict):
    problem_id: Id


class ApplicationOut(BaseModel):
    id: int
    program_id: int
    problem_id: int
    status: str
    created_at: datetime


def _some_vendor(vendor_ids: list[int]) -> list[int]:
    if not vendor_ids:
        raise ValueError(_("Choose at least one vendor."))
    return list(dict.fromkeys(vendor_ids))


class RecommendationCreate(Strict):
    problem_id: Id
    vendor_ids: Annotated[list[Id], AfterValidator(_some_vendor)] = Field(max_length=20, json_schema_extra={
        "minItems": 1})


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


class MatchPair(Strict):
    problem_id: Id
    vendor_id: Id


class BatchMatch(Strict):
    min_non_capital_share: float | None = Field(default=None, ge=0, le=1,
                                                description="at least this share of matched SMEs outside 수도권")
    publish: bool = Field(default=False, description="true: turn `pairs` into recommendations")
    pairs: list[MatchPair] = Field(default_factory=list, max_length=500)


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


class SubsidyReject(Strict):
    reason: Reason


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
