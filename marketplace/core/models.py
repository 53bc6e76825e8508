"""Model base: one naming convention for constraints, so migrations name them the same way."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from marketplace.core.types import UTCDateTime, utcnow

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

def enum_column(enum: type[StrEnum], name: str, *, nullable: bool = False, **kwargs) -> sa.Column:
    """A VARCHAR column checked against the enum's values by a named CHECK constraint."""
    return sa.Column(
        sa.Enum(
            enum,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=max(len(m.value) for m in enum) + 8,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        nullable=nullable,
        **kwargs,
    )


def created_at_field() -> datetime:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def updated_at_field() -> datetime:
    """Set on insert and on every UPDATE; indexed, so changed rows can be found quickly."""
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True,
                 sa_column_kwargs={"onupdate": utcnow})


def timestamp_field(*, nullable: bool = True, index: bool = False):
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def money_field(*, nullable: bool = False, default=None):
    """Integer won. BIGINT, because budgets pass two billion won."""
    return Field(default=default, sa_type=sa.BigInteger, nullable=nullable)


def json_list_field():
    return Field(default_factory=list, sa_type=sa.JSON, nullable=False)
