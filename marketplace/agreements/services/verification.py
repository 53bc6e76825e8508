"""Public verification: is this PDF (or SHA-256) a signed AX Bridge agreement?"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.agreements.models import Agreement, AgreementVersion, VersionStatus
from marketplace.agreements.schemas import VerifyHashIn
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


def verify_sha256(session: Session, digest: VerifyHashIn) -> Verification:
    """Whether a SHA-256 is that of a signed AX Bridge agreement PDF; tells nothing of its content."""
    value = digest.sha256
    for column, lang in ((AgreementVersion.sha256_ko, "ko"), (AgreementVersion.sha256_en, "en")):
        version = session.exec(select(AgreementVersion).where(column == value,
                                                              AgreementVersion.status == VersionStatus.SIGNED)).first()
        if version is not None:
            agreement = session.get(Agreement, version.agreement_id)
            return Verification(True, value, agreement.id, agreement.reference, version.number, lang,
                                version.signed_at)
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
