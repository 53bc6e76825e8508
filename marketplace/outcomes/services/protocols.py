"""The acceptance protocol of each KPI, fixed in the agreement before signing, and the sealed holdout.

The client uploads a holdout per KPI (or says how a measured KPI is measured) while the agreement is a
draft nobody has signed: the protocol goes into the current version's terms (its rule in both languages,
the holdout's SHA-256, row count and columns), the file's bytes into :class:`~marketplace.outcomes.models.Holdout`.
Once anyone signs, the protocol can no longer change (409).
"""

from __future__ import annotations

import dataclasses
import logging

from flask_babel import gettext as _
from sqlmodel import Session, select

import acceptance
import contracts
from marketplace.accounts.models import User
from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement, AgreementStatus
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotAllowed, ValidationFailed
from marketplace.notifications import services as notifications
from marketplace.outcomes.models import Holdout
from marketplace.outcomes.schemas import HoldoutIn, MeasuredIn
from marketplace.outcomes.services.common import LIMITS, invalid, language, terms_kpi
from marketplace.problems.models import Problem

logger = logging.getLogger(__name__)


def _require_client_before_signing(session: Session, user: User, agreement: Agreement) -> None:
    agreements.require_party_owner(session, user, agreement, action="protocol")
    if user.organisation_id != agreement.client_id:
        raise NotAllowed(_("Only the client fixes how its KPIs are measured and uploads the holdout."))
    if agreement.signed_version is not None or agreement.status != AgreementStatus.DRAFT:
        raise Conflict(_("The evaluation data is sealed before anyone signs; once a party has signed, it can no "
                         "longer be uploaded or changed."))


def suggested_metric(problem: Problem, kpi: contracts.Kpi) -> acceptance.Metric | None:
    """The first holdout metric suggested for the problem's types whose unit and direction fit the KPI."""
    for suggestion in acceptance.suggestions(problem.problem_types or []):
        info = acceptance.METRICS[suggestion.metric]
        if suggestion.data is not acceptance.DataKind.HOLDOUT:
            continue
        if info.direction is not None and info.direction.value != kpi.direction.value:
            continue
        if info.unit is not None and kpi.unit and info.unit != kpi.unit.strip():
            continue
        return suggestion.metric
    return None


def build_protocol(kpi: contracts.Kpi, metric: acceptance.Metric, *, decimals: int | None = None,
                   classes: tuple[str, ...] = (), positive_class: str | None = None,
                   period: str = "") -> acceptance.Protocol:
    """The library's protocol for ``kpi`` of the terms: its committed value is the target."""
    info = acceptance.METRICS[metric]
    if info.direction is not None and info.direction.value != kpi.direction.value:
        raise ValidationFailed(_("%(metric)s is better when it is %(way)s, but this KPI is better when it is "
                                 "the other way; choose another metric.", metric=info.short.get(language()),
                                 way=_("lower") if info.direction.value == "lower" else _("higher")),
                               field="metric")
    unit = kpi.unit if info.unit is None else (None if not kpi.unit or kpi.unit.strip() == info.unit else kpi.unit)
    try:
        return acceptance.Protocol(kpi=kpi.name, metric=metric, target=kpi.committed,
                                   direction=None if info.direction else kpi.direction.value, unit=unit,
                                   decimals=decimals, data=info.data_kinds[0], classes=classes,
                                   positive_class=positive_class, period=period)
    except acceptance.AcceptanceError as exc:
        raise invalid(exc, file_field="metric") from None


def _store(session: Session, agreement: Agreement, index: int, protocol: acceptance.Protocol,
           seal: contracts.Holdout | None) -> contracts.AgreementTerms:
    version = agreements.get_version(session, agreement)
    agreements.require_unsigned(version)
    terms = agreements.terms_of(version)
    fixed = contracts.KpiProtocol(metric=protocol.metric.value, data=protocol.data.value, decimals=protocol.decimals,
                                  rule_ko=protocol.describe("ko"), rule_en=protocol.describe("en"),
                                  classes=protocol.classes, positive_class=protocol.positive_class,
                                  period=protocol.period, holdout=seal)
    kpis = list(terms.kpis)
    kpis[index] = dataclasses.replace(kpis[index], protocol=fixed)
    terms = terms.replace(kpis=tuple(kpis))
    version.terms = contracts.terms_to_dict(terms)
    session.add(version)
    session.flush()
    return terms


