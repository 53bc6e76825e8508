"""The agreement PDF: the stored signed bytes, or a freshly rendered draft."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

import contracts
from marketplace.agreements.models import Agreement, VersionStatus
from marketplace.agreements.schemas import PdfQuery
from marketplace.agreements.services.reading import get_version, terms_of


@dataclass(frozen=True)
class Pdf:
    data: bytes
    filename: str
    draft: bool


def agreement_pdf(session: Session, agreement: Agreement, query: PdfQuery) -> Pdf:
    """The signed PDF when the version is signed, else a freshly rendered draft marked as such."""
    lang = query.lang
    version = get_version(session, agreement, query.version)
    if version.status == VersionStatus.SIGNED:
        data = version.pdf_ko if lang == "ko" else version.pdf_en
        return Pdf(data, f"agreement-{agreement.id}-v{version.number}-{lang}.pdf", False)
    terms = terms_of(version)
    draft = terms.replace(agreement_id=f"{terms.agreement_id}-DRAFT")
    return Pdf(contracts.render_pdf(draft, lang), f"agreement-{agreement.id}-v{version.number}-{lang}-draft.pdf",
               True)
