"""Public verification: is this PDF (or SHA-256) a signed AX Bridge agreement?"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation
from marketplace.agreements.models import Agreement, AgreementStatus, AgreementVersion, VersionStatus
from marketplace.agreements.schemas import VerifyHashIn
from marketplace.audit.models import AuditEntry
from marketplace.core.errors import ValidationFailed


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
@dataclass(frozen=True)
class Verification:
    verified: bool
    sha256: str
    agreement_id: int | None = None
    reference: str | None = None
    version: int | None = None
    language: str | None = None
    signed_at: datetime | None = None
    #: a terminated agreement's PDF is still authentic, but no longer in force: when, and which party ended it
    terminated_at: datetime | None = None
    terminated_by_ko: str | None = None
    terminated_by_en: str | None = None

    @property
    def in_force(self) -> bool:
        return self.verified and self.terminated_at is None

    def terminated_by(self, lang: str) -> str | None:
        return self.terminated_by_en if lang == "en" else self.terminated_by_ko


def _termination(session: Session, agreement: Agreement) -> dict:
    """When the agreement was terminated and by which party (from its audit entry), or nothing."""
    if agreement.status != AgreementStatus.TERMINATED:
        return {}
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "agreement_terminated",
                                                  AuditEntry.object_type == "agreement",
                                                  AuditEntry.object_id == agreement.id)
                         .order_by(AuditEntry.seq.desc())).first()
    org = session.get(Organisation, entry.organisation_id) if entry and entry.organisation_id else None
    return {"terminated_at": entry.created_at if entry else agreement.updated_at,
            "terminated_by_ko": org.name_ko if org else "", "terminated_by_en": org.name_en if org else ""}


def verify_sha256(session: Session, digest: VerifyHashIn) -> Verification:
    """Whether a SHA-256 is that of a signed AX Bridge agreement PDF; tells nothing of its content."""
    value = digest.sha256
    for column, lang in ((AgreementVersion.sha256_ko, "ko"), (AgreementVersion.sha256_en, "en")):
        version = session.exec(select(AgreementVersion).where(column == value,
                                                              AgreementVersion.status == VersionStatus.SIGNED)).first()
        if version is not None:
            agreement = session.get(Agreement, version.agreement_id)
            return Verification(True, value, agreement.id, agreement.reference, version.number, lang,
                                version.signed_at, **_termination(session, agreement))
    return Verification(False, value)


def verify_pdf(session: Session, data: bytes | None) -> Verification:
    if not data:
        raise ValidationFailed(_("Choose a PDF file to check."), field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge()
    if not data.startswith(b"%PDF-"):
        raise ValidationFailed(_("This file is not a PDF."), field="file")
    return verify_sha256(session, VerifyHashIn(sha256=hashlib.sha256(data).hexdigest()))


class UploadTooLarge(ValidationFailed):
    status = 413
    type_slug = "too-large"

    def __init__(self):
        super().__init__(_("The file is larger than 10 MB."), field="file")
