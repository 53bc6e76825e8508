"""Pages: programs, applying, brokering, batch matching, the subsidy queue and the dashboard."""

from __future__ import annotations

import logging
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from pydantic import BaseModel
from sqlmodel import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation
from marketplace.core.errors import RECOVERABLE, ValidationFailed
from marketplace.core.forms import attach_errors, form_values, parse_form
from marketplace.core.routing import row_id
from marketplace.extensions import db
from marketplace.i18n import current_locale
from marketplace.outcomes import services as outcomes
from marketplace.problems.models import Problem
from marketplace.programs import charts, forms, services
from marketplace.programs.models import Application, Program, Subsidy
from marketplace.programs.schemas import (
    ApplicationCreate,
    ProgramCreate,
    ProgramUpdate,
    RecommendationCreate,
    SubsidyReject,
)
from matching import taxonomy

logger = logging.getLogger(__name__)
bp = Blueprint("programs", __name__)
M = TypeVar("M", bound=BaseModel)


@bp.app_template_global()
def industry_section_label(code: str) -> str:
    section = taxonomy.get_industry_section(code)
    return section.label(current_locale()) if section else code


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _officer_program(program_id: int) -> Program:
    program = services.get_program(db.session, program_id, viewer=_viewer())
    if not services.is_officer(_viewer(), program):
        abort(403)
    services.require_officer(db.session, _viewer(), program)  # an unverified agency: its 403 says why
    return program


@bp.get("/programs")
def index():
    rows = db.session.exec(services.list_programs(db.session, viewer=_viewer())).all()
    agencies = {o.id: o for o in db.session.exec(select(Organisation).where(
        Organisation.id.in_({p.agency_id for p in rows} or {-1})))}
    budgets = {p.id: services.budget_of(db.session, p) for p in rows}
    can_create = services.is_agency_user(db.session, _viewer())
    return render_template("programs/list.html", programs=rows, agencies=agencies, budgets=budgets,
                           can_create=can_create, today=services.today())


def _posted(contract: type[M]) -> M:
    """The posted form parsed into ``contract``, the API's input contract (or ValidationFailed by field)."""
    return parse_form(contract, form_values(contract, request.form))


def _save_program(form: forms.ProgramForm, contract: type[ProgramCreate], save):
    """The posted program saved; the contract's or the service's errors land on their fields."""
    try:
        return save(_posted(contract)), 200
    except ValidationFailed as exc:
        attach_errors(form, exc)
    return None, 422


@bp.route("/programs/new", methods=["GET", "POST"])
@login_required
def new():
    if not services.is_agency_user(db.session, current_user):
        abort(403)
    accounts.require_verified(db.session, current_user, "create_program")
    form = forms.ProgramForm()
    status = 200
    if request.method == "POST":
        program, status = _save_program(form, ProgramCreate, lambda data: services.create_program(
            db.session, officer=current_user, data=data))
        if program is not None:
            flash(_("The program is saved."), "success")
            return redirect(url_for("programs.show", program_id=program.id))
    return render_template("programs/form.html", form=form, program=None), status


@bp.route("/programs/<int:program_id>/edit", methods=["GET", "POST"])
@login_required
def edit(program_id: int):
    program = _officer_program(program_id)
    form = forms.ProgramForm(obj=None if request.method == "POST" else program)
    status = 200
    if request.method == "POST":
        saved, status = _save_program(form, ProgramUpdate, lambda data: services.update_program(
            db.session, officer=current_user, program=program, data=data))
        if saved is not None:
            flash(_("The program is saved."), "success")
            return redirect(url_for("programs.show", program_id=program.id))
    return render_template("programs/form.html", form=form, program=program), status


@bp.get("/programs/<int:program_id>")
def show(program_id: int):
    viewer = _viewer()
    program = services.get_program(db.session, program_id, viewer=viewer)
    agency = db.session.get(Organisation, program.agency_id)
    officer = services.is_officer(viewer, program)
    org = db.session.get(Organisation, viewer.organisation_id) if viewer and viewer.organisation_id else None
    context = {}
    if org is not None and org.kind in services.POSTER_KINDS:
        mine = db.session.exec(select(Application, Problem).join(Problem, Problem.id == Application.problem_id)
                               .where(Application.program_id == program.id,
                                      Problem.organisation_id == org.id)).all()
        applied = {p.id for _a, p in mine}
        candidates = [p for p in services.applicable_problems(db.session, viewer) if p.id not in applied
                      and p.program_id in (None, program.id)]
        # each candidate's failed rules in the reader's language; none: eligible
        checks = {p.id: services.reasons(services.eligibility_for(db.session, program, p)) for p in candidates}
        form = forms.ApplyForm()
        form.problem_id.choices = [(p.id, p.title) for p in candidates if not checks[p.id]]
        context.update(applied=mine, candidates=candidates, checks=checks, apply_form=form)
    if officer and accounts.is_verified_member(db.session, viewer):
        context["applications"] = services.list_applications(db.session, program)
    elif officer:
        context["unverified"] = accounts.unverified_message("see_applicants")
    return render_template("programs/show.html", program=program, agency=agency, officer=officer, org=org,
                           budget=services.budget_of(db.session, program), today=services.today(), **context)


@bp.post("/programs/<int:program_id>/apply")
@login_required
def apply(program_id: int):
    program = services.get_program(db.session, program_id, viewer=current_user)
    try:
        choice = _posted(ApplicationCreate)
    except ValidationFailed:
        choice = None
    problem = db.session.get(Problem, choice.problem_id) if choice else None
    if problem is None or problem.organisation_id != current_user.organisation_id:
        flash(_("Choose one of your problems."), "danger")
        return redirect(url_for("programs.show", program_id=program.id)), 303
    try:
        services.apply_to_program(db.session, user=current_user, program=program, problem=problem)
    except RECOVERABLE as exc:
        reasons = exc.extra.get("reasons") or []
        flash(_("The application was not accepted."), "danger")
        for reason in reasons or [{"message": exc.message}]:
            flash(reason["message"], "warning")
        return redirect(url_for("programs.show", program_id=program.id)), 303
    flash(_("Your problem is entered into the program. The agency can now recommend vendors to you."), "success")
    return redirect(url_for("programs.show", program_id=program.id))