def seal_holdout(session: Session, *, user: User, agreement: Agreement, kpi_id: int, data: bytes,
                 filename: str, choice: HoldoutIn) -> Holdout:
    """The client uploads the sealed truth file of one KPI (CSV or XLSX) before anyone signs.

    Nothing is stored unless the file reads, the metric fits its data and the protocol is valid.
    """
    _require_client_before_signing(session, user, agreement)
    terms = agreements.terms_of(agreements.get_version(session, agreement))
    row, index = terms_kpi(session, agreement, kpi_id, terms)
    kpi = terms.kpis[index]
    metric = choice.metric or suggested_metric(session.get(Problem, agreement.problem_id), kpi)
    if metric is None:
        raise ValidationFailed(_("Choose the metric this KPI is measured by."), field="metric")
    if acceptance.METRICS[metric].family is acceptance.Family.MEASURED:
        raise ValidationFailed(_("A measured value needs no holdout file; describe how it is measured instead."),
                               field="metric")
    protocol = build_protocol(kpi, metric, decimals=choice.decimals, classes=tuple(choice.classes),
                              positive_class=choice.positive_class)
    try:
        table = acceptance.read_table(data, role=acceptance.Role.HOLDOUT, filename=filename, limits=LIMITS,
                                      id_column=choice.id_column, value_column=choice.value_column)
        acceptance.check_holdout([protocol], table)
    except acceptance.AcceptanceError as exc:
        raise invalid(exc) from None
    fp = table.fingerprint
    seal = contracts.Holdout(sha256=fp.sha256, rows=fp.rows, columns=fp.columns, id_column=fp.id_column,
                             value_column=fp.value_column)
    _store(session, agreement, index, protocol, seal)
    holdout = session.exec(select(Holdout).where(Holdout.agreement_id == agreement.id,
                                                 Holdout.kpi_name == kpi.name)).first() or \
        Holdout(agreement_id=agreement.id, kpi_name=kpi.name)
    holdout.filename, holdout.content, holdout.sha256 = (filename or "")[:200], bytes(data), fp.sha256
    holdout.rows, holdout.columns = fp.rows, list(fp.columns)
    holdout.id_column, holdout.value_column, holdout.uploaded_by_id = fp.id_column, fp.value_column, user.id
    session.add(holdout)
    session.flush()
    audit.record(session, "kpi_holdout_sealed", actor=user, obj=agreement,
                 details={"kpi": kpi.name, "metric": metric.value, "sha256": fp.sha256, "rows": fp.rows})
    problem = session.get(Problem, agreement.problem_id)
    notifications.notify_organisations(session, [agreement.vendor_id], "holdout_sealed",
                                       {"title": problem.title, "kpi": kpi.name, "rows": fp.rows,
                                        "sha256": fp.sha256[:12]}, link=f"/agreements/{agreement.id}#acceptance")
    logger.info("holdout sealed agreement=%s kpi=%s rows=%s sha256=%s", agreement.id, row.id, fp.rows, fp.sha256)
    return holdout


def set_measured(session: Session, *, user: User, agreement: Agreement, kpi_id: int,
                 choice: MeasuredIn) -> contracts.AgreementTerms:
    """The client says a KPI is a measured value (entered with evidence at acceptance), before anyone signs."""
    _require_client_before_signing(session, user, agreement)
    terms = agreements.terms_of(agreements.get_version(session, agreement))
    _row, index = terms_kpi(session, agreement, kpi_id, terms)
    kpi = terms.kpis[index]
    if kpi.protocol is not None and kpi.protocol.holdout is not None:
        existing = session.exec(select(Holdout).where(Holdout.agreement_id == agreement.id,
                                                      Holdout.kpi_name == kpi.name)).first()
        if existing is not None:
            session.delete(existing)
    protocol = build_protocol(kpi, acceptance.Metric.MEASURED_VALUE, decimals=choice.decimals, period=choice.period)
    audit.record(session, "kpi_protocol_fixed", actor=user, obj=agreement,
                 details={"kpi": kpi.name, "metric": "measured_value"})
    return _store(session, agreement, index, protocol, None)


def list_holdouts(session: Session, agreement: Agreement) -> list[Holdout]:
    return list(session.exec(select(Holdout).where(Holdout.agreement_id == agreement.id).order_by(Holdout.id)))


def holdout_for(session: Session, agreement: Agreement, kpi_name: str) -> Holdout | None:
    return session.exec(select(Holdout).where(Holdout.agreement_id == agreement.id,
                                              Holdout.kpi_name == kpi_name)).first()
