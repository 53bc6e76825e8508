"""Subsidy programs run by public agencies, the SME applications to them, brokered vendor
recommendations and the subsidy ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.models import (
    created_at_field,
    enum_column,
    json_list_field,
    money_field,
    timestamp_field,
    updated_at_field,
)
from marketplace.problems.models import Problem


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ApplicationStatus(StrEnum):
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"


class SubsidyStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"      # reserved against the budget
    REJECTED = "rejected"
    COMMITTED = "committed"    # the agreement is signed
    RELEASED = "released"      # cancelled after approval; the money is free again


#: Subsidies that hold a problem's one active slot.
ACTIVE_SUBSIDY_STATES = (SubsidyStatus.PENDING, SubsidyStatus.APPROVED, SubsidyStatus.COMMITTED)
_active_sql = "status IN ('pending', 'approved', 'committed')"


class Program(SQLModel, table=True):
    __tablename__ = "program"
    __table_args__ = (
        sa.CheckConstraint("total_budget_krw > 0", name="budget_positive"),
        sa.CheckConstraint("subsidy_ratio > 0 AND subsidy_ratio <= 1", name="subsidy_ratio_range"),
        sa.CheckConstraint("min_own_share_ratio >= 0 AND min_own_share_ratio < 1", name="own_share_range"),
        sa.CheckConstraint("cap_per_project_krw > 0 AND cap_per_project_krw <= total_budget_krw",
                           name="cap_within_budget"),
        sa.CheckConstraint("closes_on >= opens_on", name="window_ordered"),
        sa.CheckConstraint("max_employees IS NULL OR max_employees >= 0", name="max_employees_not_negative"),
        sa.CheckConstraint("max_revenue_krw IS NULL OR max_revenue_krw >= 0", name="max_revenue_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    status: ProgramStatus = Field(default=ProgramStatus.DRAFT,
                                  sa_column=enum_column(ProgramStatus, "program_status", index=True))
    name_ko: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    description_ko: str = Field(default="", sa_type=sa.Text)
    description_en: str = Field(default="", sa_type=sa.Text)

    total_budget_krw: int = money_field()
    subsidy_ratio: Decimal = Field(sa_type=sa.Numeric(5, 4))
    cap_per_project_krw: int = money_field()
    min_own_share_ratio: Decimal = Field(default=Decimal(0), sa_type=sa.Numeric(5, 4))

    max_employees: int | None = Field(default=None)
    max_revenue_krw: int | None = money_field(nullable=True)
    regions: list[str] = json_list_field()
    industries: list[str] = json_list_field()
    problem_types: list[str] = json_list_field()
    exclude_previously_subsidised: bool = Field(default=False)
    #: problems already open to vendors (enquiries, bidding) may still apply; otherwise drafts only
    accepts_open_problems: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})

    opens_on: date
    closes_on: date
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_ko


class Application(SQLModel, table=True):
    """An SME's problem entered into a program; recorded only when it was eligible."""

    __tablename__ = "program_application"
    __table_args__ = (sa.UniqueConstraint("program_id", "problem_id", name="uq_program_application_problem"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    problem_id: int = Field(foreign_key="problem.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    applied_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    status: ApplicationStatus = Field(default=ApplicationStatus.ACCEPTED,
                                      sa_column=enum_column(ApplicationStatus, "application_status"))
    created_at: datetime = created_at_field()


class Recommendation(SQLModel, table=True):
    """An agency officer suggests a vendor to the SME of a program problem (brokered shortlist)."""

    __tablename__ = "recommendation"
    __table_args__ = (sa.UniqueConstraint("program_id", "problem_id", "vendor_id",
                                          name="uq_recommendation_triple"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    problem_id: int = Field(foreign_key="problem.id", index=True, ondelete="CASCADE")
    vendor_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    offering_id: int | None = Field(default=None, foreign_key="offering.id", ondelete="SET NULL")
    recommended_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    score: float | None = Field(default=None)
    created_at: datetime = created_at_field()


class Subsidy(SQLModel, table=True):
    """The subsidy on an awarded bid: pending → approved (reserved) → committed, or rejected / released."""

    __tablename__ = "subsidy"
    __table_args__ = (
        # One active subsidy per problem, whatever the application does.
        sa.Index("uq_subsidy_one_active", "problem_id", unique=True,
                 sqlite_where=sa.text(_active_sql), postgresql_where=sa.text(_active_sql)),
        sa.CheckConstraint("amount_krw >= 0", name="amount_not_negative"),
        sa.CheckConstraint("own_share_krw >= 0", name="own_share_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True, ondelete="CASCADE")
    problem_id: int = Field(foreign_key="problem.id", index=True, ondelete="CASCADE")
    bid_id: int = Field(foreign_key="bid.id", index=True, ondelete="CASCADE")
    price_krw: int = money_field()
    amount_krw: int = money_field()
    own_share_krw: int = money_field()
    status: SubsidyStatus = Field(default=SubsidyStatus.PENDING,
                                  sa_column=enum_column(SubsidyStatus, "subsidy_status", index=True))
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    decided_at: datetime | None = timestamp_field()
    reason: str | None = Field(default=None, max_length=500)
    committed_at: datetime | None = timestamp_field()
    released_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


# ``problem.program_id`` exists since 0002 without a foreign key; migration 0004 adds it. The constraint is
# declared here so the problems area need not import programs (its proper home is problems/models.py).
if not Problem.__table__.c.program_id.foreign_keys:
    Problem.__table__.append_constraint(
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], ondelete="SET NULL"))
