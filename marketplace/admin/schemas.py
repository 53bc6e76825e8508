"""Contracts of the administrators' API: the organisation verification queue."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from domain.brn import BrnError, format_brn, validate_brn
from marketplace.accounts.models import OrgKind
from marketplace.core.schemas import PageQuery


class OrganisationVerificationQuery(PageQuery):
    state: Literal["pending", "verified", "all"] = Field(
        default="pending", description="waiting for verification (the default), verified, or all")


class BusinessNumberCheck(BaseModel):
    number: str = Field(description="the 사업자등록번호 as 123-45-67890")
    valid: bool = Field(description="python-stdnum's check (format, parts) and the National Tax Service's check "
                                    "digit")
    problem: Literal["format", "component", "checksum"] | None = Field(
        default=None, description="why it is not valid")

    @classmethod
    def of(cls, brn: str) -> BusinessNumberCheck:
        """The stored number checked again by :mod:`domain.brn` (python-stdnum and the check digit)."""
        try:
            return cls(number=format_brn(validate_brn(brn)), valid=True)
        except BrnError as exc:
            return cls(number=brn, valid=False, problem=exc.reason)


class Verifier(BaseModel):
    id: int
    name: str
    email: str


class EvidenceDocument(BaseModel):
    """A verification document the organisation uploaded (사업자등록증 and the like)."""

    id: int
    filename: str
    kind: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: datetime
    content_url: str = Field(description="download it (organisation members and administrators only)")


class OrganisationVerificationOut(BaseModel):
    organisation_id: int
    kind: OrgKind
    name_ko: str
    name_en: str
    region: str
    industry: str
    registered_at: datetime
    business_number: BusinessNumberCheck
    documents: list[EvidenceDocument] = Field(description="its uploaded verification documents, newest first")
    verified: bool
    verified_at: datetime | None
    verified_by: Verifier | None = Field(description="the administrator who verified it; null before, or when "
                                                     "the demo seed did")


class OrganisationVerificationList(BaseModel):
    items: list[OrganisationVerificationOut]
    total: int
    page: int
    per_page: int
