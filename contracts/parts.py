"""The parts of the agreement terms: parties, deliverables, milestones, KPIs, subsidy, maintenance,
penalty and signatures. Plain, frozen values, each checked as it is built (:mod:`contracts.checks`);
:class:`contracts.terms.AgreementTerms` puts them together.
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from domain.kpi import KpiDirection

from .checks import TermsError, _decimal, _enum, _fail, _instance, _int, _set, _text, _won, validate_business_registration_no
from .sealing import KpiProtocol


class ClientKind(enum.StrEnum):
    SME = "sme"
    COOPERATIVE = "cooperative"


class DeliverableKind(enum.StrEnum):
    MODEL = "model"
    SERVICE = "service"
    DOCUMENTATION = "documentation"


#: A KPI's direction (``HIGHER_IS_BETTER`` / ``LOWER_IS_BETTER``): the one enum of :mod:`domain.kpi`.
Direction = KpiDirection


class IpOwnership(enum.StrEnum):
    SME = "sme"                          # the SME (client) owns the model and results
    VENDOR_LICENSED = "vendor_licensed"  # the vendor owns, the SME gets a perpetual licence
    JOINT = "joint"                      # jointly owned


class PartyRole(enum.StrEnum):
    CLIENT = "client"    # the SME, or the cooperative acting for its members
    VENDOR = "vendor"
    MEMBER = "member"    # a member SME of a cooperative


# --- value objects --------------------------------------------------------------------

@dataclass(frozen=True)
class Bilingual:
    """A name or phrase given in Korean and in English."""

    ko: str
    en: str

    def __post_init__(self):
        _text(self, "ko", max_len=300)
        _text(self, "en", max_len=300)

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


@dataclass(frozen=True)
class Party:
    name: Bilingual
    business_registration_no: str
    representative: Bilingual
    address: Bilingual
    region: str = ""  # e.g. "부산광역시" or an ISO 3166-2 code; kept for the record

    def __post_init__(self):
        for name in ("name", "representative", "address"):
            _instance(self, name, Bilingual)
        try:
            _set(self, "business_registration_no",
                 validate_business_registration_no(self.business_registration_no))
        except TermsError as exc:
            raise TermsError("party.business_registration_no", exc.message_ko,
                             exc.message_en) from None
        _text(self, "region", required=False, max_len=100)


@dataclass(frozen=True)
class Member:
    """A member SME of a cooperative and the part of the SME cost it pays."""

    party: Party
    share_won: int

    def __post_init__(self):
        _instance(self, "party", Party)
        _won(self, "share_won", path="member.")


@dataclass(frozen=True)
class Deliverable:
    kind: DeliverableKind
    name: str
    description: str = ""
    #: the name and description in English for the English agreement (empty: it repeats the Korean text)
    name_en: str = ""
    description_en: str = ""

    def __post_init__(self):
        _enum(self, "kind", DeliverableKind, path="deliverable.")
        _text(self, "name", max_len=200, path="deliverable.")
        _text(self, "description", required=False, path="deliverable.")
        _text(self, "name_en", required=False, max_len=200, path="deliverable.")
        _text(self, "description_en", required=False, path="deliverable.")


@dataclass(frozen=True)
class Milestone:
    """A delivery step; its payment is due when the SME accepts it.

    Due either on a date or a number of weeks after the agreement takes effect.
    """

    sequence: int
    name: str
    deliverable: str
    payment_percent: int
    due_date: date | None = None
    due_week: int | None = None

    def __post_init__(self):
        _int(self, "sequence", minimum=1, path="milestone.")
        _text(self, "name", max_len=200, path="milestone.")
        _text(self, "deliverable", max_len=300, path="milestone.")
        _int(self, "payment_percent", minimum=0, maximum=100, path="milestone.")
        if (self.due_date is None) == (self.due_week is None):
            _fail("milestone.due", "납기일 또는 착수 후 주차 중 하나만 지정해야 합니다.",
                  "give exactly one of due_date or due_week.")
        if self.due_date is not None and (
                isinstance(self.due_date, datetime) or not isinstance(self.due_date, date)):
            _fail("milestone.due_date", "날짜여야 합니다.", "must be a date.")
        if self.due_week is not None:
            _int(self, "due_week", minimum=1, maximum=520, path="milestone.")


@dataclass(frozen=True)
class Kpi:
    """An acceptance criterion: the vendor's committed value, measured on a named test set."""

    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    committed: Decimal
    direction: Direction
    test_set: str
    #: the test set in English for the English agreement (empty: the English text repeats ``test_set``)
    test_set_en: str = ""
    #: how the platform measures it (metric, rounding, sealed holdout), fixed before signing
    protocol: KpiProtocol | None = None

    def __post_init__(self):
        _text(self, "name", max_len=200, path="kpi.")
        _instance(self, "protocol", KpiProtocol, path="kpi.", optional=True)
        _text(self, "unit", required=False, max_len=40, path="kpi.")
        for name in ("baseline", "target", "committed"):
            _decimal(self, name, path="kpi.")
        _enum(self, "direction", Direction, path="kpi.")
        _text(self, "test_set", max_len=300, path="kpi.")
        _text(self, "test_set_en", required=False, max_len=300, path="kpi.")
        if not self.improves(self.target):
            _fail("kpi.target", "목표값은 기준값보다 개선된 값이어야 합니다.",
                  "target must improve on the baseline.")
        if not self.improves(self.committed):
            _fail("kpi.committed", "약정값은 기준값보다 개선된 값이어야 합니다.",
                  "committed value must improve on the baseline.")

    def improves(self, value: Decimal) -> bool:
        if self.direction is Direction.LOWER_IS_BETTER:
            return value < self.baseline
        return value > self.baseline

    def passes(self, measured: Decimal) -> bool:
        """Whether a measured value meets the committed value (the acceptance threshold)."""
        measured = Decimal(repr(measured)) if isinstance(measured, float) else Decimal(measured)
        if self.direction is Direction.LOWER_IS_BETTER:
            return measured <= self.committed
        return measured >= self.committed


