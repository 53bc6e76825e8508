"""Measured-value KPIs at a milestone: the client enters the value with its evidence; the protocol judges it.

A measurement is entered once per KPI and milestone and never changed (its verdict goes to the audit chain).
It is the client's own figure with its evidence, so it is not counted among the platform-measured outcomes.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, select

import acceptance
from marketplace.accounts.models import User
from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement, AgreementMilestone, MilestoneStatus
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotAllowed, NotFound
from marketplace.outcomes.models import Measurement
from marketplace.outcomes.schemas import MeasurementIn
from marketplace.outcomes.services.common import invalid, protocol_of, signed_terms, terms_kpi


def record_measurement(session: Session, *, user: User, milestone: AgreementMilestone,
                       measurement: MeasurementIn) -> Measurement:
    agreement = session.get(Agreement, milestone.agreement_id)
    if not agreements.is_party(session, user, agreement):
        raise NotFound(_("No such milestone."))
    if user.organisation_id != agreement.client_id:
        raise NotAllowed(_("Only the client enters a measured KPI value."))
    agreements.require_in_force(agreement)
    if milestone.status == MilestoneStatus.ACCEPTED:
        raise Conflict(_("This milestone is already accepted."))
    terms = signed_terms(session, agreement)
    _row, index = terms_kpi(session, agreement, measurement.kpi_id, terms)
    kpi = terms.kpis[index]
    if kpi.protocol is None or kpi.protocol.data != "measured":
        raise Conflict(_("This KPI is not measured as a value entered by the client."))
    if session.exec(select(Measurement).where(Measurement.milestone_id == milestone.id,
                                              Measurement.kpi_name == kpi.name)).first() is not None:
        raise Conflict(_("This KPI's value is already entered for this milestone."))
    try:
        result = acceptance.measure(protocol_of(kpi), measurement.value, evidence=measurement.evidence)
    except acceptance.AcceptanceError as exc:
        raise invalid(exc, file_field="value") from None
    row = Measurement(milestone_id=milestone.id, agreement_id=agreement.id, kpi_name=kpi.name,
                      value=str(result.value), passed=result.passed, result=result.to_dict(),
                      evidence=result.evidence or "", measured_by_id=user.id)
    session.add(row)
    session.flush()
    audit.record(session, "kpi_measured", actor=user, obj=milestone,
                 details={"kpi": kpi.name, "value": row.value, "passed": row.passed})
    return row


def list_measurements(session: Session, milestone: AgreementMilestone) -> list[Measurement]:
    return list(session.exec(select(Measurement).where(Measurement.milestone_id == milestone.id)
                             .order_by(Measurement.id)))
