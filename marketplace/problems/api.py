"""``/api/v1`` operations for problems, questions and invitations."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Organisation
from marketplace.api import PUBLIC, AreaBlueprint, paginate, session
from marketplace.core.errors import NotFound
from marketplace.pages import services as work
from marketplace.problems import services
from marketplace.i18n import current_locale, problem_field_labels
from marketplace.problems.amendment_schemas import (
    AmendmentIn,
    AmendmentList,
    AmendmentOut,
    AmendedFieldOut,
    ExtendDeadlineIn,
    ShareList,
    ShareOut,
)
from marketplace.problems.models import Problem, ProblemAmendment, Question
from marketplace.problems.schemas import (
    AnswerIn,
    CancelIn,
    CompletenessOut,
    HideQuestionIn,
    InvitationIn,
    InvitationOut,
    JointSharesIn,
    KpiOut,
    OpenBiddingIn,
    OrganisationRef,
    ProblemCreate,
    ProblemList,
    ProblemListQuery,
    ProblemPath,
    ProblemPublic,
    ProblemUpdate,
    QuestionIn,
    QuestionList,
    QuestionOut,
    QuestionPath,
)

bp = AreaBlueprint("problems", __name__, description="SMEs' problems, their public questions and invitations")


# --- converters ------------------------------------------------------------------------------

def problem_public(problem: Problem) -> ProblemPublic:
    kpis = services.list_kpis(session(), problem)
    org = session().get(Organisation, problem.organisation_id) if services.shows_identity(problem, _viewer()) else None
    return ProblemPublic(
        id=problem.id, state=problem.state, visibility=problem.visibility, revision=problem.revision,
        title=problem.title, description=problem.description, process=problem.process,
        industry=services.public_industry(problem, _viewer()),
        problem_types=problem.problem_types, data_assets=problem.data_assets, systems=problem.systems,
        kpis=[KpiOut(position=k.position, name=k.name, unit=k.unit, baseline=k.baseline, target=k.target,
                     direction=k.direction, metric=k.metric, measured_on=k.measured_on, period=k.period)
              for k in kpis],
        on_premises_required=problem.on_premises_required, budget_min_krw=problem.budget_min_krw,
        budget_max_krw=problem.budget_max_krw, wanted_by=problem.wanted_by, weights=problem.weights,
        tco_horizon_years=problem.tco_horizon_years, opening_shows_names=problem.opening_shows_names,
        completeness=CompletenessOut.of(services.completeness(problem, kpis)), organisation=OrganisationRef.of(org),
        published_at=problem.published_at, bid_deadline=problem.bid_deadline, created_at=problem.created_at,
        updated_at=problem.updated_at)


def question_out(question: Question) -> QuestionOut:
    mine = bool(current_user.is_authenticated and current_user.organisation_id == question.organisation_id)
    return QuestionOut(id=question.id, body=question.body, answer=question.answer, answered_at=question.answered_at,
                       created_at=question.created_at, mine=mine, hidden=question.hidden_at is not None,
                       hidden_reason=question.hidden_reason)


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


# --- problems --------------------------------------------------------------------------------

@bp.get("/problems", summary="Problems: your organisation's, or those published to you",
        responses={200: ProblemList})
def list_problems(query: ProblemListQuery):
    poster = services.org_kind(session(), current_user) in services.POSTER_KINDS
    scope = query.scope or ("mine" if poster else "open")
    if scope == "mine":
        org_id = current_user.organisation_id or -1
        labels = work.next_step_labels()

        def mine(problem: Problem) -> ProblemPublic:
            item = work.problem_item(session(), problem, org_id)
            return problem_public(problem).model_copy(update={"next_step": item.next_step,
                                                              "next_step_label": labels[item.next_step]})

        return paginate(session(), work.my_problems_query(org_id), query, mine)
    else:
        statement = services.visible_problems_query(session(), _viewer()).order_by(Problem.published_at.desc())
    return paginate(session(), statement, query, problem_public)


@bp.post("/problems", summary="Draft a problem", responses={201: ProblemPublic})
def create_problem(body: ProblemCreate):
    return problem_public(services.create_problem(session(), user=current_user, draft=body))


@bp.get("/problems/<int:problem_id>", summary="A problem", security=PUBLIC, responses={200: ProblemPublic})
def get_problem(path: ProblemPath):
    return problem_public(services.get_problem(session(), path.problem_id, viewer=_viewer()))


@bp.patch("/problems/<int:problem_id>", summary="Change a problem (drafts; published ones get a new revision)",
          responses={200: ProblemPublic})
def update_problem(path: ProblemPath, body: ProblemUpdate):
    problem = services.get_own_problem(session(), path.problem_id, user=current_user)
    return problem_public(services.update_problem(session(), user=current_user, problem=problem, changes=body))


@bp.post("/problems/<int:problem_id>/publish", summary="Publish a draft (draft → enquiries)",
         responses={200: ProblemPublic})
def publish_problem(path: ProblemPath):
    problem = services.get_own_problem(session(), path.problem_id, user=current_user)
    return problem_public(services.publish_problem(session(), user=current_user, problem=problem))


@bp.post("/problems/<int:problem_id>/open-bidding", summary="Open sealed bidding with a deadline "
         "(enquiries → bidding)", responses={200: ProblemPublic})
def open_bidding(path: ProblemPath, body: OpenBiddingIn):
    problem = services.get_own_problem(session(), path.problem_id, user=current_user)
    return problem_public(services.open_bidding(session(), user=current_user, problem=problem,
                                                deadline=body.deadline, amendment_min_days=body.amendment_min_days))


@bp.post("/problems/<int:problem_id>/cancel", summary="Cancel an open problem", responses={200: ProblemPublic})
def cancel_problem(path: ProblemPath, body: CancelIn):
    problem = services.get_own_problem(session(), path.problem_id, user=current_user)
    return problem_public(services.cancel_problem(session(), user=current_user, problem=problem,
                                                  reason=body.reason))


# --- amendments (정정공고) ---------------------------------------------------------------------

def amendment_out(amendment: ProblemAmendment) -> AmendmentOut:
    labels = problem_field_labels()
    return AmendmentOut(
        id=amendment.id, problem_id=amendment.problem_id, number=amendment.number, revision=amendment.revision,
        changes=[AmendedFieldOut(field=c["field"], label=labels.get(c["field"], c["field"]), old=c["old"], new=c["new"])
                 for c in amendment.changes],
        reconfirm=amendment.reconfirm, deadline_before=amendment.deadline_before,
        deadline_after=amendment.deadline_after, note=amendment.note, created_at=amendment.created_at)


@bp.get("/problems/<int:problem_id>/amendments", summary="Amendments (정정공고) of a problem: what changed, old → "
        "new, and the deadline they moved", security=PUBLIC, responses={200: AmendmentList})
def list_amendments(path: ProblemPath):
    problem = services.get_problem(session(), path.problem_id, viewer=_viewer())
    items = [amendment_out(a) for a in services.list_amendments(session(), problem)]
    return AmendmentList(items=items, total=len(items), page=1)


@bp.post("/problems/<int:problem_id>/amendments", summary="Publish an amendment while bidding is open (the SME): "
         "bids re-confirm only when a priced field changed; the deadline moves out to leave the minimum days",
         responses={201: AmendmentOut})
def amend_problem(path: ProblemPath, body: AmendmentIn):
    problem = services.get_own_problem(session(), path.problem_id, user=current_user)
    return amendment_out(services.amend_problem(session(), user=current_user, problem=problem, changes=body,
                                                note=body.note))


@bp.post("/problems/<int:problem_id>/extend-deadline", summary="Move the bid deadline later while bidding is open "
         "(never earlier); published as an amendment", responses={200: AmendmentOut})
def extend_deadline(path: ProblemPath, body: ExtendDeadlineIn):
    problem = services.get_own_problem(session(), path.problem_id, user=current_user)
    return amendment_out(services.extend_deadline(session(), user=current_user, problem=problem,
                                                  deadline=body.deadline))


# --- a cooperative's joint problem: the cost split ---------------------------------------------

def share_list(parties) -> ShareList:
    lang = current_locale()
    items = [ShareOut(member_id=p.organisation.id, name=p.organisation.name(lang),
                      share_percent=format(p.share_percent, "f")) for p in parties]
    return ShareList(items=items, total=len(items), page=1)


@bp.get("/problems/<int:problem_id>/shares", summary="A joint problem's split of the SME cost among the "
        "cooperative's member SMEs (even until the cooperative sets it)", responses={200: ShareList})
def list_shares(path: ProblemPath):
    problem = services.get_problem(session(), path.problem_id, viewer=current_user)
    return share_list(services.visible_joint_parties(session(), problem, viewer=current_user))


@bp.post("/problems/<int:problem_id>/shares", summary="Set the split (the cooperative): every member once, "
         "shares adding up to 100", responses={200: ShareList})
def set_shares(path: ProblemPath, body: JointSharesIn):
    problem = services.get_own_problem(session(), path.problem_id, user=current_user)
    return share_list(services.set_joint_shares(session(), user=current_user, problem=problem, shares=body.shares))


# --- questions and invitations -------------------------------------------------------------------

@bp.get("/problems/<int:problem_id>/questions", summary="Public questions and answers on a problem",
        security=PUBLIC, responses={200: QuestionList})
def list_questions(path: ProblemPath):
    problem = services.get_problem(session(), path.problem_id, viewer=_viewer())
    items = [question_out(q) for q in services.list_questions(session(), problem, viewer=_viewer())]
    return QuestionList(items=items, total=len(items), page=1)


@bp.post("/problems/<int:problem_id>/questions", summary="Ask a public question (vendors)",
         responses={201: QuestionOut})
def ask_question(path: ProblemPath, body: QuestionIn):
    problem = services.get_problem(session(), path.problem_id, viewer=current_user)
    return question_out(services.ask_question(session(), user=current_user, problem=problem, body=body.body))


@bp.post("/questions/<int:question_id>/answer", summary="Answer a question (the SME); every vendor sees it",
         responses={200: QuestionOut})
def answer_question(path: QuestionPath, body: AnswerIn):
    question = services.get_question(session(), path.question_id)
    return question_out(services.answer_question(session(), user=current_user, question=question,
                                                 answer=body.answer))


@bp.post("/questions/<int:question_id>/hide", summary="Hide an abusive question with a reason (the SME); vendors no "
         "longer see it, the reason is kept in the audit log", responses={200: QuestionOut})
def hide_question(path: QuestionPath, body: HideQuestionIn):
    question = services.get_question(session(), path.question_id)
    return question_out(services.hide_question(session(), user=current_user, question=question, reason=body.reason))


@bp.post("/problems/<int:problem_id>/invitations", summary="Invite a vendor to bid", responses={201: InvitationOut})
def invite_vendor(path: ProblemPath, body: InvitationIn):
    problem = services.get_own_problem(session(), path.problem_id, user=current_user)
    vendor = session().get(Organisation, body.vendor_id)
    if vendor is None:
        raise NotFound(_("No such organisation."))
    created = services.invite_vendor(session(), user=current_user, problem=problem, vendor=vendor)
    return InvitationOut(problem_id=problem.id, vendor_id=vendor.id, created=created)
