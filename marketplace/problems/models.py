"""A problem an SME (or a cooperative for its members) wants solved, with its KPIs and criteria."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from domain.criteria import CRITERIA, WEIGHT_MAX, WEIGHT_MIN, WEIGHTS_TOTAL
from domain.kpi import KpiDirection
from marketplace.core.models import (
    created_at_field,
    enum_column,
    json_list_field,
    money_field,
    timestamp_field,
    updated_at_field,
)
from marketplace.core.types import UTCDateTime


class ProblemState(StrEnum):
    DRAFT = "draft"
    ENQUIRIES = "enquiries"
    BIDDING = "bidding"
    EVALUATION = "evaluation"
    AWARDED = "awarded"
    CONTRACTED = "contracted"
    IN_DELIVERY = "in_delivery"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    UNSUCCESSFUL = "unsuccessful"


#: States in which vendors can see a problem (subject to its visibility).
PUBLISHED_STATES = frozenset(ProblemState) - {ProblemState.DRAFT}
#: States from which a problem can still be cancelled.
OPEN_STATES = frozenset({ProblemState.DRAFT, ProblemState.ENQUIRIES, ProblemState.BIDDING, ProblemState.EVALUATION})


class Visibility(StrEnum):
    PUBLIC = "public"          # company named
    ANONYMOUS = "anonymous"    # brief public, company hidden until the SME reveals it
    INVITED = "invited"        # only vendors the SME invited


DEFAULT_WEIGHTS = {"quality": 20, "throughput": 10, "cost": 20, "delivery_speed": 15, "explainability": 10,
                   "data_privacy": 10, "maintenance": 15}

# The database backs up domain.criteria.Weights with the same numbers.
_weights_sum = " + ".join(f"w_{c}" for c in CRITERIA) + f" = {WEIGHTS_TOTAL}"


class Problem(SQLModel, table=True):
    __tablename__ = "problem"
    __table_args__ = (
        sa.CheckConstraint(_weights_sum, name="weights_sum_to_100"),
        *(sa.CheckConstraint(f"w_{c} BETWEEN {WEIGHT_MIN} AND {WEIGHT_MAX}", name=f"w_{c}_range") for c in CRITERIA),
        sa.CheckConstraint("budget_min_krw IS NULL OR budget_min_krw >= 0", name="budget_min_not_negative"),
        sa.CheckConstraint("budget_min_krw IS NULL OR budget_max_krw IS NULL OR budget_min_krw <= budget_max_krw",
                           name="budget_range_ordered"),
        sa.CheckConstraint("amendment_min_days BETWEEN 1 AND 30", name="amendment_min_days_range"),
        sa.CheckConstraint("tco_horizon_years BETWEEN 1 AND 10", name="tco_horizon_years_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    state: ProblemState = Field(default=ProblemState.DRAFT, sa_column=enum_column(ProblemState, "problem_state",
                                                                                   index=True))
    visibility: Visibility = Field(default=Visibility.PUBLIC, sa_column=enum_column(Visibility, "visibility"))
    revision: int = Field(default=1, description="bumped on every edit after publication")
    wizard_step: int = Field(default=1)

    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    process: str | None = Field(default=None, max_length=120)
    industry: str | None = Field(default=None, max_length=8)
    problem_types: list[str] = json_list_field()
    data_assets: list[dict] = json_list_field()
    systems: list[str] = json_list_field()
    on_premises_required: bool = Field(default=False)
    budget_min_krw: int | None = money_field(nullable=True)
    budget_max_krw: int | None = money_field(nullable=True)
    wanted_by: date | None = Field(default=None)

    w_quality: int = Field(default=DEFAULT_WEIGHTS["quality"])
    w_throughput: int = Field(default=DEFAULT_WEIGHTS["throughput"])
    w_cost: int = Field(default=DEFAULT_WEIGHTS["cost"])
    w_delivery_speed: int = Field(default=DEFAULT_WEIGHTS["delivery_speed"])
    w_explainability: int = Field(default=DEFAULT_WEIGHTS["explainability"])
    w_data_privacy: int = Field(default=DEFAULT_WEIGHTS["data_privacy"])
    w_maintenance: int = Field(default=DEFAULT_WEIGHTS["maintenance"])

    program_id: int | None = Field(default=None, index=True)
    #: the years after delivery over which bids' total cost of ownership is counted
    tco_horizon_years: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    #: SHA-256 of the published weights (and horizon) recorded when bidding opens; checked at evaluation
    weights_sha256: str | None = Field(default=None, max_length=64)
    #: whether the opening result names the other bidders (else "Bidder A, B, ...")
    opening_shows_names: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    identity_revealed: bool = Field(default=False)
    published_at: datetime | None = timestamp_field()
    bidding_opened_at: datetime | None = timestamp_field()
    bid_deadline: datetime | None = timestamp_field()
    #: an amendment during bidding leaves vendors at least this many days before the deadline
    amendment_min_days: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    reminder_sent_at: datetime | None = timestamp_field()
    cancelled_at: datetime | None = timestamp_field()
    cancel_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    @property
    def weights(self) -> dict[str, int]:
        return {c: getattr(self, f"w_{c}") for c in CRITERIA}

    def set_weights(self, weights: dict[str, int]) -> None:
        for c in CRITERIA:
            setattr(self, f"w_{c}", int(weights[c]))


class ProblemKpi(SQLModel, table=True):
    """A measurable goal: 불량률 3.2% → 1.0%. Bids commit a value per KPI; the contract tests it."""

    __tablename__ = "problem_kpi"
    __table_args__ = (sa.UniqueConstraint("problem_id", "position", name="uq_problem_kpi_position"),)

    id: int | None = Field(default=None, primary_key=True)
    problem_id: int = Field(foreign_key="problem.id", index=True, ondelete="CASCADE")
    position: int
    name: str = Field(max_length=80)
    unit: str = Field(default="", max_length=20)
    baseline: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 4))
    target: Decimal | None = Field(default=None, sa_type=sa.Numeric(18, 4))
    direction: KpiDirection = Field(default=KpiDirection.LOWER, sa_column=enum_column(KpiDirection, "kpi_direction"))
    #: how it is measured (problems/measurement.py): a metric code of acceptance.metrics.Metric, what it is
    #: measured on (holdout | measured) and the period and data in the SME's words; None: not said yet
    metric: str | None = Field(default=None, max_length=20)
    measured_on: str | None = Field(default=None, max_length=10)
    period: str = Field(default="", max_length=200)


class ProblemInvitation(SQLModel, table=True):
    """The SME invited a vendor to bid (the only way to see an invited-only problem)."""

    __tablename__ = "problem_invitation"

    problem_id: int = Field(foreign_key="problem.id", primary_key=True, ondelete="CASCADE")
    vendor_id: int = Field(foreign_key="organisation.id", primary_key=True, ondelete="CASCADE")
    invited_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class Question(SQLModel, table=True):
    """A vendor's public question on a problem. Every vendor sees the answer, nobody sees who asked."""

    __tablename__ = "question"

    id: int | None = Field(default=None, primary_key=True)
    problem_id: int = Field(foreign_key="problem.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    asked_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    body: str = Field(sa_type=sa.Text)
    answer: str | None = Field(default=None, sa_type=sa.Text)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    #: the SME hid an abusive question: vendors no longer see it (the reason is also in the audit log)
    hidden_at: datetime | None = timestamp_field()
    hidden_reason: str | None = Field(default=None, max_length=500)
    hidden_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")


class ProblemShare(SQLModel, table=True):
    """A member SME's share (percent) of the SME cost of a cooperative's joint problem."""

    __tablename__ = "problem_share"
    __table_args__ = (sa.CheckConstraint("share_percent > 0 AND share_percent <= 100", name="share_range"),)

    problem_id: int = Field(foreign_key="problem.id", primary_key=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="organisation.id", primary_key=True, ondelete="CASCADE")
    share_percent: Decimal = Field(sa_type=sa.Numeric(5, 2))


class ProblemAmendment(SQLModel, table=True):
    """정정공고: a published change of a problem during bidding, field by field (old → new), with the deadline
    it moved to and whether submitted bids must be confirmed again."""

    __tablename__ = "problem_amendment"
    __table_args__ = (sa.UniqueConstraint("problem_id", "number", name="uq_problem_amendment_number"),
                      sa.CheckConstraint("number >= 1", name="number_positive"))

    id: int | None = Field(default=None, primary_key=True)
    problem_id: int = Field(foreign_key="problem.id", index=True, ondelete="CASCADE")
    number: int
    revision: int = Field(description="the problem's revision this amendment published")
    #: [{"field": "budget_max_krw", "old": "35000000", "new": "50000000"}, ...]
    changes: list[dict] = json_list_field()
    reconfirm: bool = Field(default=False, description="the change touches what bids priced")
    deadline_before: datetime | None = timestamp_field()
    deadline_after: datetime | None = timestamp_field()
    note: str = Field(default="", max_length=500)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
