"""Notifications for people, rendered in the reader's language when read; e-mails queued in an outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field, enum_column, timestamp_field


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    #: the id the API and pages show: random, so it tells nothing about how many notifications (or bids,
    #: or questions) there were before it, nor about anyone else's
    public_id: str = Field(default_factory=lambda: uuid.uuid4().hex, max_length=32, unique=True, index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=40)
    #: plain values the message is built from (never another party's sealed data)
    params: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    link: str | None = Field(default=None, max_length=300)
    created_at: datetime = created_at_field()
    read_at: datetime | None = timestamp_field()


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for (another) attempt at next_attempt_at
    SENT = "sent"  # the SMTP server accepted it (development: printed to the log)
    FAILED = "failed"  # gave up after the last attempt; last_error says why


class OutboxEmail(SQLModel, table=True):
    """An e-mail to send. A worker claims it, hands it to the SMTP server (marketplace/mail) and marks it
    sent; a refusal keeps it pending with a later next_attempt_at, until the attempts run out."""

    __tablename__ = "outbox_email"
    __table_args__ = (sa.Index("ix_outbox_email_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    to_email: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field(index=True)
    state: DeliveryState = Field(default=DeliveryState.PENDING, sa_column=enum_column(
        DeliveryState, "delivery_state", server_default=DeliveryState.PENDING.value))
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_attempt_at: datetime = created_at_field()
    last_error: str | None = Field(default=None, max_length=500)
