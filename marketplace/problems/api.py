"""``/api/v1`` endpoints for problems, matches, opportunities, questions and invitations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from flask import url_for
from flask_login import current_user
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from marketplace.accounts.models import Organisation, OrgKind
from marketplace.api.core import Id, PageQuery, api, paginate, session
from marketplace.core.errors import NotAllowed, NotFound
from marketplace.discovery import services as discovery
from marketplace.i18n import format_won
from marketplace.problems import services
from marketplace.problems.models import Problem, Question


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class OrganisationRef(BaseModel):
    id: int
    name_ko: str
    name_en: str
    region: str


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


# --- converters ------------------------------------------------------------------------------

def completeness_out(problem: Problem, kpis) -> CompletenessOut:
    quality = services.completeness(problem, kpis)
    return CompletenessOut(score=quality.score, level=quality.level, hints=[h.message for h in quality.hints])


def org_ref(org: Organisation | None) -> OrganisationRef | None:
    return OrganisationRef(id=org.id, name_ko=org.name_ko, name_en=org.name_en, region=org.region) if org else None


def problem_public(problem: Problem) -> ProblemPublic:
    kpis = services.list_kpis(session(), problem)
    viewer = current_user if current_user.is_authenticated else None
    org = session().get(Organisation, problem.organisation_id) if services.shows_identity(problem, viewer) else None
    return ProblemPublic(
        id=problem.id, state=problem.state, visibility=problem.visibility, revision=problem.revision,
        title=problem.title, description=problem.description, process=problem.process, industry=problem.industry,
        problem_types=problem.problem_types, data_assets=problem.data_assets, systems=problem.systems,
        kpis=[KpiOut(position=k.position, name=k.name, unit=k.unit, baseline=k.baseline, target=k.target,
                     direction=k.direction) for k in kpis],
        on_premises_required=problem.on_premises_required, budget_min_krw=problem.budget_min_krw,
        budget_max_krw=problem.budget_max_krw, wanted_by=problem.wanted_by, weights=problem.weights,
        completeness=completeness_out(problem, kpis), organisation=org_ref(org),
        published_at=problem.published_at, bid_deadline=problem.bid_deadline, created_at=problem.created_at,
        updated_at=problem.updated_at)


def _data(body: ProblemUpdate) -> dict:
    data = body.model_dump(exclude_unset=True)
    if "weights" in data and data["weights"] is None:
        data.pop("weights")
    return data


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


# --- problems --------------------------------------------------------------------------------

@api.route("/problems", summary="Problems: your organisation's, or those published to you", tags=("problems",),
           query=ProblemListQuery, response=ProblemList)
def list_problems(query: ProblemListQuery):
    poster = services.org_kind(session(), current_user) in services.POSTER_KINDS
    scope = query.scope or ("mine" if poster else "open")
    if scope == "mine":
        statement = services.list_own_problems(session(), current_user.organisation_id or -1)
    else:
        statement = services.visible_problems_query(session(), _viewer()).order_by(Problem.published_at.desc())
    return paginate(session(), statement, query, problem_public)


@api.route("/problems", methods=("POST",), summary="Draft a problem", tags=("problems",), body=ProblemCreate,
           response=ProblemPublic, status=201, errors=(403,))
def create_problem(body: ProblemCreate):
    return problem_public(services.create_problem(session(), user=current_user, data=_data(body)))


@api.route("/problems/<int:problem_id>", summary="A problem", tags=("problems",), response=ProblemPublic,
           auth=False, errors=(404,))
def get_problem(problem_id: int):
    return problem_public(services.get_problem(session(), problem_id, viewer=_viewer()))


@api.route("/problems/<int:problem_id>", methods=("PATCH",), summary="Change a problem (drafts; published ones "
           "get a new revision)", tags=("problems",), body=ProblemUpdate, response=ProblemPublic, errors=(404, 409))
def update_problem(problem_id: int, body: ProblemUpdate):
    problem = services.get_own_problem(session(), problem_id, user=current_user)
    return problem_public(services.update_problem(session(), user=current_user, problem=problem, data=_data(body)))


@api.route("/problems/<int:problem_id>/publish", methods=("POST",), summary="Publish a draft (draft → enquiries)",
           tags=("problems",), response=ProblemPublic, errors=(404, 409))
def publish_problem(problem_id: int):
    problem = services.get_own_problem(session(), problem_id, user=current_user)
    return problem_public(services.publish_problem(session(), user=current_user, problem=problem))


@api.route("/problems/<int:problem_id>/open-bidding", methods=("POST",), summary="Open sealed bidding with a "
           "deadline (enquiries → bidding)", tags=("problems",), body=OpenBiddingIn, response=ProblemPublic,
           errors=(404, 409))
def open_bidding(problem_id: int, body: OpenBiddingIn):
    problem = services.get_own_problem(session(), problem_id, user=current_user)
    return problem_public(services.open_bidding(session(), user=current_user, problem=problem,
                                                deadline=body.deadline))


@api.route("/problems/<int:problem_id>/cancel", methods=("POST",), summary="Cancel an open problem",
           tags=("problems",), body=CancelIn, response=ProblemPublic, errors=(404, 409))
def cancel_problem(problem_id: int, body: CancelIn):
    problem = services.get_own_problem(session(), problem_id, user=current_user)
    return problem_public(services.cancel_problem(session(), user=current_user, problem=problem,
                                                  reason=body.reason))


# --- discovery ---------------------------------------------------------------------------------

@api.route("/problems/<int:problem_id>/matches", summary="Offerings ranked for a problem, with contributions and "
           "reasons; weights= for what-if", tags=("discovery",), query=MatchesQuery, response=MatchList,
           errors=(404,))
def problem_matches(problem_id: int, query: MatchesQuery):
    problem = services.get_own_problem(session(), problem_id, user=current_user)
    filters = discovery.build_filters(
        industries=(query.industry,) if query.industry else (), regions=(query.region,) if query.region else (),
        deployment_modes=(query.deployment,) if query.deployment else (), max_price=query.max_price)
    ranked = discovery.rank_offerings_for_problem(session(), problem, weights=discovery.parse_weights(query.weights),
                                                  filters=filters, query=query.q, top=query.top)
    items = [MatchOut(
        offering_id=r.offering.id, title=r.offering.title, vendor_id=r.vendor.id,
        vendor_name=r.vendor.name_en if _lang() == "en" else r.vendor.name_ko,
        price_min_krw=r.offering.price_min_krw, price_max_krw=r.offering.price_max_krw,
        price_text=f"{format_won(r.offering.price_min_krw)} – {format_won(r.offering.price_max_krw)}",
        score=round(r.score, 4), contributions={k: round(v, 4) for k, v in r.contributions.items()},
        reasons=r.reasons, matched_terms=r.matched_terms, invited=r.invited, recommended_by=r.recommended_by,
        url=url_for("offerings.detail", offering_id=r.offering.id)) for r in ranked]
    return MatchList(items=items, total=len(items), page=1)


def _lang() -> str:
    from marketplace.i18n import current_locale

    return current_locale()


@api.route("/opportunities", summary="Open problems ranked for the caller's vendor organisation, with reasons",
           tags=("discovery",), query=OpportunitiesQuery, response=OpportunityList, errors=(403,))
def opportunities(query: OpportunitiesQuery):
    if services.org_kind(session(), current_user) != OrgKind.VENDOR:
        raise NotAllowed(_msg_vendors_only())
    vendor = session().get(Organisation, current_user.organisation_id)
    ranked = discovery.rank_problems_for_vendor(
        session(), user=current_user, vendor=vendor, query=query.q, top=query.top,
        industries=(query.industry,) if query.industry else (), regions=(query.region,) if query.region else ())
    items = [OpportunityOut(
        problem_id=r.problem.id, title=r.problem.title, state=r.problem.state, score=round(r.score, 4),
        contributions={k: round(v, 4) for k, v in r.contributions.items()}, reasons=r.reasons,
        best_offering_id=r.offering.id if r.offering else None,
        completeness=CompletenessOut(score=r.quality.score, level=r.quality.level,
                                     hints=[h.message for h in r.quality.hints]),
        organisation=org_ref(r.organisation)) for r in ranked]
    return OpportunityList(items=items, total=len(items), page=1)


def _msg_vendors_only() -> str:
    from flask_babel import gettext as _

    return _("Only AI vendors have opportunities.")


# --- questions and invitations -------------------------------------------------------------------

def question_out(question: Question) -> QuestionOut:
    mine = bool(current_user.is_authenticated and current_user.organisation_id == question.organisation_id)
    return QuestionOut(id=question.id, body=question.body, answer=question.answer, answered_at=question.answered_at,
                       created_at=question.created_at, mine=mine)


@api.route("/problems/<int:problem_id>/questions", summary="Public questions and answers on a problem",
           tags=("questions",), response=QuestionList, auth=False, errors=(404,))
def list_questions(problem_id: int):
    problem = services.get_problem(session(), problem_id, viewer=_viewer())
    items = [question_out(q) for q in services.list_questions(session(), problem)]
    return QuestionList(items=items, total=len(items), page=1)


@api.route("/problems/<int:problem_id>/questions", methods=("POST",), summary="Ask a public question (vendors)",
           tags=("questions",), body=QuestionIn, response=QuestionOut, status=201, errors=(403, 404, 409))
def ask_question(problem_id: int, body: QuestionIn):
    problem = services.get_problem(session(), problem_id, viewer=current_user)
    return question_out(services.ask_question(session(), user=current_user, problem=problem, body=body.body))


@api.route("/questions/<int:question_id>/answer", methods=("POST",), summary="Answer a question (the SME); every "
           "vendor sees it", tags=("questions",), body=AnswerIn, response=QuestionOut, errors=(404, 409))
def answer_question(question_id: int, body: AnswerIn):
    question = services.get_question(session(), question_id)
    return question_out(services.answer_question(session(), user=current_user, question=question,
                                                 answer=body.answer))


@api.route("/problems/<int:problem_id>/invitations", methods=("POST",), summary="Invite a vendor to bid",
           tags=("problems",), body=InvitationIn, response=InvitationOut, status=201, errors=(404, 409))
def invite_vendor(problem_id: int, body: InvitationIn):
    problem = services.get_own_problem(session(), problem_id, user=current_user)
    vendor = session().get(Organisation, body.vendor_id)
    if vendor is None:
        raise NotFound(_msg_no_vendor())
    created = services.invite_vendor(session(), user=current_user, problem=problem, vendor=vendor)
    return InvitationOut(problem_id=problem.id, vendor_id=vendor.id, created=created)


def _msg_no_vendor() -> str:
    from flask_babel import gettext as _

    return _("No such organisation.")
