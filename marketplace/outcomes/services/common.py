"""What every outcomes service shares: the reader's language, library errors as domain errors, the KPI rows."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, select

import acceptance
import contracts
from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement
from marketplace.core.errors import NotFound, ValidationFailed
from marketplace.i18n import current_locale
from marketplace.problems.models import ProblemKpi

#: Largest holdout or predictions file accepted, as uploaded (below the app's 16 MB request limit).
MAX_FILE_BYTES = 15 * 1024 * 1024
LIMITS = acceptance.Limits(max_bytes=MAX_FILE_BYTES)


class FileTooLarge(ValidationFailed):
    status = 413
    type_slug = "too-large"


def check_upload_size(content_length: int | None) -> None:
    """Refuse a request by its declared length, before its body is read (a 200 MB file never reaches memory)."""
    if (content_length or 0) > MAX_FILE_BYTES + 64 * 1024:
        try:
            acceptance.check_size(content_length, LIMITS)
        except acceptance.AcceptanceError as exc:
            raise FileTooLarge(exc.text(language()), field="file") from None


def language() -> str:
    try:
        return current_locale()
    except RuntimeError:
        return "ko"


def invalid(error: acceptance.AcceptanceError, *, file_field: str = "file") -> ValidationFailed:
    """The library's messages (each naming its row and column, or its field) as one 422 answer."""
    lang = language()
    fields: dict[str, str] = {}
    for m in error.messages:
        key = m.field or file_field
        fields[key] = f"{fields[key]} {m.text(lang)}" if key in fields else m.text(lang)
    return ValidationFailed(error.text(lang), fields=fields,
                            extra={"problems": [{"code": m.code, "field": m.field or file_field, "row": m.row,
                                                 "column": m.column, "detail": m.text(lang)}
                                                for m in error.messages]})


def terms_kpi(session: Session, agreement: Agreement, kpi_id: int,
              terms: contracts.AgreementTerms) -> tuple[ProblemKpi, int]:
    """The problem's KPI row and its position in the agreement's KPIs (matched by name)."""
    row = session.get(ProblemKpi, kpi_id)
    if row is None or row.problem_id != agreement.problem_id:
        raise NotFound(_("No such KPI in this agreement."))
    for index, kpi in enumerate(terms.kpis):
        if kpi.name == row.name:
            return row, index
    raise NotFound(_("No such KPI in this agreement."))


def protocol_of(kpi: contracts.Kpi) -> acceptance.Protocol | None:
    """The library's protocol for a KPI of the terms (its name, committed value, unit and direction)."""
    p = kpi.protocol
    if p is None:
        return None
    info = acceptance.METRICS[acceptance.Metric(p.metric)]
    return acceptance.Protocol(kpi=kpi.name, metric=p.metric, target=kpi.committed,
                               direction=None if info.direction else kpi.direction.value,
                               unit=None if info.unit is not None else kpi.unit, decimals=p.decimals,
                               data=p.data, classes=p.classes, positive_class=p.positive_class,
                               period=p.period)


def signed_terms(session: Session, agreement: Agreement) -> contracts.AgreementTerms:
    return agreements.terms_of(agreements.get_version(session, agreement, agreement.signed_version))


def kpi_ids(session: Session, agreement: Agreement) -> dict[str, int]:
    """KPI name -> the problem's KPI id (the id the API paths use)."""
    rows = session.exec(select(ProblemKpi).where(ProblemKpi.problem_id == agreement.problem_id))
    return {k.name: k.id for k in rows}
