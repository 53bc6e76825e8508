"""Organisations and the people who act for them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from domain.brn import format_brn
from marketplace.core.models import created_at_field, enum_column, money_field, timestamp_field
from marketplace.core.types import UTCDateTime


class OrgKind(StrEnum):
    SME = "sme"
    VENDOR = "vendor"
    AGENCY = "agency"
    COOPERATIVE = "cooperative"


class MemberRole(StrEnum):
    OWNER = "owner"
    MEMBER = "member"


class OrganisationBase(SQLModel):
    name_ko: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    region: str = Field(max_length=20)
    industry: str = Field(max_length=8)
    employees: int = Field(ge=0)
    annual_revenue_krw: int = money_field(default=0)
    representative: str | None = Field(default=None, max_length=60)
    address: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class Organisation(OrganisationBase, table=True):
    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint("employees >= 0", name="employees_not_negative"),
        sa.CheckConstraint("annual_revenue_krw >= 0", name="revenue_not_negative"),
        sa.CheckConstraint("length(brn) = 10", name="brn_ten_digits"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: OrgKind = Field(sa_column=enum_column(OrgKind, "org_kind"))
    brn: str = Field(max_length=10, unique=True, index=True)
    created_at: datetime = created_at_field()
    verified_at: datetime | None = timestamp_field()
    #: The administrator who verified it (no foreign key: organisation ↔ user_account would be a cycle,
    #: and backups restore tables in dependency order). The audit entry names them too.
    verified_by_id: int | None = Field(default=None)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_ko

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def brn_display(self) -> str:
        return format_brn(self.brn)


class CooperativeMember(SQLModel, table=True):
    """An SME that belongs to a cooperative or association."""

    __tablename__ = "cooperative_member"

    cooperative_id: int = Field(foreign_key="organisation.id", primary_key=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="organisation.id", primary_key=True, ondelete="CASCADE")


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint("locale IN ('ko', 'en')", name="locale_known"),
        sa.CheckConstraint("email_notifications IN ('all', 'none')", name="email_notifications_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=60)
    password_hash: str = Field(max_length=255)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True,
                                        ondelete="CASCADE")
    role: MemberRole = Field(sa_column=enum_column(MemberRole, "member_role"))
    is_admin: bool = Field(default=False)
    is_active: bool = Field(default=True)
    locale: str = Field(default="ko", max_length=2)
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = timestamp_field()
    #: when the owner of the address opened the link e-mailed at sign-up (None: not yet)
    email_verified_at: datetime | None = timestamp_field()
    #: which notifications are also e-mailed: "all" or "none" (they always appear in the app)
    email_notifications: str = Field(default="all", max_length=10, sa_column_kwargs={"server_default": "all"})

    # flask-login protocol. The session id, not the user id, identifies a signed-in browser.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_owner(self) -> bool:
        return self.role == MemberRole.OWNER


class LoginSession(SQLModel, table=True):
    """A signed-in browser. Logging out revokes it, so a copied cookie stops working."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    revoked_at: datetime | None = timestamp_field()
    ip_address: str | None = Field(default=None, max_length=45)
    user_agent: str | None = Field(default=None, max_length=255)


class ApiToken(SQLModel, table=True):
    """A bearer token for ``/api/v1``. Only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime,
                                 nullable=False)
    last_used_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()


class PasswordReset(SQLModel, table=True):
    """A one-time link to set a new password, e-mailed on request; stored as its SHA-256 only."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = timestamp_field()


class Invitation(SQLModel, table=True):
    """An expiring link an owner sends to bring a colleague into the organisation."""

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254)
    role: MemberRole = Field(sa_column=enum_column(MemberRole, "invitation_role"))
    token_hash: str = Field(max_length=64, unique=True)
    created_by_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime,
                                 nullable=False)
    accepted_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()


class CooperativeInvitation(SQLModel, table=True):
    """A cooperative invites a company that is not registered yet to join as a member SME: the e-mailed link
    registers the company with an owner account and makes it a member. Only the token's SHA-256 is stored."""

    __tablename__ = "cooperative_invitation"

    id: int | None = Field(default=None, primary_key=True)
    cooperative_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254)
    company_name: str = Field(default="", max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    accepted_at: datetime | None = timestamp_field()
    member_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    revoked_at: datetime | None = timestamp_field()


# --- API schemas -------------------------------------------------------------------------------

class OrganisationPublic(SQLModel):
    """An organisation as the caller may see it. Its own members and administrators see every field; others
    see a public profile: for an SME or cooperative (the posters of anonymous briefs) neither business number,
    region, industry, size nor revenue, so that a brief's facts cannot be matched to its poster."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: OrgKind
    name_ko: str
    name_en: str
    brn: str | None = Field(default=None, description="own organisation and administrators only")
    region: str | None = Field(default=None, description="withheld for SMEs and cooperatives")
    industry: str | None = Field(default=None, description="withheld for SMEs and cooperatives")
    employees: int | None = Field(default=None, description="own organisation and administrators only")
    annual_revenue_krw: int | None = Field(default=None, description="own organisation and administrators only")
    verified: bool
    created_at: datetime


class UserPublic(SQLModel):
    id: int
    email: str
    name: str
    role: MemberRole
    is_admin: bool
    locale: str
    organisation: OrganisationPublic | None
