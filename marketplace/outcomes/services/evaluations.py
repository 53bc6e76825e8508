"""Evaluation on delivery: the vendor's predictions measured against the sealed holdouts, attempt by attempt.

An attempt is stored only when the predictions file reads and matches the holdout (every id once, a number
or an agreed class in every row); otherwise the answer names the row and column and no attempt is used.
The number of attempts per milestone is the agreement's ``max_attempts`` term (3 unless it says otherwise).
A stored attempt is never changed; its hashes and verdict are appended to the audit chain. Submitting
delivers the milestone (within the resubmission period after a rejection); the client then accepts it on a
pass, rejects it on a fail, or accepts it despite the fail with a recorded reason (:func:`accept_despite_fail`).
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

import acceptance
from marketplace.accounts.models import User
from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement, AgreementMilestone, MilestoneStatus
from marketplace.agreements.schemas import DeliverIn
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotAllowed, NotFound
from marketplace.notifications import services as notifications
from marketplace.outcomes.models import Evaluation, Waiver
from marketplace.outcomes.schemas import PredictionsIn, WaiverIn
from marketplace.outcomes.services.common import LIMITS, invalid, protocol_of, signed_terms
from marketplace.outcomes.services.protocols import holdout_for
from marketplace.problems.models import Problem

logger = logging.getLogger(__name__)


def attempts_used(session: Session, milestone: AgreementMilestone) -> int:
    return session.exec(select(func.count()).select_from(Evaluation)
                        .where(Evaluation.milestone_id == milestone.id)).one()


def _measure(session: Session, agreement: Agreement, data: bytes, filename: str,
             choice: PredictionsIn) -> list[acceptance.Evaluation]:
    """Each holdout's KPIs measured from the predictions (one evaluation per distinct holdout file)."""
    terms = signed_terms(session, agreement)
    groups: dict[str, list] = {}
    for kpi in terms.kpis:
        if kpi.protocol is not None and kpi.protocol.data == "holdout" and kpi.protocol.holdout is not None:
            groups.setdefault(kpi.protocol.holdout.sha256, []).append(kpi)
    if not groups:
        raise Conflict(_("No KPI of this agreement is measured on a holdout."))
    try:
        predictions = acceptance.read_table(data, role=acceptance.Role.PREDICTIONS, filename=filename, limits=LIMITS,
                                            id_column=choice.id_column, value_column=choice.value_column)
        results = []
        for kpis in groups.values():
            stored = holdout_for(session, agreement, kpis[0].name)
            holdout = acceptance.read_table(stored.content, role=acceptance.Role.HOLDOUT,
                                            id_column=stored.id_column, value_column=stored.value_column,
                                            limits=LIMITS)
            results.append(acceptance.evaluate([protocol_of(k) for k in kpis], holdout, predictions))
    except acceptance.AcceptanceError as exc:
        raise invalid(exc) from None
    return results


def predictions_template(session: Session, *, user: User, agreement: Agreement) -> bytes:
    """A CSV of the holdout's ids with an empty 예측값 column for the vendor to fill in: ids only, no truth.

    For the parties of a signed agreement (the ids are what the vendor predicts for; the truths stay sealed).
    """
    if not agreements.is_party(session, user, agreement):
        raise NotFound(_("No such agreement."))
    agreements.require_in_force(agreement)
    terms = signed_terms(session, agreement)
    kpi = next((k for k in terms.kpis if k.protocol is not None and k.protocol.holdout is not None), None)
    if kpi is None:
        raise Conflict(_("No KPI of this agreement is measured on a holdout."))
    stored = holdout_for(session, agreement, kpi.name)
    holdout = acceptance.read_table(stored.content, role=acceptance.Role.HOLDOUT, id_column=stored.id_column,
                                    value_column=stored.value_column, limits=LIMITS)
    return acceptance.predictions_template(holdout)


def _chart(evaluation: acceptance.Evaluation, lang: str) -> bytes:
    return acceptance.render_chart(evaluation, lang=lang).data  # never predicted-vs-actual: it shows truths


