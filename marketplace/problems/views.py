"""Pages: my problems, the step-by-step wizard, the problem page, Q&A and invitations."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from domain.criteria import CRITERIA, WEIGHT_MAX, WEIGHT_MIN, WEIGHTS_TOTAL
from domain.labels import data_kind_label
from marketplace.accounts.models import Organisation, OrgKind
from marketplace.agreements import services as agreements
from marketplace.bids import services as bids
from marketplace.programs import services as programs
from marketplace.core.errors import RECOVERABLE
from marketplace.core.forms import attach_errors, parse_form
from marketplace.core.redirects import safe_next
from marketplace.core.routing import row_id
from marketplace.core.views import act
from marketplace.extensions import db
from marketplace.i18n import criterion_labels, current_locale, problem_field_labels
from marketplace.problems import amendment_text, forms, measurement, messages, schemas, services
from marketplace.problems.keywords import interpret_keywords
from marketplace.problems.models import DEFAULT_WEIGHTS, Problem, ProblemState

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


@bp.route("/problems/new", methods=["GET", "POST"])
@login_required
def new():
    _require_poster()
    form = forms.TemplateForm()
    if form.validate_on_submit():
        key = form.template.data
        if key:
            problem = services.create_from_template(db.session, user=current_user, key=key)
            flash(_("We started your draft from the example. Change everything that differs for you."), "info")
        else:
            problem = services.create_problem(db.session, user=current_user,
                                              draft=schemas.ProblemCreate(title=_("Untitled problem")))
        return redirect(url_for("problems.edit", problem_id=problem.id, step=1))
    return render_template("problems/new.html", form=form, templates=services.problem_templates())


def _wizard_form(step: int, problem: Problem, kpis, *, submitted: bool):
    """The step's form, filled from the request when submitted, else from the problem."""
    formdata = None if not submitted else request.form
    if step == 1:
        form = forms.BasicsForm(formdata=formdata, obj=None if submitted else problem,
                                data=None if submitted else {"work_process": problem.process})
    elif step == 2:
        rows = [{"name": k.name, "unit": k.unit, "baseline": _plain(k.baseline), "target": _plain(k.target),
                 "direction": k.direction, "metric": k.metric, "measured_on": k.measured_on, "period": k.period}
                for k in kpis]
        rows += [{} for _ in range(len(rows), forms.KpisForm.kpis.kwargs.get("min_entries", 4))]
        for position, row in enumerate(rows):  # how each KPI is measured: the problem type's default until said
            if not row.get("metric"):
                default = measurement.default_measurement(problem.problem_types, position, current_locale())
                row.update(metric=default.metric, measured_on=default.measured_on, period=default.period)
        form = forms.KpisForm(formdata=formdata, data=None if submitted else {"kpis": rows})
    elif step == 3:
        known = {c.value for c in forms.system_choices()}
        assets = [{**a, "kind": data_kind_label(a.get("kind"), current_locale())} for a in problem.data_assets]
        data = {"data_assets": assets, "systems": [s for s in problem.systems if s in known],
                "other_systems": ", ".join(s for s in problem.systems if s not in known)}
        form = forms.DataForm(formdata=formdata, data=None if submitted else data)
    elif step == 4:
        form = forms.ConstraintsForm(formdata=formdata, obj=None if submitted else problem)
    elif step == 5:
        form = forms.WeightsForm(formdata=formdata, data=None if submitted else problem.weights)
    elif step == 6:
        form = forms.VisibilityForm(formdata=formdata, data=None if submitted else {"visibility": problem.visibility})
    else:
        form = forms.TemplateForm(formdata=formdata)
    return form


def _plain(value) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def _filled(rows: list[dict], keys: tuple[str, ...]) -> tuple[list[dict], list[int]]:
    """The rows with something in them (blank rows of the form are not KPIs or data sets), and their places."""
    kept = [(i, row) for i, row in enumerate(rows) if any(row.get(k) for k in keys)]
    return [row for _i, row in kept], [i for i, _row in kept]


