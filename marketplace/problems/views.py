"""Pages: my problems, the problem page, its bidding actions, Q&A and invitations (the wizard: wizard.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from domain.criteria import WEIGHT_MAX, WEIGHT_MIN, WEIGHTS_TOTAL
from marketplace.accounts.models import Organisation, OrgKind
from marketplace.agreements import services as agreements
from marketplace.bids import services as bids
from marketplace.core.errors import RECOVERABLE
from marketplace.core.forms import attach_errors
from marketplace.core.redirects import safe_next
from marketplace.core.routing import row_id
from marketplace.core.views import act
from marketplace.extensions import db
from marketplace.i18n import criterion_labels, current_locale, problem_field_labels
from marketplace.problems import amendment_text, forms, messages, services
from marketplace.problems.models import DEFAULT_WEIGHTS, Problem

bp = Blueprint("problems", __name__)
KST = ZoneInfo("Asia/Seoul")


def _viewer_kind():
    return services.org_kind(db.session, current_user) if current_user.is_authenticated else None


def _require_poster():
    if _viewer_kind() not in services.POSTER_KINDS:
        abort(403)


@bp.get("/problems")
@login_required
def mine():
    _require_poster()
    rows = db.session.exec(services.list_own_problems(db.session, current_user.organisation_id)).all()
    quality = {p.id: services.completeness(p, services.list_kpis(db.session, p)) for p in rows}
    # a member SME of a cooperative is a party of the agreements of its joint problems, and signs them
    joint = agreements.list_member_agreements(db.session, current_user.organisation_id)
    return render_template("problems/mine.html", problems=rows, quality=quality, joint_agreements=joint,
                           agreement_status=agreements.status_labels(several=True))


@bp.get("/problems/<int:problem_id>")
def show(problem_id: int):
    viewer = current_user if current_user.is_authenticated else None
    problem = services.get_problem(db.session, problem_id, viewer=viewer)
    return _show(problem)


def _show(problem: Problem, *, bidding_form=None, status: int = 200):
    """The problem page; ``bidding_form`` keeps what the SME typed for the deadline, with its error."""
    viewer = current_user if current_user.is_authenticated else None
    bids.close_bidding_if_due(db.session, problem)
    kpis = services.list_kpis(db.session, problem)
    owner = services.is_member(viewer, problem.organisation_id)
    organisation = db.session.get(Organisation, problem.organisation_id)
    is_vendor = _viewer_kind() == OrgKind.VENDOR
    return render_template(
        "problems/show.html", problem=problem, kpis=kpis, owner=owner, is_vendor=is_vendor,
        organisation=organisation if services.shows_identity(problem, viewer) else None,
        industry=services.public_industry(problem, viewer),
        quality=services.completeness(problem, kpis), questions=services.list_questions(db.session, problem, viewer=viewer),
        labels=criterion_labels(), question_form=forms.QuestionForm(), answer_form=forms.AnswerForm(),
        bidding_form=bidding_form or forms.OpenBiddingForm(formdata=None), cancel_form=forms.CancelForm(),
        missing=services.missing_for_publication(problem, kpis) if owner else {},
        amendments=services.list_amendments(db.session, problem), field_labels=problem_field_labels(),
        joint=services.joint_parties(db.session, problem) if owner or services.is_joint_member(
            db.session, problem, getattr(viewer, "organisation_id", None)) else [],
    ), status


@bp.post("/problems/<int:problem_id>/publish")
@login_required
def publish(problem_id: int):
    problem = services.get_own_problem(db.session, problem_id, user=current_user)
    return act(lambda: services.publish_problem(db.session, user=current_user, problem=problem),
               done=_("Published. Vendors can now read the brief and ask questions."),
               target=url_for("problems.show", problem_id=problem.id),
               back=url_for("problems.edit", problem_id=problem.id, step=7))


@bp.post("/problems/<int:problem_id>/open-bidding")
@login_required
def open_bidding(problem_id: int):
    problem = services.get_own_problem(db.session, problem_id, user=current_user)
    form = forms.OpenBiddingForm()
    if not form.validate():
        form.deadline.errors = [_("Give the bid deadline as a date and time.")]
        return _show(problem, bidding_form=form, status=422)
    deadline = form.deadline.data.replace(tzinfo=KST)
    days = (form.amendment_min_days.data or "").strip() or None
    try:
        services.open_bidding(db.session, user=current_user, problem=problem, deadline=deadline,
                              amendment_min_days=days)
    except RECOVERABLE as exc:
        attach_errors(form, exc)
        return _show(problem, bidding_form=form, status=422)
    flash(_("Bidding is open. Bids stay sealed until the deadline."), "success")
    return redirect(url_for("problems.show", problem_id=problem.id))


@bp.post("/problems/<int:problem_id>/extend-deadline")
@login_required
def extend_deadline(problem_id: int):
    problem = services.get_own_problem(db.session, problem_id, user=current_user)
    form = forms.OpenBiddingForm()
    if not form.validate():
        flash(_("Give the bid deadline as a date and time."), "danger")
        return redirect(url_for("problems.show", problem_id=problem.id)), 303
    deadline = form.deadline.data.replace(tzinfo=KST)
    return act(lambda: services.extend_deadline(db.session, user=current_user, problem=problem, deadline=deadline),
               done=_("The deadline is extended; vendors with a bid are told."),
               target=url_for("problems.show", problem_id=problem.id, _anchor="amendments"))


@bp.post("/problems/<int:problem_id>/shares")
@login_required
def set_shares(problem_id: int):
    problem = services.get_own_problem(db.session, problem_id, user=current_user)
    shares = {int(key.removeprefix("share-")): value.strip() for key, value in request.form.items()
              if key.startswith("share-") and key.removeprefix("share-").isdigit()}
    target = url_for("problems.show", problem_id=problem.id, _anchor="shares")
    try:
        services.set_joint_shares(db.session, user=current_user, problem=problem, shares=shares)
    except RECOVERABLE as exc:
        for message in dict.fromkeys((exc.fields or {}).values() or [exc.message]):
            flash(message, "danger")
        return redirect(target), 303
    flash(_("The cost split is saved."), "success")
    return redirect(target)


@bp.post("/problems/<int:problem_id>/cancel")
@login_required
def cancel(problem_id: int):
    problem = services.get_own_problem(db.session, problem_id, user=current_user)
    form = forms.CancelForm()
    return act(lambda: services.cancel_problem(db.session, user=current_user, problem=problem,
                                               reason=form.reason.data or ""),
               done=_("The problem is cancelled."), category="info",
               target=url_for("problems.show", problem_id=problem.id))


@bp.post("/problems/<int:problem_id>/reveal")
@login_required
def reveal(problem_id: int):
    problem = services.get_own_problem(db.session, problem_id, user=current_user)
    services.reveal_identity(db.session, user=current_user, problem=problem)
    flash(_("Vendors can now see your company name."), "info")
    return redirect(url_for("problems.show", problem_id=problem.id))


@bp.post("/problems/<int:problem_id>/questions")
@login_required
def ask(problem_id: int):
    problem = services.get_problem(db.session, problem_id, viewer=current_user)
    form = forms.QuestionForm()
    return act(lambda: services.ask_question(db.session, user=current_user, problem=problem,
                                             body=form.body.data or ""),
               done=_("Your question is posted. Every vendor will see the answer."),
               target=url_for("problems.show", problem_id=problem.id, _anchor="questions"))


@bp.post("/questions/<int:question_id>/answer")
@login_required
def answer(question_id: int):
    question = services.get_question(db.session, question_id)
    form = forms.AnswerForm()
    return act(lambda: services.answer_question(db.session, user=current_user, question=question,
                                                answer=form.answer.data or ""),
               done=_("Answer published to every vendor."),
               target=url_for("problems.show", problem_id=question.problem_id, _anchor="questions"))


@bp.post("/questions/<int:question_id>/hide")
@login_required
def hide(question_id: int):
    question = services.get_question(db.session, question_id)
    return act(lambda: services.hide_question(db.session, user=current_user, question=question,
                                              reason=request.form.get("reason", "")),
               done=_("The question is hidden from vendors."), category="info",
               target=url_for("problems.show", problem_id=question.problem_id, _anchor="questions"))


@bp.post("/problems/<int:problem_id>/invitations")
@login_required
def invite(problem_id: int):
    problem = services.get_own_problem(db.session, problem_id, user=current_user)
    vendor = db.session.get(Organisation, row_id(request.form.get("vendor_id")) or 0)
    if vendor is None:
        abort(404)
    try:
        created = services.invite_vendor(db.session, user=current_user, problem=problem, vendor=vendor)
    except RECOVERABLE as exc:
        flash(exc.message, "danger")
        return redirect(url_for("discovery.discover", problem_id=problem.id)), 303
    name = vendor.name(current_locale())
    flash(_("%(vendor)s is invited to bid.", vendor=name) if created else
          _("%(vendor)s was already invited.", vendor=name), "success")
    return redirect(safe_next(request.form.get("next"), url_for("discovery.discover", problem_id=problem.id)))


@bp.app_template_global()
def amended_value(field: str, value) -> str:
    return amendment_text.describe(field, value)


@bp.app_template_global()
def default_weights():
    return DEFAULT_WEIGHTS


@bp.app_template_global()
def weights_rule() -> dict[str, int]:
    """The weights' bounds and total (:mod:`domain.criteria`), for the sliders and weights.js."""
    return {"min": WEIGHT_MIN, "max": WEIGHT_MAX, "total": WEIGHTS_TOTAL}


@bp.app_template_global()
def completeness_label(quality: services.Completeness) -> str:
    return messages.level(quality)


@bp.app_template_global()
def hint_message(hint: services.Hint) -> str:
    return messages.hint(hint)


@bp.app_template_filter("kst")
def to_kst(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(KST).strftime("%Y-%m-%d %H:%M")


# The wizard's routes (new, edit) live in wizard.py, on this blueprint.
from marketplace.problems import wizard  # noqa: E402,F401
