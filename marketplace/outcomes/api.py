"""``/api/v1`` operations of KPI acceptance (protocols, sealed holdouts, evaluations) and follow-ups.

Files come as the multipart field ``file``; the other form fields of the request are the options
(:class:`~marketplace.outcomes.schemas.HoldoutIn`, :class:`~marketplace.outcomes.schemas.PredictionsIn`).
No answer carries a holdout's content: the vendor sees hashes, counts, verdicts and a chart of the errors.
"""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.schemas import OrganisationPath
from marketplace.agreements import services as agreements
from marketplace.agreements.schemas import AgreementPath, MilestonePath
from marketplace.api import PUBLIC, AreaBlueprint, session
from marketplace.core.errors import ValidationFailed
from marketplace.core.schemas import parse
from marketplace.outcomes import presenters, services
from marketplace.outcomes.schemas import (
    FollowUpIn,
    FollowUpList,
    FollowUpOut,
    FollowUpPath,
    HoldoutIn,
    HoldoutOut,
    KpiEvaluationList,
    KpiEvaluationOut,
    KpiPath,
    MeasuredIn,
    MeasurementIn,
    MeasurementOut,
    PredictionsIn,
    ProtocolList,
    ProtocolOut,
    SurvivalOut,
    VerifiedOutcomesOut,
    WaiverIn,
)
from marketplace.programs import services as programs
from marketplace.programs.schemas import ProgramPath

bp = AreaBlueprint("outcomes", __name__, description="KPI acceptance measured by the platform (sealed holdouts, "
                   "evaluations) and the follow-ups after completion")


def _upload() -> tuple[bytes, str, dict]:
    services.check_upload_size(request.content_length)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Send the file as the multipart field “file”."),
                               fields={"file": _("This field is required.")})
    return upload.read(services.MAX_FILE_BYTES + 1), upload.filename or "", request.form.to_dict()


def _listing(items: list) -> dict:
    return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)}


@bp.put("/agreements/<int:agreement_id>/kpis/<int:kpi_id>/holdout", summary="The client uploads the sealed "
        "holdout of a KPI (multipart `file`, CSV or XLSX; options `metric`, `decimals`, `classes`, "
        "`positive_class`, `id_column`, `value_column`) before anyone signs; its SHA-256, rows and columns go into "
        "the terms", responses={200: HoldoutOut})
def put_holdout(path: KpiPath):
    s = session()
    agreement = agreements.get_agreement(s, path.agreement_id, viewer=current_user)
    data, filename, form = _upload()
    choice = parse(HoldoutIn, form)
    holdout = services.seal_holdout(s, user=current_user, agreement=agreement, kpi_id=path.kpi_id, data=data,
                                    filename=filename, choice=choice)
    return presenters.holdout_out(holdout, path.kpi_id)


@bp.put("/agreements/<int:agreement_id>/kpis/<int:kpi_id>/measured", summary="The client fixes a KPI as a "
        "measured value (entered with evidence at acceptance) before anyone signs", responses={200: ProtocolOut})
def put_measured(path: KpiPath, body: MeasuredIn):
    s = session()
    agreement = agreements.get_agreement(s, path.agreement_id, viewer=current_user)
    services.set_measured(s, user=current_user, agreement=agreement, kpi_id=path.kpi_id, choice=body)
    return next(p for p in presenters.protocols_out(s, agreement) if p.kpi_id == path.kpi_id)


@bp.get("/agreements/<int:agreement_id>/protocols", summary="How each KPI of the current version is measured "
        "(metric, rounding, target, the holdout's SHA-256 and rows)", responses={200: ProtocolList})
def list_protocols(path: AgreementPath):
    s = session()
    agreement = agreements.get_agreement(s, path.agreement_id, viewer=current_user)
    return _listing(presenters.protocols_out(s, agreement))


@bp.get("/agreements/<int:agreement_id>/predictions-template.csv", summary="The holdout's ids with an empty "
        "예측값 column, for the vendor to fill in (ids only, never a truth; parties of a signed agreement)",
        responses={200: {"description": "CSV for Excel", "content": {"text/csv": {}}}})
