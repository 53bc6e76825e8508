"""Input and output contracts of agreements, milestones, reviews and the public verification."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from marketplace.core.schemas import Id, Strict


class AgreementPath(Strict):
    agreement_id: Id


class MilestonePath(Strict):
    milestone_id: Id


class SignIn(Strict):
    password: str = Field(min_length=1, max_length=256, description="the signer's password, entered again")


class ProposalIn(Strict):
    ip_ownership: str | None = Field(default=None, description="sme | vendor_licensed | joint")
    warranty_months: int | None = Field(default=None, ge=0, le=120)
    liability_cap_multiple: Decimal | None = Field(default=None, ge=Decimal("0.1"), le=10, allow_inf_nan=False)
    acceptance_days: int | None = Field(default=None, ge=1, le=180)
    resubmission_days: int | None = Field(default=None, ge=1, le=180)
    maintenance_yearly_won: int | None = Field(default=None, ge=0)
    maintenance_years: int | None = Field(default=None, ge=0, le=20)
    milestone_due_dates: dict[int, date] | None = Field(default=None, description="{sequence: YYYY-MM-DD}")
    note: str = Field(default="", max_length=500)


class TerminateIn(Strict):
    reason: str = Field(min_length=1, max_length=1000)
    password: str = Field(min_length=1, max_length=256, description="the owner's password, entered again")


class DeliverIn(Strict):
    note: str = Field(default="", max_length=2000)


class MilestoneRejectIn(Strict):
    reason: str = Field(min_length=1, max_length=1000)


class ReviewIn(Strict):
    scores: dict[str, int] = Field(description="a score 1–5 for each of the client's criteria with a weight above 0")
    comment: str = Field(default="", max_length=4000)


class PartyOut(BaseModel):
    id: int | None = Field(description="the organisation (None only if a member's organisation was deleted)")
    role: str = Field(description="client | member | vendor")
    name: str
    business_registration_no: str
    share_won: int | None = Field(default=None, description="a member SME's share of the SME cost")
    signed_at: datetime | None
    signer_name: str | None


class ChangeOut(BaseModel):
    path: str
    label: str
    kind: str
    old: str
    new: str


class VersionOut(BaseModel):
    number: int
    status: str
    proposed_by_id: int | None
    created_at: datetime
    signed_at: datetime | None
    sha256_ko: str | None
    sha256_en: str | None
    terms: dict
    changes: list[ChangeOut]


class MilestoneOut(BaseModel):
    id: int
    sequence: int
    name: str
    deliverable: str
    due_date: date
    payment_percent: int
    amount_krw: int
    status: str
    deliveries: int
    delivery_note: str
    delivered_at: datetime | None
    decided_at: datetime | None
    reason: str | None


class ReviewOut(BaseModel):
    id: int
    agreement_id: int
    vendor_id: int
    offering_id: int | None
    scores: dict[str, int]
    score: Decimal
    comment: str
    created_at: datetime


class AgreementOut(BaseModel):
    id: int
    reference: str
    problem_id: int
    bid_id: int
    status: str
    current_version: int
    signed_version: int | None
    client: PartyOut
    vendor: PartyOut
    members: list[PartyOut] = Field(description="the member SMEs of a cooperative's joint problem, who sign too")
    parties: list[PartyOut] = Field(description="every signing party of the current version, in signing order: "
                                                "client, members, vendor")
    version: VersionOut
    milestones: list[MilestoneOut]
    review: ReviewOut | None


class VerificationOut(BaseModel):
    verified: bool
    sha256: str
    agreement_id: int | None = None
    version: int | None = None
    language: str | None = None
    signed_at: datetime | None = None
    message: str


class PdfQuery(Strict):
    lang: str = Field(default="ko", pattern="^(ko|en)$")
    version: int | None = Field(default=None, ge=1)