def _step_data(step: int, form) -> tuple[dict, dict[str, list[int]], list[str]]:
    """What the step's form says, in the shape of the step's contract; where each list's rows sit on the
    form; and notes for the SME (how free words were read)."""
    if step == 1:
        types, readings = interpret_keywords(form.problem_types.data or [], form.keywords.data or "")
        notes = [messages.reading(r, lang=current_locale()) for r in readings]
        return {"title": form.title.data, "description": form.description.data, "process": form.work_process.data,
                "industry": form.industry.data, "problem_types": types}, {}, notes
    if step == 2:
        rows, places = _filled(form.kpis.data, ("name", "baseline", "target"))
        return {"kpis": rows}, {"kpis": places}, []
    if step == 3:
        assets, places = _filled(form.data_assets.data, ("kind", "description", "volume"))
        systems = list(form.systems.data or []) + [s.strip() for s in (form.other_systems.data or "").split(",")
                                                   if s.strip()]
        return {"data_assets": assets, "systems": systems}, {"data_assets": places}, []
    if step == 4:
        return {"on_premises_required": form.on_premises_required.data, "budget_min_krw": form.budget_min_krw.data,
                "budget_max_krw": form.budget_max_krw.data, "wanted_by": form.wanted_by.data}, {}, []
    if step == 5:
        return {"weights": {c: getattr(form, c).data for c in CRITERIA}}, {}, []
    return {"visibility": form.visibility.data}, {}, []


def _form_name(places: dict[str, list[int]]):
    """A contract's field name → the wizard form's: ``kpis.0.target`` → the first *filled* row's target,
    ``weights.cost`` → the cost slider, ``weights`` → next to the total, ``process`` → ``work_process``."""
    def rename(name: str) -> str:
        parts = name.split(".")
        if parts[0] in places and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(places[parts[0]]):
            parts[1] = str(places[parts[0]][int(parts[1])])
        elif parts[0] == "weights":
            parts = parts[1:] or ["total"]
        elif parts[0] == "systems" and len(parts) > 1:
            parts = ["other_systems"]  # the checkboxes are known codes: a refused name was typed
        elif parts == ["process"]:
            parts = ["work_process"]
        return ".".join(parts)
    return rename


@bp.route("/problems/<int:problem_id>/edit/<int:step>", methods=["GET", "POST"])
@login_required
def edit(problem_id: int, step: int):
    problem = services.get_own_problem(db.session, problem_id, user=current_user)
    if step not in forms.STEPS:
        abort(404)
    if problem.state not in services.EDITABLE_STATES:
        flash(_("A problem can no longer be edited once bidding has closed."), "warning")
        return redirect(url_for("problems.show", problem_id=problem.id))
    kpis = services.list_kpis(db.session, problem)
    submitted = request.method == "POST"
    form = _wizard_form(step, problem, kpis, submitted=submitted)
    status = 200
    if submitted and step in schemas.WIZARD_STEPS:
        if form.validate():  # the CSRF token (and the page-only keywords); the contract checks the rest
            data, places, notes = _step_data(step, form)
            try:
                changes = parse_form(schemas.WIZARD_STEPS[step], data).as_update()
                revision = problem.revision
                services.update_problem(db.session, user=current_user, problem=problem, changes=changes,
                                        step=step + 1)
            except RECOVERABLE as exc:
                attach_errors(form, exc, _form_name(places))
            else:
                for note in notes:
                    flash(note, "info")
                if problem.state != ProblemState.DRAFT:
                    flash(_saved_message(problem, revision), "warning" if problem.revision != revision else "info")
                target = step + 1 if request.form.get("action") != "stay" else step
                return redirect(url_for("problems.edit", problem_id=problem.id, step=target))
        status = 422
    context = {}
    if step == 5:
        context["labels"] = criterion_labels()
        context["total"] = sum(_whole(getattr(form, c).data) for c in CRITERIA)
    if step == 7:
        context["missing"] = services.missing_for_publication(problem, kpis)
        context["bidding_form"] = forms.OpenBiddingForm()
        context["programs"] = programs.programs_for_problem(db.session, problem)
    return render_template("problems/wizard.html", form=form, problem=problem, step=step,
                           steps=forms.step_titles(), kpis=kpis,
                           quality=services.completeness(problem, kpis), **context), status


def _saved_message(problem: Problem, revision: int) -> str:
    """What a save of a published problem did: nothing, a new revision, or an amendment during bidding."""
    if problem.revision == revision:
        return _("Nothing changed.")
    if problem.state != ProblemState.BIDDING:
        return _("Saved. Vendors see the change.")
    amendment = services.list_amendments(db.session, problem)[-1]
    if amendment.reconfirm:
        return _("Published as an amendment. It changes what vendors priced: submitted bids must be confirmed "
                 "again.")
    return _("Published as an amendment. Submitted bids stay valid.")


def _whole(value) -> int:
    """A slider's value for the live total (the contract judges it on saving)."""
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


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
