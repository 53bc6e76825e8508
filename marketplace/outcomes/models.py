"""Sealed holdouts, evaluation attempts, acceptances despite a failed evaluation, follow-ups after completion.

A holdout file is the SME's: its bytes stay in :class:`Holdout` and are never sent to anyone (no page, API
answer, PDF or notification carries them); the agreement terms record only its SHA-256, row count and
columns. Each :class:`Evaluation` is one attempt of the vendor at one milestone, stored once and never
changed (the service only inserts; the audit chain holds both hashes), with the aggregates of the result.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, timestamp_field

#: Follow-up questions after completion, in months.
FOLLOW_UP_MONTHS = (6, 12, 24)


class Holdout(SQLModel, table=True):
    """The SME's sealed truth file for one KPI of an agreement (replaceable until anyone signs)."""

    __tablename__ = "kpi_holdout"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "kpi_name", name="uq_kpi_holdout_kpi"),
                      sa.CheckConstraint("rows >= 1", name="rows_positive"))

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    kpi_name: str = Field(max_length=200)
    filename: str = Field(default="", max_length=200)
    content: bytes = Field(sa_type=sa.LargeBinary)
    sha256: str = Field(max_length=64)
    rows: int
    columns: list = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    id_column: str = Field(max_length=200)
    value_column: str = Field(max_length=200)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class Evaluation(SQLModel, table=True):
    """One attempt: the vendor's predictions for a milestone, measured against the sealed holdouts."""

    __tablename__ = "kpi_evaluation"
    __table_args__ = (sa.UniqueConstraint("milestone_id", "attempt", name="uq_kpi_evaluation_attempt"),
                      sa.CheckConstraint("attempt >= 1", name="attempt_positive"))

    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="agreement_milestone.id", index=True, ondelete="CASCADE")
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    vendor_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    attempt: int
    filename: str = Field(default="", max_length=200)
    predictions: bytes = Field(sa_type=sa.LargeBinary)
    predictions_sha256: str = Field(max_length=64)
    holdout_sha256: str = Field(max_length=64)
    rows: int
    passed: bool
    passed_count: int
    total: int
    #: acceptance.Evaluation.to_dict(): aggregates only, never a row of the holdout
    result: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    #: the vendor-safe chart (confusion matrix or error histogram) as SVG, in Korean and in English
    chart_ko: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    chart_en: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    submitted_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class Measurement(SQLModel, table=True):
    """A measured-value KPI at a milestone: the value the client entered with its evidence, and the verdict."""

    __tablename__ = "kpi_measurement"
    __table_args__ = (sa.UniqueConstraint("milestone_id", "kpi_name", name="uq_kpi_measurement_kpi"),)

    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="agreement_milestone.id", index=True, ondelete="CASCADE")
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    kpi_name: str = Field(max_length=200)
    value: str = Field(max_length=40)
    passed: bool
    #: acceptance.KpiResult.to_dict()
    result: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    evidence: str = Field(max_length=1000)
    measured_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class Waiver(SQLModel, table=True):
    """The SME accepted a milestone although its last evaluation failed, with the reason it gave."""

    __tablename__ = "kpi_waiver"
    __table_args__ = (sa.UniqueConstraint("evaluation_id", name="uq_kpi_waiver_evaluation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="kpi_evaluation.id", ondelete="CASCADE")
    milestone_id: int = Field(foreign_key="agreement_milestone.id", index=True, ondelete="CASCADE")
    reason: str = Field(max_length=1000)
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class FollowUp(SQLModel, table=True):
    """A question to the SME 6, 12 or 24 months after completion: still in use? the KPI's value now?"""

    __tablename__ = "outcome_follow_up"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "months", name="uq_outcome_follow_up_months"),
                      sa.CheckConstraint("months IN (6, 12, 24)", name="months_allowed"))

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    vendor_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    client_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    months: int
    due_on: date = Field(index=True)
    #: set when the question was sent (claimed once by the periodic job)
    asked_at: datetime | None = timestamp_field()
    answered_at: datetime | None = timestamp_field()
    still_in_use: bool | None = Field(default=None)
    kpi_name: str | None = Field(default=None, max_length=200)
    kpi_value: str | None = Field(default=None, max_length=40)
    evidence: str = Field(default="", max_length=1000)
    answered_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
