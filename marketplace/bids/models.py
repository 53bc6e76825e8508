"""A vendor's sealed bid on a problem."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from marketplace.bids.commitments import KpiCommitment
from marketplace.core.models import created_at_field, enum_column, json_list_field, money_field, timestamp_field, \
    updated_at_field


class ExplanationState(StrEnum):
    """The abnormally-low-price milestone (EU 2014/24 art. 69): asked, answered, then accepted or rejected."""

    REQUESTED = "requested"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class BidState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    INVALIDATED = "invalidated"
    SHORTLISTED = "shortlisted"
    REJECTED = "rejected"
    AWARDED = "awarded"


#: Bids that take part in the evaluation.
LIVE_STATES = frozenset({BidState.SUBMITTED, BidState.SHORTLISTED})


def commitment_list(rows: Iterable[KpiCommitment | dict[str, Any]] | None) -> list[KpiCommitment]:
    """Commitments as objects, whether given as objects or as the dicts the column stores."""
    return [row if isinstance(row, KpiCommitment) else KpiCommitment.model_validate(row) for row in rows or ()]


class CommitmentsJSON(TypeDecorator):
    """A bid's KPI commitments: :class:`KpiCommitment` objects in Python, a JSON list in the database
    (``[{"kpi_id": 3, "name": "불량률", "unit": "%", "value": "1.5"}]``; the value as text, so no digit is lost)."""

    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else [c.model_dump(mode="json") for c in commitment_list(value)]

    def process_result_value(self, value, dialect):
        return None if value is None else commitment_list(value)


class Bid(SQLModel, table=True):
    __tablename__ = "bid"
    __table_args__ = (
        sa.UniqueConstraint("problem_id", "vendor_id", name="uq_bid_one_per_vendor"),
        # At most one awarded bid per problem, whatever the application does.
        sa.Index("uq_bid_one_award", "problem_id", unique=True,
                 sqlite_where=sa.text("state = 'awarded'"), postgresql_where=sa.text("state = 'awarded'")),
        # Drafts may lack a price or duration; a submitted bid has both (the service checks).
        sa.CheckConstraint("price_krw IS NULL OR price_krw > 0", name="price_positive"),
        sa.CheckConstraint("duration_weeks IS NULL OR duration_weeks > 0", name="duration_positive"),
        sa.CheckConstraint("maintenance_yearly_krw >= 0", name="maintenance_not_negative"),
        sa.CheckConstraint("maintenance_years >= 0", name="maintenance_years_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    problem_id: int = Field(foreign_key="problem.id", index=True, ondelete="CASCADE")
    vendor_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    offering_id: int | None = Field(default=None, foreign_key="offering.id", ondelete="SET NULL")
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    state: BidState = Field(default=BidState.DRAFT, sa_column=enum_column(BidState, "bid_state", index=True))
    #: the problem revision the bid answers; editing the problem during bidding invalidates older bids
    problem_revision: int = Field(default=1)

    price_krw: int | None = money_field(nullable=True)
    duration_weeks: int | None = Field(default=None)
    approach: str = Field(default="", sa_type=sa.Text)
    team: str = Field(default="", sa_type=sa.Text)
    #: [{"name", "deliverable", "week", "payment_percent"}], percents sum to 100
    milestones: list[dict] = json_list_field()
    #: the value the vendor promises for each KPI of the problem (in the problem's KPI order)
    kpi_commitments: list[KpiCommitment] = Field(default_factory=list, sa_type=CommitmentsJSON, nullable=False)
    maintenance_yearly_krw: int = money_field(default=0)
    maintenance_years: int = Field(default=0)
    service_level: str = Field(default="", max_length=500)

    submitted_at: datetime | None = timestamp_field()
    withdrawn_at: datetime | None = timestamp_field()
    invalidated_at: datetime | None = timestamp_field()
    decided_at: datetime | None = timestamp_field()
    decision_reason: str | None = Field(default=None, max_length=500)
    #: why the SME awarded this bid although it was not the top-scored one (shown to every bidder)
    award_reason: str | None = Field(default=None, max_length=500)
    #: SHA-256 of the bid's scored terms when it was (last) submitted; checked at evaluation
    commitment_sha256: str | None = Field(default=None, max_length=64)
    explanation_state: ExplanationState | None = Field(
        default=None, sa_column=enum_column(ExplanationState, "explanation_state", nullable=True))
    explanation_question: str | None = Field(default=None, sa_type=sa.Text)
    explanation_requested_at: datetime | None = timestamp_field()
    explanation_due_at: datetime | None = timestamp_field()
    explanation: str | None = Field(default=None, sa_type=sa.Text)
    explained_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    def __setattr__(self, name: str, value: Any) -> None:
        # Whatever is assigned (objects, or dicts as stored), the commitments are KpiCommitment objects.
        super().__setattr__(name, commitment_list(value) if name == "kpi_commitments" else value)

