"""``/api/v1`` endpoints for programs, applications, brokering, batch matching, subsidies, the dashboard
and the CSV export."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from flask import Response
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from marketplace.api.core import Id, PageQuery, api, paginate, session
from marketplace.core.errors import NotFound
from marketplace.i18n import current_locale
from marketplace.problems.models import Problem
from marketplace.programs import services
from marketplace.programs.models import Application, Program, Recommendation, Subsidy


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class RejectIn(Strict):
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


# --- converters --------------------------------------------------------------------------------

def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _ratio(value) -> Decimal:
    """Ratios always with four places, whichever database stored them."""
    return Decimal(value).quantize(Decimal("0.0001"))


def program_out(program: Program) -> ProgramOut:
    from marketplace.accounts.models import Organisation

    agency = session().get(Organisation, program.agency_id)
    return ProgramOut(
        id=program.id, agency_id=program.agency_id, agency_name=agency.name(current_locale()),
        status=program.status, name_ko=program.name_ko, name_en=program.name_en,
        description_ko=program.description_ko, description_en=program.description_en,
        total_budget_krw=program.total_budget_krw, subsidy_ratio=_ratio(program.subsidy_ratio),
        cap_per_project_krw=program.cap_per_project_krw, min_own_share_ratio=_ratio(program.min_own_share_ratio),
        max_employees=program.max_employees, max_revenue_krw=program.max_revenue_krw, regions=program.regions,
        industries=program.industries, problem_types=program.problem_types,
        exclude_previously_subsidised=program.exclude_previously_subsidised, opens_on=program.opens_on,
        closes_on=program.closes_on, budget=BudgetOut(**services.budget_of(session(), program).as_dict()),
        created_at=program.created_at)


def recommendation_out(rec: Recommendation) -> RecommendationOut:
    return RecommendationOut(id=rec.id, program_id=rec.program_id, problem_id=rec.problem_id,
                             vendor_id=rec.vendor_id, offering_id=rec.offering_id, created_at=rec.created_at)


def subsidy_out(s: Subsidy) -> SubsidyOut:
    return SubsidyOut(id=s.id, program_id=s.program_id, problem_id=s.problem_id, bid_id=s.bid_id,
                      price_krw=s.price_krw, amount_krw=s.amount_krw, own_share_krw=s.own_share_krw,
                      status=s.status, decided_by_id=s.decided_by_id, decided_at=s.decided_at, reason=s.reason,
                      created_at=s.created_at)


def _data(body: BaseModel) -> dict:
    data = body.model_dump()
    return data


# --- programs ----------------------------------------------------------------------------------

@api.route("/programs", summary="Subsidy programs (open and closed; your agency's drafts too)", tags=("programs",),
           query=PageQuery, response=ProgramList, auth=False)
def list_programs(query: PageQuery):
    return paginate(session(), services.list_programs(session(), viewer=_viewer()), query, program_out)


@api.route("/programs", methods=("POST",), summary="Create a subsidy program (agency officers)", tags=("programs",),
           body=ProgramIn, response=ProgramOut, status=201, errors=(403, 422))
def create_program(body: ProgramIn):
    return program_out(services.create_program(session(), officer=current_user, data=_data(body)))


@api.route("/programs/<int:program_id>", summary="A subsidy program with its budget", tags=("programs",),
           response=ProgramOut, auth=False, errors=(404,))
def get_program(program_id: int):
    return program_out(services.get_program(session(), program_id, viewer=_viewer()))


@api.route("/programs/<int:program_id>/applications", methods=("POST",), summary="Apply one of your problems to "
           "the program; 422 (not eligible) or 409 (window closed) list every failed rule in `reasons`",
           tags=("programs",), body=ApplicationIn, response=ApplicationOut, status=201, errors=(403, 404, 409, 422))
def apply(program_id: int, body: ApplicationIn):
    program = services.get_program(session(), program_id, viewer=current_user)
    problem = session().get(Problem, body.problem_id)
    if problem is None or problem.organisation_id != current_user.organisation_id:
        raise NotFound(_("No such problem."))
    application: Application = services.apply_to_program(session(), user=current_user, program=program,
                                                         problem=problem)
    return ApplicationOut(id=application.id, program_id=application.program_id, problem_id=application.problem_id,
                          status=application.status, created_at=application.created_at)


@api.route("/programs/<int:program_id>/recommendations", methods=("POST",), summary="Recommend vendors to the SME "
           "of a program problem (agency officers)", tags=("brokering",), body=RecommendationIn,
           response=RecommendationList, status=201, errors=(403, 404, 422))
def recommend(program_id: int, body: RecommendationIn):
    program = services.get_program(session(), program_id, viewer=current_user)
    services.require_officer(current_user, program)
    problem = session().get(Problem, body.problem_id)
    if problem is None or problem.program_id != program.id:
        raise NotFound(_("This problem is not part of the program."))
    created = services.recommend_vendors(session(), officer=current_user, program=program, problem=problem,
                                         vendor_ids=body.vendor_ids)
    items = [recommendation_out(r) for r in created]
    return RecommendationList(items=items, total=len(items))


def pair_out(pair: services.BatchPair) -> PairOut:
    lang = current_locale()
    return PairOut(problem_id=pair.problem.id, problem_title=pair.problem.title, region=pair.organisation.region,
                   capital_region=pair.capital, vendor_id=pair.vendor.id, vendor_name=pair.vendor.name(lang),
                   offering_id=pair.offering.id, offering_title=pair.offering.title, score=round(pair.score, 4))


@api.route("/programs/<int:program_id>/batch-match", methods=("POST",), summary="Suggest vendor–problem pairs "
           "across the program within vendor capacities (optionally a minimum non-capital share); with "
           "`publish: true` turn the chosen `pairs` into recommendations", tags=("brokering",), body=BatchIn,
           response=BatchOut, errors=(403, 404, 422))
def batch_match(program_id: int, body: BatchIn):
    program = services.get_program(session(), program_id, viewer=current_user)
    services.require_officer(current_user, program)
    published = []
    if body.publish:
        published = services.publish_matches(session(), officer=current_user, program=program,
                                             pairs=[(p.problem_id, p.vendor_id) for p in body.pairs])
    result = services.batch_match(session(), officer=current_user, program=program,
                                  min_non_capital_share=body.min_non_capital_share)
    return BatchOut(problems=result.problem_count, pairs=[pair_out(p) for p in result.pairs],
                    objective=round(result.objective, 4), greedy_objective=round(result.greedy_objective, 4),
                    improvement=round(result.improvement, 4), non_capital_share=result.non_capital_share,
                    greedy_non_capital_share=result.greedy_non_capital_share,
                    min_non_capital_share=result.min_non_capital_share, min_share_met=result.min_share_met,
                    capacities=result.capacities, unassigned_problem_ids=[p.id for p in result.unassigned],
                    published=[recommendation_out(r) for r in published])


@api.route("/programs/<int:program_id>/dashboard", summary="Budget, regional and industry spread, time to award, "
           "completion rate (agency officers)", tags=("programs",), response=DashboardOut, errors=(403, 404))
def dashboard(program_id: int):
    program = services.get_program(session(), program_id, viewer=current_user)
    services.require_officer(current_user, program)
    return services.program_dashboard(session(), program)


@api.route("/programs/<int:program_id>/export.csv", summary="The program's problems and subsidies as CSV for "
           "Excel (UTF-8 with BOM, CRLF, headers in your language)", tags=("programs",), errors=(403, 404),
           content_type="text/csv")
def export(program_id: int):
    program = services.get_program(session(), program_id, viewer=current_user)
    services.require_officer(current_user, program)
    body = services.export_csv(session(), program)
    filename = f"program-{program.id}-{date.today().isoformat()}.csv"
    return Response(body.encode("utf-8"), headers={
        "Content-Disposition": f'attachment; filename="{filename}"'}, content_type="text/csv; charset=utf-8")


# --- subsidies ---------------------------------------------------------------------------------

@api.route("/subsidies/<int:subsidy_id>", summary="A subsidy (the agency, the SME and the vendor)",
           tags=("subsidies",), response=SubsidyOut, errors=(404,))
def get_subsidy(subsidy_id: int):
    return subsidy_out(services.get_subsidy(session(), subsidy_id, viewer=current_user))


@api.route("/subsidies/<int:subsidy_id>/approve", methods=("POST",), summary="Approve a pending subsidy: reserves it "
           "within the budget; 409 when the budget cannot cover it or it was decided already",
           tags=("subsidies",), response=SubsidyOut, errors=(403, 404, 409))
def approve_subsidy(subsidy_id: int):
    subsidy = services.get_subsidy(session(), subsidy_id, viewer=current_user)
    return subsidy_out(services.approve_subsidy(session(), officer=current_user, subsidy=subsidy))


@api.route("/subsidies/<int:subsidy_id>/reject", methods=("POST",), summary="Reject a pending subsidy with a reason",
           tags=("subsidies",), body=RejectIn, response=SubsidyOut, errors=(403, 404, 409))
def reject_subsidy(subsidy_id: int, body: RejectIn):
    subsidy = services.get_subsidy(session(), subsidy_id, viewer=current_user)
    return subsidy_out(services.reject_subsidy(session(), officer=current_user, subsidy=subsidy, reason=body.reason))
