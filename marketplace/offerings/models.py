"""A vendor's solution offering, described in the same vocabulary as problems."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, enum_column, json_list_field, money_field, updated_at_field


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
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