@dataclass(frozen=True)
class Subsidy:
    """A public subsidy that pays part of the price; the SME pays the rest."""

    program_name: Bilingual
    agency_name: Bilingual
    subsidy_won: int
    sme_share_won: int
    ratio: Decimal  # the program's maximum subsidy ratio, e.g. Decimal("0.7")

    def __post_init__(self):
        _instance(self, "program_name", Bilingual)
        _instance(self, "agency_name", Bilingual)
        _won(self, "subsidy_won", path="subsidy.", positive=True)
        _won(self, "sme_share_won", path="subsidy.")
        _decimal(self, "ratio", path="subsidy.", minimum=Decimal(0))
        if not Decimal(0) < self.ratio <= Decimal(1):
            _fail("subsidy.ratio", "지원 비율은 0 초과 1 이하여야 합니다.",
                  "ratio must be greater than 0 and at most 1.")

    @property
    def total_won(self) -> int:
        return self.subsidy_won + self.sme_share_won


@dataclass(frozen=True)
class Maintenance:
    yearly_won: int
    years: int
    service_level: str
    #: the service level in English for the English agreement (empty: it repeats ``service_level``)
    service_level_en: str = ""

    def __post_init__(self):
        _won(self, "yearly_won", path="maintenance.")
        _int(self, "years", minimum=1, maximum=20, path="maintenance.")
        _text(self, "service_level", path="maintenance.")
        _text(self, "service_level_en", required=False, path="maintenance.")

    @property
    def total_won(self) -> int:
        return self.yearly_won * self.years


@dataclass(frozen=True)
class LatePenalty:
    """Late-delivery damages: per mille of the price per day late, capped at a percent."""

    per_mille_per_day: Decimal
    cap_percent: int

    def __post_init__(self):
        _decimal(self, "per_mille_per_day", path="late_penalty.", minimum=Decimal(0))
        if self.per_mille_per_day > 10:
            _fail("late_penalty.per_mille_per_day", "1일 10‰를 넘을 수 없습니다.",
                  "must be at most 10 per mille per day.")
        _int(self, "cap_percent", minimum=0, maximum=100, path="late_penalty.")


@dataclass(frozen=True)
class Signature:
    """One party's electronic signature; ``business_registration_no`` names the party."""

    role: PartyRole
    business_registration_no: str
    signer_name: str
    signed_at: datetime
    ip_address: str

    def __post_init__(self):
        _enum(self, "role", PartyRole, path="signature.")
        try:
            _set(self, "business_registration_no",
                 validate_business_registration_no(self.business_registration_no))
        except TermsError as exc:
            raise TermsError("signature.business_registration_no", exc.message_ko,
                             exc.message_en) from None
        _text(self, "signer_name", max_len=100, path="signature.")
        if not isinstance(self.signed_at, datetime) or self.signed_at.utcoffset() != timedelta(0):
            _fail("signature.signed_at", "UTC 시각(tzinfo 포함)이어야 합니다.",
                  "must be a timezone-aware UTC datetime.")
        try:
            _set(self, "ip_address", str(ipaddress.ip_address(self.ip_address)))
        except ValueError:
            _fail("signature.ip_address", "IP 주소 형식이 아닙니다.", "is not an IP address.")
