"""Input and output contracts of accounts: organisation profiles, sign-up, users, invitations, passwords,
e-mail changes and API tokens.

One contract per entity and action, used by the pages (forms parse into them with
:func:`marketplace.core.forms.parse_form`), by the API, the CLI, the demo seed and the test factories;
the services take the validated models. Errors are pydantic errors of stable types (``brn_checksum``,
``email``, ``password_too_short``, ...) that :func:`marketplace.core.schemas.field_errors` translates.
The rules that need the database (a business number or e-mail address already registered, the
current password) stay in the services.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from domain.brn import BrnError, validate_brn
from marketplace.accounts import password_policy
from marketplace.accounts.models import MemberRole, OrgKind
from marketplace.core.schemas import Id, Strict, text
from matching import taxonomy

# --- documented limits --------------------------------------------------------------------------

ORG_NAME_MAX = 120
PERSON_NAME_MAX = 60
EMAIL_MAX = 254
MAX_EMPLOYEES = 1_000_000
#: Annual revenue in won: up to 1경 (10¹⁶), far above any company's.
MAX_REVENUE_KRW = 10**16
REPRESENTATIVE_MAX, ADDRESS_MAX, WEBSITE_MAX, DESCRIPTION_MAX = 60, 200, 200, 2000
LOCALES = ("ko", "en")


# --- field types -----------------------------------------------------------------------------------

def _optional_text(max_length: int) -> Any:
    """Optional text: blank is None."""
    return Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=max_length),
                     AfterValidator(lambda value: value or None)]


def _business_number(value: Any) -> str:
    try:
        return validate_brn(value)
    except BrnError as exc:
        raise PydanticCustomError(f"brn_{exc.reason}", "Not a valid business registration number ({reason}).",
                                  {"reason": exc.reason}) from None


def _email(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("email", "Enter a valid e-mail address.")
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise PydanticCustomError("email", "Enter a valid e-mail address.") from None


def password_min_length() -> int:
    """The configured minimum (``PASSWORD_MIN_LENGTH``), or the default outside an app."""
    if has_app_context():
        return int(current_app.config.get("PASSWORD_MIN_LENGTH", password_policy.DEFAULT_MIN_LENGTH))
    return password_policy.DEFAULT_MIN_LENGTH


def check_password(password: str, *, email: str | None = None) -> str:
    """``password`` if the policy (:mod:`marketplace.accounts.password_policy`) accepts it, else the
    pydantic error of its weakness."""
    minimum = password_min_length()
    weakness = password_policy.weakness(password, min_length=minimum, email=email)
    if weakness == password_policy.Weakness.TOO_SHORT:
        raise PydanticCustomError("password_too_short", "Use at least {n} characters for the password.",
                                  {"n": minimum})
    if weakness == password_policy.Weakness.TOO_LONG:
        raise PydanticCustomError("string_too_long", "Use at most {max_length} characters for the password.",
                                  {"max_length": password_policy.MAX_LENGTH})
    if weakness == password_policy.Weakness.TOO_EASY:
        raise PydanticCustomError("password_too_easy", "This password is too easy to guess.")
    return password


def _with_email(password: str, info: ValidationInfo) -> str:
    """The password checked against the policy and the e-mail address given before it (if valid)."""
    return check_password(password, email=info.data.get("email"))


def _code(lookup, error: str, message: str):
    def check(code: str) -> str:
        item = lookup(code)
        if item is None:
            raise PydanticCustomError(error, message)
        return item.code
    return check


#: A business registration number (사업자등록번호) as ten digits: ``123-45-67890`` → ``1234567890``
#: (error types ``brn_format``, ``brn_component``, ``brn_checksum``; the rule: :mod:`domain.brn`).
BusinessNumber = Annotated[str, BeforeValidator(_business_number)]
#: An e-mail address, normalised and in lower case (error type ``email``).
Email = Annotated[str, Field(max_length=EMAIL_MAX), BeforeValidator(_email)]
#: A password the policy accepts (error types ``password_too_short``, ``string_too_long``, ``password_too_easy``).
Password = Annotated[str, AfterValidator(_with_email)]
Region = Annotated[str, AfterValidator(_code(taxonomy.get_region, "region_unknown",
                                             "Choose a region (시·도) from the list."))]
Industry = Annotated[str, AfterValidator(_code(taxonomy.get_industry, "industry_unknown",
                                               "Choose an industry (KSIC division) from the list."))]
Locale = Literal["ko", "en"]
#: Whole numbers as numbers: ``"45"`` is text, not a count (forms hand over what WTForms read).
Employees = Annotated[int, Field(strict=True, ge=0, le=MAX_EMPLOYEES)]
Revenue = Annotated[int, Field(strict=True, ge=0, le=MAX_REVENUE_KRW)]


def _repeats(confirm: str | None, password: str | None) -> str | None:
    """A password typed a second time (pages): when given, it must repeat the first."""
    if confirm is not None and password is not None and confirm != password:
        raise PydanticCustomError("passwords_differ", "The passwords differ.")
    return confirm


# --- organisations ---------------------------------------------------------------------------------

class OrganisationProfile(Strict):
    """An organisation as it registers: what it is, its business number and the facts the matching uses."""

    kind: OrgKind
    name_ko: text(ORG_NAME_MAX)
    name_en: text(ORG_NAME_MAX)
    brn: BusinessNumber
    region: Region = Field(description="region code (시·도), e.g. busan")
    industry: Industry = Field(description="KSIC division, e.g. C10")
    employees: Employees
    annual_revenue_krw: Revenue
    representative: _optional_text(REPRESENTATIVE_MAX) = None
    address: _optional_text(ADDRESS_MAX) = None
    website: _optional_text(WEBSITE_MAX) = None
    description: _optional_text(DESCRIPTION_MAX) = None


class BusinessNumberInput(Strict):
    brn: BusinessNumber


# --- users -----------------------------------------------------------------------------------------

class UserCreate(Strict):
    """A person's account (the organisation and role come from who creates it)."""

    email: Email
    password: Password
    name: text(PERSON_NAME_MAX)
    locale: Locale = "ko"