def predictions_template(path: AgreementPath):
    s = session()
    agreement = agreements.get_agreement(s, path.agreement_id, viewer=current_user)
    return Response(services.predictions_template(s, user=current_user, agreement=agreement),
                    content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="predictions-{agreement.id}.csv"'})


@bp.post("/milestones/<int:milestone_id>/evaluations", summary="The vendor submits predictions for the holdout "
         "ids (multipart `file`); measured at once, stored as the next attempt, the milestone delivered",
         responses={201: KpiEvaluationOut})
def post_evaluation(path: MilestonePath):
    s = session()
    milestone, _agreement = agreements.get_milestone(s, path.milestone_id, viewer=current_user)
    data, filename, form = _upload()
    choice = parse(PredictionsIn, form)
    evaluation = services.submit_predictions(s, user=current_user, milestone=milestone, data=data,
                                             filename=filename, choice=choice)
    return presenters.evaluation_out(s, evaluation)


@bp.post("/milestones/<int:milestone_id>/measurements", summary="The client enters a measured-value KPI's value "
         "with its evidence (once per KPI and milestone); the protocol judges it", responses={201: MeasurementOut})
def post_measurement(path: MilestonePath, body: MeasurementIn):
    s = session()
    milestone, _agreement = agreements.get_milestone(s, path.milestone_id, viewer=current_user)
    return presenters.measurement_out(services.record_measurement(s, user=current_user, milestone=milestone,
                                                                  measurement=body))


@bp.get("/milestones/<int:milestone_id>/evaluations", summary="Every attempt at a milestone with its verdicts "
        "(parties of the agreement)", responses={200: KpiEvaluationList})
def list_evaluations(path: MilestonePath):
    s = session()
    milestone, _agreement = agreements.get_milestone(s, path.milestone_id, viewer=current_user)
    return _listing([presenters.evaluation_out(s, e) for e in services.list_evaluations(s, milestone)])


@bp.post("/milestones/<int:milestone_id>/accept-despite-fail", summary="The client accepts a delivered milestone "
         "whose last evaluation failed, with the reason (recorded)", responses={200: KpiEvaluationOut})
def accept_despite_fail(path: MilestonePath, body: WaiverIn):
    s = session()
    milestone, _agreement = agreements.get_milestone(s, path.milestone_id, viewer=current_user)
    services.accept_despite_fail(s, user=current_user, milestone=milestone, waiver=body)
    return presenters.evaluation_out(s, services.latest_evaluation(s, milestone))


@bp.get("/agreements/<int:agreement_id>/follow-ups", summary="The questions after completion (6, 12 and 24 "
        "months) and their answers", responses={200: FollowUpList})
def list_follow_ups(path: AgreementPath):
    s = session()
    agreement = agreements.get_agreement(s, path.agreement_id, viewer=current_user)
    return _listing([presenters.follow_up_out(f) for f in services.list_follow_ups(s, agreement)])


@bp.post("/follow-ups/<int:follow_up_id>", summary="The client answers a follow-up: still in use, and the KPI's "
         "current value (optional, with evidence)", responses={200: FollowUpOut})
def answer_follow_up(path: FollowUpPath, body: FollowUpIn):
    s = session()
    follow_up, _agreement = services.get_follow_up(s, path.follow_up_id, viewer=current_user)
    return presenters.follow_up_out(services.answer_follow_up(s, user=current_user, follow_up=follow_up,
                                                              answer=body))


@bp.get("/organisations/<int:organisation_id>/verified-outcomes", summary="A vendor's outcomes measured by the "
        "platform: KPIs met of KPIs evaluated, and systems still in use after 12 months", security=PUBLIC,
        responses={200: VerifiedOutcomesOut})
def verified_outcomes(path: OrganisationPath):
    return VerifiedOutcomesOut(**services.verified_kpi_outcomes(session(), path.organisation_id).to_dict())


@bp.get("/programs/<int:program_id>/survival", summary="Survival after 12 months of the program's completed "
        "subsidised projects, overall and per region and industry (agency officers)", responses={200: SurvivalOut})
def survival(path: ProgramPath):
    program = programs.get_program(session(), path.program_id, viewer=current_user)
    programs.require_officer(session(), current_user, program)
    return services.program_survival(session(), program.id)


@bp.get("/programs/<int:program_id>/survival.csv", summary="The same, one row per project, as CSV for Excel",
        responses={200: {"description": "CSV for Excel", "content": {"text/csv": {}}}})
def survival_csv(path: ProgramPath):
    program = programs.get_program(session(), path.program_id, viewer=current_user)
    programs.require_officer(session(), current_user, program)
    return Response(services.survival_csv(session(), program.id).encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="program-{program.id}-survival.csv"'})
