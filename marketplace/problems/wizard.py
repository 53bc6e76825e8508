"""The problem wizard's pages: start a draft (from an example or blank) and edit it step by step.

Each step's form is parsed into that step's contract (``schemas.WIZARD_STEPS``); the contract's errors are
put next to the form's fields (a KPI row's on its row). The routes sit on the problems blueprint.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from domain.criteria import CRITERIA
from domain.labels import data_kind_label
from marketplace.core.errors import RECOVERABLE
from marketplace.core.forms import attach_errors, parse_form
from marketplace.extensions import db
from marketplace.i18n import criterion_labels, current_locale
from marketplace.problems import forms, measurement, messages, schemas, services
from marketplace.problems.keywords import interpret_keywords
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs import services as programs
from marketplace.problems.views import _require_poster, bp


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
        form = forms.WeightsForm(formdata=formdata, data=None if submitted else {
            **problem.weights, "tco_horizon_years": problem.tco_horizon_years})
    elif step == 6:
        form = forms.VisibilityForm(formdata=formdata, data=None if submitted else {
            "visibility": problem.visibility, "opening_shows_names": problem.opening_shows_names})
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
        horizon = (form.tco_horizon_years.data or "").strip()  # left empty: the default (3 years)
        return {"weights": {c: getattr(form, c).data for c in CRITERIA}} | (
            {"tco_horizon_years": horizon} if horizon else {}), {}, []
    return {"visibility": form.visibility.data, "opening_shows_names": bool(form.opening_shows_names.data)}, {}, []


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
