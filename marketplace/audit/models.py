"""One audit entry. ``hash`` covers the entry and the previous entry's hash, so edits and deletions show."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True, index=True, description="1, 2, 3, ... without gaps")
    created_at: datetime = created_at_field()
    action: str = Field(max_length=60, index=True)
    actor_id: int | None = Field(default=None, index=True)
    organisation_id: int | None = Field(default=None, index=True)
    object_type: str | None = Field(default=None, max_length=40)
    object_id: int | None = Field(default=None)
    ip_address: str | None = Field(default=None, max_length=45)
    details: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
