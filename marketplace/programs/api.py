"""``/api/v1`` operations for programs, applications, brokering, batch matching, subsidies, the dashboard
and the CSV export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Response
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Organisation
from marketplace.api import PUBLIC, AreaBlueprint, paginate, session
from marketplace.core.errors import NotFound
from marketplace.core.schemas import PageQuery
from marketplace.i18n import current_locale
from marketplace.problems.models import Problem
from marketplace.programs import services
from marketplace.programs.models import Application, Program, Recommendation, Subsidy
from marketplace.programs.schemas import (
    ApplicationCreate,
    ApplicationOut,
    BatchMatch,
    BatchOut,
    BudgetOut,
    DashboardOut,
    PairOut,
    ProgramCreate,
    ProgramList,
    ProgramOut,
    ProgramPath,
    RecommendationCreate,
    RecommendationList,
    RecommendationOut,
    SubsidyOut,
    SubsidyPath,
    SubsidyReject,
)

bp = AreaBlueprint("programs", __name__, description="Agencies' subsidy programs: applications, brokering, "
                   "batch matching, subsidies, the dashboard")

CSV = {"description": "CSV for Excel", "content": {"text/csv": {}}}


# --- converters --------------------------------------------------------------------------------

def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _ratio(value) -> Decimal:
    """Ratios always with four places, whichever database stored them."""
    return Decimal(value).quantize(Decimal("0.0001"))


def program_out(program: Program) -> ProgramOut:
    agency = session().get(Organisation, program.agency_id)
    return ProgramOut(
        id=program.id, agency_id=program.agency_id, agency_name=agency.name(current_locale()),
        status=program.status, name_ko=program.name_ko, name_en=program.name_en,
        description_ko=program.description_ko, description_en=program.description_en,
        total_budget_krw=program.total_budget_krw, subsidy_ratio=_ratio(program.subsidy_ratio),
        cap_per_project_krw=program.cap_per_project_krw, min_own_share_ratio=_ratio(program.min_own_share_ratio),
        max_employees=program.max_employees, max_revenue_krw=program.max_revenue_krw, regions=program.regions,
        industries=program.industries, problem_types=program.problem_types,
        exclude_previously_subsidised=program.exclude_previously_subsidised,
        accepts_open_problems=program.accepts_open_problems, opens_on=program.opens_on,
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


def pair_out(pair: services.BatchPair) -> PairOut:
    lang = current_locale()
    return PairOut(problem_id=pair.problem.id, problem_title=pair.problem.title, region=pair.organisation.region,
                   capital_region=pair.capital, vendor_id=pair.vendor.id, vendor_name=pair.vendor.name(lang),
                   offering_id=pair.offering.id, offering_title=pair.offering.title, score=round(pair.score, 4))


# --- programs ----------------------------------------------------------------------------------

@bp.get("/programs", summary="Subsidy programs (open and closed; your agency's drafts too)", security=PUBLIC,
        responses={200: ProgramList})
def list_programs(query: PageQuery):
    return paginate(session(), services.list_programs(session(), viewer=_viewer()), query, program_out)


@bp.post("/programs", summary="Create a subsidy program (agency officers)", responses={201: ProgramOut})
def create_program(body: ProgramCreate):
    return program_out(services.create_program(session(), officer=current_user, data=body))


@bp.get("/programs/<int:program_id>", summary="A subsidy program with its budget", security=PUBLIC,
        responses={200: ProgramOut})
def get_program(path: ProgramPath):
    return program_out(services.get_program(session(), path.program_id, viewer=_viewer()))


@bp.post("/programs/<int:program_id>/applications", summary="Apply one of your problems to the program; 422 (not "
         "eligible) or 409 (window closed) list every failed rule in `reasons`", responses={201: ApplicationOut})
def apply(path: ProgramPath, body: ApplicationCreate):
    program = services.get_program(session(), path.program_id, viewer=current_user)
    problem = session().get(Problem, body.problem_id)
    if problem is None or problem.organisation_id != current_user.organisation_id:
        raise NotFound(_("No such problem."))
    application: Application = services.apply_to_program(session(), user=current_user, program=program,
                                                         problem=problem)
    return ApplicationOut(id=application.id, program_id=application.program_id, problem_id=application.problem_id,
                          status=application.status, created_at=application.created_at)


@bp.post("/programs/<int:program_id>/recommendations", summary="Recommend vendors to the SME of a program problem "
         "(agency officers)", responses={201: RecommendationList})
def recommend(path: ProgramPath, body: RecommendationCreate):
    program = services.get_program(session(), path.program_id, viewer=current_user)
    services.require_officer(session(), current_user, program)
    problem = session().get(Problem, body.problem_id)
    if problem is None or problem.program_id != program.id:
        raise NotFound(_("This problem is not part of the program."))
    created = services.recommend_vendors(session(), officer=current_user, program=program, problem=problem,
                                         vendor_ids=body.vendor_ids)
    items = [recommendation_out(r) for r in created]
    return RecommendationList(items=items, total=len(items))


@bp.post("/programs/<int:program_id>/batch-match", summary="Suggest vendor–problem pairs across the program within "
         "vendor capacities (optionally a minimum non-capital share); with `publish: true` turn the chosen `pairs` "
         "into recommendations", responses={200: BatchOut})
def batch_match(path: ProgramPath, body: BatchMatch):
    program = services.get_program(session(), path.program_id, viewer=current_user)
    services.require_officer(session(), current_user, program)
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


@bp.get("/programs/<int:program_id>/dashboard", summary="Budget, regional and industry spread, time to award, "
        "completion rate (agency officers)", responses={200: DashboardOut})
def dashboard(path: ProgramPath):
    program = services.get_program(session(), path.program_id, viewer=current_user)
    services.require_officer(session(), current_user, program)
    return services.program_dashboard(session(), program)


@bp.get("/programs/<int:program_id>/export.csv", summary="The program's problems and subsidies as CSV for Excel "
        "(UTF-8 with BOM, CRLF, headers in your language)", responses={200: CSV})
def export(path: ProgramPath):
    program = services.get_program(session(), path.program_id, viewer=current_user)
    services.require_officer(session(), current_user, program)
    body = services.export_csv(session(), program)
    filename = f"program-{program.id}-{date.today().isoformat()}.csv"
    return Response(body.encode("utf-8"), headers={
        "Content-Disposition": f'attachment; filename="{filename}"'}, content_type="text/csv; charset=utf-8")


# --- subsidies ---------------------------------------------------------------------------------

@bp.get("/subsidies/<int:subsidy_id>", summary="A subsidy (the agency, the SME and the vendor)",
        responses={200: SubsidyOut})
def get_subsidy(path: SubsidyPath):
    return subsidy_out(services.get_subsidy(session(), path.subsidy_id, viewer=current_user))


@bp.post("/subsidies/<int:subsidy_id>/approve", summary="Approve a pending subsidy: reserves it within the budget; "
         "409 when the budget cannot cover it or it was decided already", responses={200: SubsidyOut})
def approve_subsidy(path: SubsidyPath):
    subsidy = services.get_subsidy(session(), path.subsidy_id, viewer=current_user)
    return subsidy_out(services.approve_subsidy(session(), officer=current_user, subsidy=subsidy))


@bp.post("/subsidies/<int:subsidy_id>/reject", summary="Reject a pending subsidy with a reason",
         responses={200: SubsidyOut})
def reject_subsidy(path: SubsidyPath, body: SubsidyReject):
    subsidy = services.get_subsidy(session(), path.subsidy_id, viewer=current_user)
    return subsidy_out(services.reject_subsidy(session(), officer=current_user, subsidy=subsidy, reason=body.reason))