@bp.get("/programs/<int:program_id>/brokering")
@login_required
def brokering(program_id: int):
    program = _officer_program(program_id)
    rows = services.broker_view(db.session, program)
    return render_template("programs/brokering.html", program=program, rows=rows, form=forms.PlainForm())


@bp.post("/programs/<int:program_id>/recommendations")
@login_required
def recommend(program_id: int):
    program = _officer_program(program_id)
    problem = db.session.get(Problem, row_id(request.form.get("problem_id")) or 0)
    if problem is None or problem.program_id != program.id:
        abort(404)
    try:
        choice = _posted(RecommendationCreate)
        created = services.recommend_vendors(db.session, officer=current_user, program=program, problem=problem,
                                             vendor_ids=choice.vendor_ids)
    except RECOVERABLE as exc:
        flash(next(iter(exc.fields.values()), exc.message), "danger")
        return redirect(url_for("programs.brokering", program_id=program.id, _anchor=f"p{problem.id}")), 303
    flash(_("%(n)d vendors recommended to the company.", n=len(created)) if created else
          _("These vendors were recommended already."), "success" if created else "info")
    return redirect(url_for("programs.brokering", program_id=program.id, _anchor=f"p{problem.id}"))


@bp.route("/programs/<int:program_id>/batch", methods=["GET", "POST"])
@login_required
def batch(program_id: int):
    program = _officer_program(program_id)
    form = forms.BatchForm()
    result = None
    if form.validate_on_submit():
        percent = form.min_non_capital_percent.data
        result = services.batch_match(db.session, officer=current_user, program=program,
                                      min_non_capital_share=None if percent is None else percent / 100)
    status = 422 if request.method == "POST" and result is None else 200
    return render_template("programs/batch.html", program=program, form=form, result=result,
                           publish_form=forms.PlainForm()), status


@bp.post("/programs/<int:program_id>/batch/publish")
@login_required
def publish_batch(program_id: int):
    program = _officer_program(program_id)
    pairs = []
    for raw in request.form.getlist("pairs"):
        problem_id, _sep, vendor_id = raw.partition(":")
        if problem_id.isdigit() and vendor_id.isdigit():
            pairs.append((int(problem_id), int(vendor_id)))
    try:
        created = services.publish_matches(db.session, officer=current_user, program=program, pairs=pairs)
    except RECOVERABLE as exc:
        flash(exc.message, "danger")
        return redirect(url_for("programs.batch", program_id=program.id)), 303
    flash(_("%(n)d recommendations published to the companies.", n=len(created)), "success")
    return redirect(url_for("programs.brokering", program_id=program.id))


@bp.get("/programs/<int:program_id>/dashboard")
@login_required
def dashboard(program_id: int):
    program = _officer_program(program_id)
    data = services.program_dashboard(db.session, program)
    budget = data["budget"]
    budget_bar = charts.stacked_bar([("committed", budget["committed_krw"]), ("reserved", budget["reserved_krw"]),
                                     ("left", budget["left_krw"])])
    return render_template("programs/dashboard.html", program=program, data=data, budget_bar=budget_bar,
                           regions=charts.grouped_bars(data["by_region"]),
                           industries=charts.grouped_bars(data["by_industry"], label_width=190),
                           colours=charts.COLOURS, survival=outcomes.program_survival(db.session, program.id))


@bp.get("/subsidies")
@login_required
def subsidies():
    if not services.is_agency_user(db.session, current_user):
        abort(403)
    accounts.require_verified(db.session, current_user, "decide_subsidy")
    rows = services.list_subsidies(db.session, agency_id=current_user.organisation_id)
    decided = services.list_subsidies(db.session, agency_id=current_user.organisation_id, status=None)
    budgets = {program.id: services.budget_of(db.session, program) for _s, program, _p, _o in rows}
    return render_template("programs/subsidies.html", rows=rows, budgets=budgets,
                           decided=[r for r in decided if r[0].status != "pending"][-20:],
                           form=forms.PlainForm(), reject_form=forms.RejectForm(), lang=current_locale())


def _decide(subsidy_id: int, decide, success: str):
    subsidy: Subsidy = services.get_subsidy(db.session, subsidy_id, viewer=current_user)
    try:
        decide(subsidy)
    except RECOVERABLE as exc:
        if exc.status in (403, 404):
            raise
        flash(exc.message, "danger")
        return redirect(url_for("programs.subsidies")), 303
    flash(success, "success")
    return redirect(url_for("programs.subsidies"))


@bp.post("/subsidies/<int:subsidy_id>/approve")
@login_required
def approve(subsidy_id: int):
    return _decide(subsidy_id, lambda s: services.approve_subsidy(db.session, officer=current_user, subsidy=s),
                   _("Subsidy approved; the amount is reserved in the budget."))


@bp.post("/subsidies/<int:subsidy_id>/reject")
@login_required
def reject(subsidy_id: int):
    try:
        choice = _posted(SubsidyReject)
    except ValidationFailed:
        flash(_("Give a reason for the rejection."), "danger")
        return redirect(url_for("programs.subsidies")), 303
    return _decide(subsidy_id, lambda s: services.reject_subsidy(db.session, officer=current_user, subsidy=s,
                                                                 reason=choice.reason),
                   _("Subsidy rejected."))
