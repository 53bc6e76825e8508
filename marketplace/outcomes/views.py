"""Pages: KPI acceptance of an agreement (protocols, sealed holdouts, evaluations) and the follow-ups.

Each write parses its form into the same input contract as the API and calls the same service; refused
input comes back on the page with the message (naming the row and column of a file) next to the form.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

import acceptance
from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement, AgreementStatus, MilestoneStatus
from marketplace.core.errors import RECOVERABLE, DomainError, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.extensions import db
from marketplace.outcomes import presenters, services
from marketplace.outcomes.models import Evaluation
from marketplace.outcomes.schemas import (
    FollowUpIn,
    HoldoutIn,
    MeasuredIn,
    MeasurementIn,
    PredictionsIn,
    WaiverIn,
)
from marketplace.problems.models import Problem
from marketplace.programs import services as programs

bp = Blueprint("outcomes", __name__)

METRIC_CHOICES = [m for m in acceptance.Metric if m is not acceptance.Metric.MEASURED_VALUE]


def _page(agreement: Agreement, *, errors: dict | None = None, status: int = 200):
    """The acceptance page; ``errors``: {form key: (message, {field: message})} after refused input."""
    s = db.session
    lang = presenters.language()
    version = agreements.get_version(s, agreement)
    terms = agreements.terms_of(version)
    ids = services.kpi_ids(s, agreement)
    problem = s.get(Problem, agreement.problem_id)
    mine = current_user.organisation_id
    is_client, is_vendor = mine == agreement.client_id, mine == agreement.vendor_id
    editable = (is_client and current_user.is_owner and agreement.signed_version is None
                and agreement.status == AgreementStatus.DRAFT)
    kpis = [{"kpi": k, "id": ids.get(k.name), "suggested": services.suggested_metric(problem, k)} for k in terms.kpis]
    milestones = []
    in_force = agreement.signed_version is not None and agreement.status != AgreementStatus.TERMINATED
    measured_on_holdout = any(k.protocol and k.protocol.holdout for k in terms.kpis)
    allowed = terms.max_attempts
    for m in agreements.list_milestones(s, agreement):
        evaluations = [presenters.evaluation_out(s, e) for e in services.list_evaluations(s, m)]
        measured = {r.kpi_name: presenters.measurement_out(r) for r in services.list_measurements(s, m)}
        milestones.append({"m": m, "evaluations": evaluations, "used": len(evaluations), "measured": measured,
                           "can_submit": is_vendor and in_force and measured_on_holdout
                           and m.status != MilestoneStatus.ACCEPTED and len(evaluations) < allowed,
                           "can_waive": is_client and m.status == MilestoneStatus.DELIVERED and evaluations
                           and not evaluations[-1].passed})
    follow_ups = services.list_follow_ups(s, agreement)
    return render_template("outcomes/acceptance.html", agreement=agreement, problem=problem, terms=terms,
                           kpis=kpis, editable=editable, milestones=milestones, allowed=allowed,
                           is_client=is_client, is_vendor=is_vendor, follow_ups=follow_ups, lang=lang,
                           metrics=METRIC_CHOICES, info=acceptance.METRICS, errors=errors or {},
                           max_mb=services.MAX_FILE_BYTES // (1024 * 1024)), status


def _refused(agreement: Agreement, key, exc: DomainError):
    db.session.rollback()
    return _page(agreement, errors={key: (exc.message, exc.fields)}, status=exc.status)


def _file() -> tuple[bytes, str]:
    services.check_upload_size(request.content_length)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed(_("Choose a file to upload."), field="file")
    return upload.read(services.MAX_FILE_BYTES + 1), upload.filename


def _form(*names: str) -> dict:
    return {n: request.form.get(n, "") for n in names if n in request.form}


@bp.get("/agreements/<int:agreement_id>/acceptance")
@login_required
def acceptance_page(agreement_id: int):
    return _page(agreements.get_agreement(db.session, agreement_id, viewer=current_user))


@bp.post("/agreements/<int:agreement_id>/kpis/<int:kpi_id>/holdout")
@login_required
def seal(agreement_id: int, kpi_id: int):
    agreement = agreements.get_agreement(db.session, agreement_id, viewer=current_user)
    try:
        data, filename = _file()
        choice = parse(HoldoutIn, _form("metric", "decimals", "classes", "positive_class", "id_column",
                                        "value_column"))
        holdout = services.seal_holdout(db.session, user=current_user, agreement=agreement, kpi_id=kpi_id,
                                        data=data, filename=filename, choice=choice)
    except RECOVERABLE as exc:
        return _refused(agreement, ("holdout", kpi_id), exc)
    flash(_("The evaluation data is sealed: %(rows)d rows, SHA-256 %(sha)s. The vendor sees only this "
            "fingerprint.", rows=holdout.rows, sha=holdout.sha256), "success")
    return redirect(url_for("outcomes.acceptance_page", agreement_id=agreement.id))


@bp.post("/agreements/<int:agreement_id>/kpis/<int:kpi_id>/measured")
@login_required
def measured(agreement_id: int, kpi_id: int):
    agreement = agreements.get_agreement(db.session, agreement_id, viewer=current_user)
    try:
        choice = parse(MeasuredIn, _form("period", "decimals"))
        services.set_measured(db.session, user=current_user, agreement=agreement, kpi_id=kpi_id, choice=choice)
    except RECOVERABLE as exc:
        return _refused(agreement, ("measured", kpi_id), exc)
    flash(_("The KPI is measured as a value the client enters with evidence."), "success")
    return redirect(url_for("outcomes.acceptance_page", agreement_id=agreement.id))


@bp.post("/milestones/<int:milestone_id>/evaluations")
@login_required
def submit(milestone_id: int):
    milestone, agreement = agreements.get_milestone(db.session, milestone_id, viewer=current_user)
    try:
        data, filename = _file()
        choice = parse(PredictionsIn, _form("id_column", "value_column"))
        evaluation = services.submit_predictions(db.session, user=current_user, milestone=milestone, data=data,
                                                 filename=filename, choice=choice)
    except RECOVERABLE as exc:
        return _refused(agreement, ("predictions", milestone_id), exc)
    flash(_("Attempt %(n)d measured: KPIs met %(passed)d/%(total)d.", n=evaluation.attempt,
            passed=evaluation.passed_count, total=evaluation.total), "success" if evaluation.passed else "warning")
    return redirect(url_for("outcomes.acceptance_page", agreement_id=agreement.id) + f"#milestone-{milestone.id}")


@bp.post("/milestones/<int:milestone_id>/measurements")
@login_required
def measure(milestone_id: int):
    milestone, agreement = agreements.get_milestone(db.session, milestone_id, viewer=current_user)
    try:
        data = _form("kpi_id", "value", "evidence")
        services.record_measurement(db.session, user=current_user, milestone=milestone,
                                    measurement=parse(MeasurementIn, data))
    except RECOVERABLE as exc:
        return _refused(agreement, ("measurement", milestone_id), exc)
    flash(_("The measured value is recorded with its evidence."), "success")
    return redirect(url_for("outcomes.acceptance_page", agreement_id=agreement.id) + f"#milestone-{milestone.id}")


@bp.post("/milestones/<int:milestone_id>/accept-despite-fail")
@login_required
def waive(milestone_id: int):
    milestone, agreement = agreements.get_milestone(db.session, milestone_id, viewer=current_user)
    try:
        waiver = parse(WaiverIn, _form("reason"))
        services.accept_despite_fail(db.session, user=current_user, milestone=milestone, waiver=waiver)
    except RECOVERABLE as exc:
        return _refused(agreement, ("waiver", milestone_id), exc)
    flash(_("The milestone is accepted; your reason is recorded with the evaluation."), "success")
    return redirect(url_for("outcomes.acceptance_page", agreement_id=agreement.id) + f"#milestone-{milestone.id}")


@bp.get("/agreements/<int:agreement_id>/predictions-template.csv")
@login_required
def template(agreement_id: int):
    agreement = agreements.get_agreement(db.session, agreement_id, viewer=current_user)
    return Response(services.predictions_template(db.session, user=current_user, agreement=agreement),
                    content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="predictions-{agreement.id}.csv"'})


@bp.get("/evaluations/<int:evaluation_id>/chart.svg")
@login_required
def chart(evaluation_id: int):
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None:
        raise NotFound(_("No such evaluation."))
    agreements.get_agreement(db.session, evaluation.agreement_id, viewer=current_user)
    data = evaluation.chart_ko if presenters.language() == "ko" else evaluation.chart_en
    if not data:
        raise NotFound(_("No such evaluation."))
    return Response(data, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})


@bp.get("/follow-ups/<int:follow_up_id>")
@login_required
def follow_up(follow_up_id: int):
    row, agreement = services.get_follow_up(db.session, follow_up_id, viewer=current_user)
    return redirect(url_for("outcomes.acceptance_page", agreement_id=agreement.id) + f"#follow-up-{row.id}")


@bp.post("/follow-ups/<int:follow_up_id>")
@login_required
def answer(follow_up_id: int):
    row, agreement = services.get_follow_up(db.session, follow_up_id, viewer=current_user)
    try:
        data = _form("kpi_value", "evidence")
        data["still_in_use"] = request.form.get("still_in_use") == "yes"
        services.answer_follow_up(db.session, user=current_user, follow_up=row, answer=parse(FollowUpIn, data))
    except RECOVERABLE as exc:
        return _refused(agreement, ("follow_up", follow_up_id), exc)
    flash(_("Thank you: your answer is recorded."), "success")
    return redirect(url_for("outcomes.acceptance_page", agreement_id=agreement.id) + "#follow-ups")


@bp.get("/programs/<int:program_id>/survival.csv")
@login_required
def survival_export(program_id: int):
    program = programs.get_program(db.session, program_id, viewer=current_user)
    programs.require_officer(db.session, current_user, program)
    return Response(services.survival_csv(db.session, program.id).encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="program-{program.id}-survival.csv"'})
