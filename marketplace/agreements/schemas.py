"""Input and output contracts of agreements, milestones, reviews and the public verification.

One input contract per action, used by the API handler and by the page alike (a page's form data goes
through :func:`marketplace.core.schemas.parse`, or :func:`~marketplace.core.forms.parse_form` where a
blank input means "unchanged"): :class:`SignIn`, :class:`ProposalIn`, :class:`TerminateIn`,
:class:`DeliverIn`, :class:`MilestoneRejectIn`, :class:`ReviewIn`, :class:`VerifyHashIn` and
:class:`PdfQuery`. The services take them validated.

Where the area says more than the generic messages of :func:`marketplace.core.schemas.field_errors`
("Say why the agreement ends; the other party reads it." rather than "Too short"), a validator raises
``ValueError`` with the translated text, which ``field_errors`` passes on as it is. What depends on the
agreement itself (a due date before today, the criteria a review scores) is judged by the pure rules
and the services, not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, BeforeValidator, Field, ValidationError, WrapValidator

import contracts
from domain.money import MAX_WON, Won
from marketplace.core.schemas import Id, Strict

#: Longest texts (the database columns are as long).
NOTE_MAX, REASON_MAX, DELIVERY_NOTE_MAX, COMMENT_MAX, PASSWORD_MAX = 500, 1000, 2000, 4000, 256
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


def _said(message: Any) -> BeforeValidator:
    """Text with its surrounding blanks removed; blank text is refused with ``message``."""
    def check(value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise ValueError(message)
        return value
    return BeforeValidator(check)


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _entered(value: Any) -> Any:
    """A password as typed (never stripped), refused when empty."""
    if isinstance(value, str) and not value.strip():
        raise ValueError(_l("Enter your password."))
    return value


def _or_say(message: Any) -> WrapValidator:
    """Any error of the value (not a number, out of range, a true/false) becomes ``message``."""
    def wrap(value: Any, handler: Callable[[Any], Any]) -> Any:
        if isinstance(value, bool):
            raise ValueError(message)
        try:
            return handler(value)
        except ValidationError:
            raise ValueError(message) from None
    return WrapValidator(wrap)


def _whole(low: int, high: int) -> Any:
    """A whole number from ``low`` to ``high`` (JSON schema minimum and maximum), with one message for any error."""
    return Annotated[int, Field(ge=low, le=high), _or_say(
        _l("Enter a whole number from %(low)s to %(high)s.", low=f"{low:,}", high=f"{high:,}"))]


def _sha256(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not _SHA256.match(value):
            raise ValueError(_l("Enter a SHA-256 as 64 hexadecimal characters."))
        return value.lower()
    return value


Months = _whole(0, 120)
Days = _whole(1, 180)
Years = _whole(0, 20)
Password = Annotated[str, Field(min_length=1, max_length=PASSWORD_MAX, description="the password, entered again"),
                     BeforeValidator(_entered)]


class AgreementPath(Strict):
    agreement_id: Id


class MilestonePath(Strict):
    milestone_id: Id


class SignIn(Strict):
    """Sign the current version: the owner enters their password again."""

    password: Password


class ProposalIn(Strict):
    """New values for the variable terms; a term left out (or null) stays as it is."""

    ip_ownership: contracts.IpOwnership | None = Field(default=None, description="sme | vendor_licensed | joint")
    warranty_months: Months | None = None
    liability_cap_multiple: Annotated[Decimal, Field(ge=Decimal("0.1"), le=10, allow_inf_nan=False),
                                      _or_say(_l("Enter a multiple of the price from 0.1 to 10."))] | None = None
    acceptance_days: Days | None = None
    resubmission_days: Days | None = None
    maintenance_yearly_won: Annotated[Won, _or_say(
        _l("Enter a whole number from %(low)s to %(high)s.", low="0", high=f"{MAX_WON:,}"))] | None = None
    maintenance_years: Years | None = Field(default=None, description="0 ends maintenance")
    milestone_due_dates: dict[int, date] | None = Field(default=None, description="{sequence: YYYY-MM-DD}")
    note: Annotated[str, Field(max_length=NOTE_MAX), BeforeValidator(_stripped)] = ""


class TerminateIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=REASON_MAX),
                      _said(_l("Say why the agreement ends; the other party reads it."))]
    password: Password


class DeliverIn(Strict):
    note: Annotated[str, Field(max_length=DELIVERY_NOTE_MAX), BeforeValidator(_stripped)] = ""


class MilestoneRejectIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=REASON_MAX),
                      _said(_l("Say why the milestone is rejected; the vendor will read it."))]


#: A review score: a whole number (from 1 to 5 for each criterion the client weighs: checked with its criteria).
Score = Annotated[int, _or_say(_l("Give a score from 1 to 5."))]


class ReviewIn(Strict):
    scores: dict[str, Score] = Field(description="a score 1–5 for each of the client's criteria with a weight "
                                                 "above 0")
    comment: Annotated[str, Field(max_length=COMMENT_MAX), BeforeValidator(_stripped)] = ""


class VerifyHashIn(Strict):
    sha256: Annotated[str, Field(pattern=_SHA256.pattern, description="64 hexadecimal characters"),
                      BeforeValidator(_sha256)]


class PartyOut(BaseModel):
    id: int | None = Field(description="the organisation (None only if a member's organisation was deleted)")
    role: str = Field(description="client | member | vendor")
    name: str
    business_registration_no: str
    share_won: int | None = Field(default=None, description="a member SME's share of the SME cost")
    signed_at: datetime | None
    signer_name: str | None


class ChangeOut(BaseModel):
    path: str
    label: str
    kind: str
    old: str
    new: str


class VersionOut(BaseModel):
    number: int
    status: str
    proposed_by_id: int | None
    created_at: datetime
    signed_at: datetime | None
    sha256_ko: str | None
    sha256_en: str | None
    terms: dict
    changes: list[ChangeOut]


class MilestoneOut(BaseModel):
    id: int
    sequence: int
    name: str
    deliverable: str
    due_date: date
    payment_percent: int
    amount_krw: int
    status: str
    deliveries: int
    delivery_note: str
    delivered_at: datetime | None
    decided_at: datetime | None
    reason: str | None


class ReviewOut(BaseModel):
    id: int
    agreement_id: int
    vendor_id: int
    offering_id: int | None
    scores: dict[str, int]
    score: Decimal
    comment: str
    created_at: datetime


class AgreementOut(BaseModel):
    id: int
    reference: str
    problem_id: int
    bid_id: int
    status: str
    current_version: int
    signed_version: int | None
    client: PartyOut
    vendor: PartyOut
    members: list[PartyOut] = Field(description="the member SMEs of a cooperative's joint problem, who sign too")
    parties: list[PartyOut] = Field(description="every signing party of the current version, in signing order: "
                                                "client, members, vendor")
    version: VersionOut
    milestones: list[MilestoneOut]
    review: ReviewOut | None


class VerificationOut(BaseModel):
    verified: bool
    sha256: str
    agreement_id: int | None = None
    version: int | None = None
    language: str | None = None
    signed_at: datetime | None = None
    in_force: bool = Field(default=False, description="signed and not terminated")
    terminated_at: datetime | None = None
    terminated_by: str | None = Field(default=None, description="the party that terminated it, in your language")
    message: str


class PdfQuery(Strict):
    lang: Literal["ko", "en"] = "ko"
    version: int | None = Field(default=None, ge=1, description="a version number; the current one by default")