def submit_predictions(session: Session, *, user: User, milestone: AgreementMilestone, data: bytes,
                       filename: str, choice: PredictionsIn) -> Evaluation:
    """The vendor's predictions for the holdout ids: measured, stored as the next attempt, the milestone delivered."""
    agreement = session.get(Agreement, milestone.agreement_id)
    if not agreements.is_party(session, user, agreement):
        raise NotFound(_("No such milestone."))
    if user.organisation_id != agreement.vendor_id:
        raise NotAllowed(_("Only the vendor submits predictions."))
    agreements.require_in_force(agreement)
    if milestone.status == MilestoneStatus.ACCEPTED:
        raise Conflict(_("This milestone is already accepted."))
    terms = signed_terms(session, agreement)
    used = attempts_used(session, milestone)
    if used >= terms.max_attempts:
        raise Conflict(_("All %(n)d attempts of this milestone are used; the agreement allows no more.",
                         n=terms.max_attempts))
    evaluations = _measure(session, agreement, data, filename, choice)
    if milestone.status != MilestoneStatus.DELIVERED:
        agreements.deliver_milestone(session, user=user, milestone=milestone, delivery=DeliverIn(note=""))
    results = [r for e in evaluations for r in e.results]
    passed_count = sum(r.passed for r in results)
    first = evaluations[0]
    row = Evaluation(milestone_id=milestone.id, agreement_id=agreement.id, vendor_id=agreement.vendor_id,
                     attempt=used + 1, filename=(filename or "")[:200], predictions=bytes(data),
                     predictions_sha256=first.predictions_sha256, holdout_sha256=first.holdout_sha256,
                     rows=first.rows, passed=passed_count == len(results), passed_count=passed_count,
                     total=len(results), result={"evaluations": [e.to_dict() for e in evaluations]},
                     chart_ko=_chart(first, "ko"), chart_en=_chart(first, "en"), submitted_by_id=user.id)
    session.add(row)
    session.flush()
    audit.record(session, "kpi_evaluated", actor=user, obj=milestone,
                 details={"agreement_id": agreement.id, "attempt": row.attempt,
                          "holdout_sha256": [e.holdout_sha256 for e in evaluations],
                          "predictions_sha256": row.predictions_sha256, "passed": row.passed,
                          "passed_count": passed_count, "total": row.total})
    problem = session.get(Problem, agreement.problem_id)
    notifications.notify_organisations(session, [agreement.client_id], "kpi_evaluated",
                                       {"title": problem.title, "milestone": milestone.name,
                                        "passed": passed_count, "total": row.total},
                                       link=f"/agreements/{agreement.id}#acceptance")
    logger.info("evaluation milestone=%s attempt=%s passed=%s/%s", milestone.id, row.attempt, passed_count,
                row.total)
    return row


def list_evaluations(session: Session, milestone: AgreementMilestone) -> list[Evaluation]:
    return list(session.exec(select(Evaluation).where(Evaluation.milestone_id == milestone.id)
                             .order_by(Evaluation.attempt)))


def latest_evaluation(session: Session, milestone: AgreementMilestone) -> Evaluation | None:
    return session.exec(select(Evaluation).where(Evaluation.milestone_id == milestone.id)
                        .order_by(Evaluation.attempt.desc())).first()


def waiver_of(session: Session, evaluation: Evaluation) -> Waiver | None:
    return session.exec(select(Waiver).where(Waiver.evaluation_id == evaluation.id)).first()


def accept_despite_fail(session: Session, *, user: User, milestone: AgreementMilestone,
                        waiver: WaiverIn) -> AgreementMilestone:
    """The client accepts a delivered milestone whose last evaluation failed, and says why (recorded)."""
    agreement = session.get(Agreement, milestone.agreement_id)
    if agreements.is_party(session, user, agreement) and user.organisation_id != agreement.client_id:
        raise NotAllowed(_("Only the client accepts or rejects milestones."))
    latest = latest_evaluation(session, milestone)
    if latest is None or latest.passed:
        raise Conflict(_("Only a milestone whose last evaluation failed is accepted with a reason; accept it as "
                         "usual."))
    session.add(Waiver(evaluation_id=latest.id, milestone_id=milestone.id, reason=waiver.reason,
                       decided_by_id=user.id))
    session.flush()
    accepted = agreements.accept_milestone(session, user=user, milestone=milestone)
    audit.record(session, "kpi_waived", actor=user, obj=milestone,
                 details={"attempt": latest.attempt, "reason": waiver.reason[:200]})
    return accepted
