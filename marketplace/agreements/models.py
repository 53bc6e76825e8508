"""The project agreement of an awarded problem, its parties, versions, signatures, milestones and the review.

One agreement per problem (unique constraint). The client and the vendor are columns of
:class:`Agreement`; the member SMEs of a cooperative's joint problem, who pay a share and sign too,
are :class:`AgreementMember` rows written when the agreement is drafted. Each change of terms is a new
:class:`AgreementVersion`; a signed version never changes (the service refuses, and database
triggers from migration 0006 raise on any UPDATE or DELETE of a signed row).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.models import (
    created_at_field,
    enum_column,
    money_field,
    timestamp_field,
    updated_at_field,
)


class AgreementStatus(StrEnum):
    DRAFT = "draft"                              # the current version has no signature yet
    PENDING_SIGNATURES = "pending_signatures"    # some, not all, parties have signed the current version
    SIGNED = "signed"                            # every party signed the current version
    TERMINATED = "terminated"


class VersionStatus(StrEnum):
    DRAFT = "draft"              # open for signatures
    SUPERSEDED = "superseded"    # replaced by a proposal before it was signed
    SIGNED = "signed"            # immutable


class MilestoneStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Agreement(SQLModel, table=True):
    __tablename__ = "agreement"
    __table_args__ = (sa.UniqueConstraint("problem_id", name="uq_agreement_problem_id"),)

    id: int | None = Field(default=None, primary_key=True)
    problem_id: int = Field(foreign_key="problem.id", ondelete="CASCADE")
    bid_id: int = Field(foreign_key="bid.id", index=True, ondelete="CASCADE")
    client_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    vendor_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    status: AgreementStatus = Field(default=AgreementStatus.DRAFT,
                                    sa_column=enum_column(AgreementStatus, "agreement_status", index=True))
    current_version: int = Field(default=1)
    #: the number of the latest signed version (the one in force), if any
    signed_version: int | None = Field(default=None)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    @property
    def reference(self) -> str:
        return f"AXB-{self.created_at.year}-{self.id:06d}"


class AgreementMember(SQLModel, table=True):
    """A member SME of the cooperative client that is a party of the agreement: it pays a share and signs.

    Written once, when the agreement is drafted, from the same members that go into the terms
    (``position`` is the member's place in ``terms.members``, which is also the signing order);
    the cooperative's membership changing later does not change who signed up to the agreement.
    """

    __tablename__ = "agreement_member"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "position", name="uq_agreement_member_position"),
                      sa.CheckConstraint("position >= 1", name="position_positive"))

    agreement_id: int = Field(foreign_key="agreement.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True, index=True, ondelete="CASCADE")
    position: int


class AgreementVersion(SQLModel, table=True):
    __tablename__ = "agreement_version"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "number", name="uq_agreement_version_number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("status <> 'signed' OR (sha256_ko IS NOT NULL AND sha256_en IS NOT NULL "
                           "AND pdf_ko IS NOT NULL AND pdf_en IS NOT NULL AND signed_at IS NOT NULL)",
                           name="signed_has_pdf"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    number: int
    #: contracts.terms_to_dict of the terms (with the signatures once signed)
    terms: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    status: VersionStatus = Field(default=VersionStatus.DRAFT,
                                  sa_column=enum_column(VersionStatus, "agreement_version_status"))
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    proposed_by_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    note: str = Field(default="", max_length=500)
    sha256_ko: str | None = Field(default=None, max_length=64, index=True)
    sha256_en: str | None = Field(default=None, max_length=64, index=True)
    pdf_ko: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    pdf_en: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    signed_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class Signature(SQLModel, table=True):
    __tablename__ = "agreement_signature"
    __table_args__ = (sa.UniqueConstraint("version_id", "organisation_id", name="uq_agreement_signature_party"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    signer_name: str = Field(max_length=100)
    signed_at: datetime = created_at_field()
    ip_address: str = Field(max_length=45)
    user_agent: str = Field(default="", max_length=255)


class AgreementMilestone(SQLModel, table=True):
    __tablename__ = "agreement_milestone"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "sequence", name="uq_agreement_milestone_sequence"),
        sa.CheckConstraint("payment_percent BETWEEN 0 AND 100", name="payment_percent_range"),
        sa.CheckConstraint("amount_krw >= 0", name="amount_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    sequence: int
    name: str = Field(max_length=200)
    deliverable: str = Field(default="", max_length=300)
    due_date: date
    payment_percent: int
    amount_krw: int = money_field()
    status: MilestoneStatus = Field(default=MilestoneStatus.PENDING,
                                    sa_column=enum_column(MilestoneStatus, "agreement_milestone_status"))
    deliveries: int = Field(default=0)
    delivery_note: str = Field(default="", max_length=2000)
    delivered_at: datetime | None = timestamp_field()
    decided_at: datetime | None = timestamp_field()
    reason: str | None = Field(default=None, max_length=1000)


class Review(SQLModel, table=True):
    """The SME's verified review of the vendor after completion: one per agreement."""

    __tablename__ = "agreement_review"
    __table_args__ = (sa.UniqueConstraint("agreement_id", name="uq_agreement_review_agreement_id"),
                      sa.CheckConstraint("score >= 1 AND score <= 5", name="score_range"))

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", ondelete="CASCADE")
    vendor_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    offering_id: int | None = Field(default=None, foreign_key="offering.id", ondelete="SET NULL")
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    #: {criterion: 1..5} for each of the SME's criteria with a weight above zero
    scores: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    #: the weighted mean of the scores (by the SME's weights)
    score: Decimal = Field(sa_type=sa.Numeric(3, 2))
    comment: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = created_at_field()
