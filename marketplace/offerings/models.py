"""A vendor's solution offering, described in the same vocabulary as problems."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, enum_column, json_list_field, money_field, timestamp_field, \
    updated_at_field


class OfferingStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class Offering(SQLModel, table=True):
    __tablename__ = "offering"
    __table_args__ = (
        sa.CheckConstraint("price_min_krw >= 0 AND price_min_krw <= price_max_krw", name="price_range_ordered"),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("typical_weeks > 0", name="typical_weeks_positive"),
        sa.CheckConstraint("completed_projects >= 0", name="completed_projects_not_negative"),
        sa.CheckConstraint("mean_review IS NULL OR (mean_review >= 1 AND mean_review <= 5)", name="mean_review_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    status: OfferingStatus = Field(default=OfferingStatus.ACTIVE,
                                   sa_column=enum_column(OfferingStatus, "offering_status", index=True))
    title: str = Field(max_length=200)
    description: str = Field(sa_type=sa.Text)
    capabilities: list[str] = json_list_field()
    industries: list[str] = json_list_field()
    regions_served: list[str] = json_list_field()
    deployment_modes: list[str] = json_list_field()
    price_min_krw: int = money_field()
    price_max_krw: int = money_field()
    typical_weeks: int
    capacity: int = Field(default=1, description="open project slots")
    #: criterion -> 0..1, how strongly the offering serves each of the SME criteria
    profile: dict[str, float] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    #: past projects: [{"title", "client_description", "kpi", "achieved"}]
    reference_projects: list[dict] = json_list_field()
    #: declared track record; verified reviews (agreements) add to it
    completed_projects: int = Field(default=0)
    mean_review: Decimal | None = Field(default=None, sa_type=sa.Numeric(3, 2))
    #: the semantic channel's vector of the offering's text (title, description, capabilities): float32 bytes,
    #: computed when the offering is written (:mod:`marketplace.offerings.services.embedding`); ``None`` until
    #: then (rows from before migration 0017: the index refresh job fills them in)
    embedding: bytes | None = Field(default=None, sa_type=sa.LargeBinary, repr=False)
    #: the model that made ``embedding`` (checked by the ranking index against its own)
    embedding_model: str | None = Field(default=None, max_length=80)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class VendorEvidence(SQLModel, table=True):
    """One past project counted as confirmed or verified evidence: written by the platform only.

    ``source`` says what produced it (``reference``: a reference customer's answer; ``review``: the SME's
    review of a completed agreement; ``kpi_result``: a KPI measured at acceptance); ``source_key`` makes
    recording it again a no-op.
    """

    __tablename__ = "vendor_evidence"
    __table_args__ = (
        sa.UniqueConstraint("source", "source_key", name="uq_vendor_evidence_source"),
        sa.CheckConstraint("attainment >= 0 AND attainment <= 1", name="attainment_share"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    offering_id: int | None = Field(default=None, foreign_key="offering.id", ondelete="SET NULL")
    provenance: str = Field(max_length=12)
    attainment: Decimal = Field(sa_type=sa.Numeric(5, 4))
    source: str = Field(max_length=20)
    source_key: str = Field(max_length=80)
    label: str = Field(default="", max_length=200)
    created_at: datetime = created_at_field()


class ReferenceConfirmation(SQLModel, table=True):
    """A one-time link sent to a reference customer's e-mail address; only the SHA-256 of its token is kept."""

    __tablename__ = "reference_confirmation"

    id: int | None = Field(default=None, primary_key=True)
    offering_id: int = Field(foreign_key="offering.id", index=True, ondelete="CASCADE")
    #: the reference's position in the offering's list (1-based) and its title when the link was sent
    ref_index: int
    reference_title: str = Field(max_length=200)
    email: str = Field(max_length=254)
    token_sha256: str = Field(max_length=64, unique=True)
    expires_at: datetime = timestamp_field(nullable=False)
    used_at: datetime | None = timestamp_field()
    delivered: str | None = Field(default=None, sa_type=sa.Text)
    attainment_percent: int | None = Field(default=None)
    created_at: datetime = created_at_field()