class SignUp(OrganisationProfile):
    """The sign-up page: an organisation and its owner, all or nothing."""

    name: text(PERSON_NAME_MAX)
    email: Email
    password: Password
    password_confirm: str | None = None

    @field_validator("password_confirm")
    @classmethod
    def _confirmed(cls, confirm: str | None, info: ValidationInfo) -> str | None:
        return _repeats(confirm, info.data.get("password"))

    def organisation(self) -> OrganisationProfile:
        return OrganisationProfile.model_validate(self.model_dump(include=set(OrganisationProfile.model_fields)))

    def user(self, *, locale: str) -> UserCreate:
        return UserCreate(email=self.email, password=self.password, name=self.name, locale=locale)


class NewPassword(Strict):
    """A password for the account with this e-mail address (the policy knows the address)."""

    email: Email
    password: Password


class PasswordChange(Strict):
    """A new password for the signed-in user (the service checks it against their e-mail address too)."""

    current_password: str = Field(max_length=password_policy.MAX_LENGTH)
    new_password: Annotated[str, AfterValidator(check_password)]
    new_password_confirm: str | None = None

    @field_validator("new_password_confirm")
    @classmethod
    def _confirmed(cls, confirm: str | None, info: ValidationInfo) -> str | None:
        return _repeats(confirm, info.data.get("new_password"))


class EmailChange(Strict):
    email: Email
    current_password: str = Field(max_length=password_policy.MAX_LENGTH)


# --- invitations -----------------------------------------------------------------------------------

class InvitationCreate(Strict):
    email: Email
    role: MemberRole = MemberRole.MEMBER


class InvitationAccept(Strict):
    """The invited person's part; the e-mail address is the invitation's (the service checks the
    password against it too)."""

    name: text(PERSON_NAME_MAX)
    password: Annotated[str, AfterValidator(check_password)]
    password_confirm: str | None = None

    @field_validator("password_confirm")
    @classmethod
    def _confirmed(cls, confirm: str | None, info: ValidationInfo) -> str | None:
        return _repeats(confirm, info.data.get("password"))


# --- API tokens and organisations ------------------------------------------------------------------

class TokenRequest(Strict):
    """E-mail and password: the API's token request and the login page alike (checked against the
    stored account, not the policy)."""

    email: str = Field(max_length=EMAIL_MAX)
    password: str = Field(max_length=password_policy.MAX_LENGTH)


class PasswordResetRequest(Strict):
    """Ask for a reset link. Any text up to the length of an address is accepted: the answer never
    says whether an account has it."""

    email: str = Field(max_length=EMAIL_MAX)


class PasswordResetAccepted(BaseModel):
    detail: str


class PasswordResetSet(Strict):
    """The new password from a reset link (the service checks it against the account's address too)."""

    password: Annotated[str, AfterValidator(check_password)]
    password_confirm: str | None = None

    @field_validator("password_confirm")
    @classmethod
    def _confirmed(cls, confirm: str | None, info: ValidationInfo) -> str | None:
        return _repeats(confirm, info.data.get("password"))


class TokenResponse(BaseModel):
    token: str
    expires_at: datetime


class TokenOut(BaseModel):
    id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    current: bool = Field(description="the token this request was sent with")


class TokenList(BaseModel):
    items: list[TokenOut]
    total: int
    page: int
    per_page: int


class TokenPath(Strict):
    token_id: Id


class OrganisationPath(Strict):
    organisation_id: Id


# --- cooperative members ---------------------------------------------------------------------------

class MemberAddIn(Strict):
    """Add a member SME: an existing organisation by its 사업자등록번호, or a new one by an e-mailed invitation."""

    brn: BusinessNumber | None = Field(default=None, description="a registered SME's business registration number")
    email: Email | None = Field(default=None, description="invite a company that is not registered yet")
    company_name: str = Field(default="", max_length=120, description="the invited company (for the e-mail)")


class MemberPath(Strict):
    organisation_id: Id
    member_id: Id


class MemberOut(BaseModel):
    id: int
    name_ko: str
    name_en: str
    brn: str
    region: str


class MemberAdded(BaseModel):
    member: MemberOut | None = Field(description="the organisation added now (by its number)")
    invited_email: str | None = Field(description="the invitation went to this address (a new company)")


class MemberList(BaseModel):
    items: list[MemberOut]
    total: int
    page: int
    pending_invitations: list[str] = Field(description="e-mail addresses invited and not registered yet")
