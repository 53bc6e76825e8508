"""The agreement terms: plain, frozen data that drafting and rendering read.

The web app converts its rows (problem, awarded bid, subsidy program, signatures)
into these classes; nothing here knows about Flask or a database.

Rules:
- Money is an integer number of won, never a float.
- Ratios and KPI values are ``Decimal`` (ints and floats are converted on the way in,
  floats through their shortest ``repr`` so ``0.7`` becomes ``Decimal("0.7")``).
- Timestamps are UTC-aware ``datetime``; calendar days are ``date``.
- Invalid terms raise :class:`TermsError` naming the field, with the message in Korean
  and English, as soon as the object is built.
"""

from __future__ import annotations

import dataclasses
import enum
import ipaddress
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from domain.brn import BrnError, format_brn, validate_brn
from domain.kpi import KpiDirection

from .sealing import DEFAULT_MAX_ATTEMPTS, KpiProtocol

__all__ = [
    "AgreementTerms", "Bilingual", "ClientKind", "Deliverable", "DeliverableKind",
    "Direction", "IpOwnership", "Kpi", "LatePenalty", "Maintenance", "Member",
    "Milestone", "Party", "PartyRole", "Signature", "Subsidy", "TermsError",
    "validate_business_registration_no",
]


class TermsError(ValueError):
    """Invalid agreement terms: which field, and why, in Korean and English."""

    def __init__(self, field: str, message_ko: str, message_en: str):
        self.field = field
        self.message_ko = message_ko
        self.message_en = message_en
        super().__init__(f"{field}: {message_en} / {message_ko}")

    def message(self, lang: str = "ko") -> str:
        return self.message_ko if lang == "ko" else self.message_en


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


# --- field helpers --------------------------------------------------------------------

def _fail(field_: str, ko: str, en: str) -> None:
    raise TermsError(field_, ko, en)


def _set(obj, name: str, value) -> None:
    object.__setattr__(obj, name, value)


def _text(obj, name: str, *, required: bool = True, max_len: int = 4000,
          path: str = "") -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if not isinstance(value, str):
        _fail(where, "문자열이어야 합니다.", "must be a string.")
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()  # browsers send CRLF
    if required and not value:
        _fail(where, "비어 있을 수 없습니다.", "must not be empty.")
    if len(value) > max_len:
        _fail(where, f"{max_len}자를 넘을 수 없습니다.",
              f"must be at most {max_len} characters.")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        _fail(where, "제어 문자를 포함할 수 없습니다.",
              "must not contain control characters.")
    _set(obj, name, value)


def _won(obj, name: str, *, path: str = "", positive: bool = False) -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, "원 단위 정수여야 합니다(실수 불가).",
              "must be an integer number of won (no floats).")
    if value < 0 or (positive and value == 0):
        _fail(where, "0보다 커야 합니다." if positive else "음수일 수 없습니다.",
              "must be positive." if positive else "must not be negative.")


def _int(obj, name: str, *, path: str = "", minimum: int = 0,
         maximum: int | None = None) -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, "정수여야 합니다.", "must be an integer.")
    if value < minimum:
        _fail(where, f"{minimum} 이상이어야 합니다.", f"must be at least {minimum}.")
    if maximum is not None and value > maximum:
        _fail(where, f"{maximum} 이하여야 합니다.", f"must be at most {maximum}.")


def _decimal(obj, name: str, *, path: str = "", minimum: Decimal | None = None) -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if isinstance(value, bool):
        _fail(where, "숫자여야 합니다.", "must be a number.")
    try:
        if isinstance(value, float):
            value = Decimal(repr(value))
        elif isinstance(value, int | str):
            value = Decimal(value)
    except InvalidOperation:
        value = None
    if not isinstance(value, Decimal) or not value.is_finite():
        _fail(where, "유한한 숫자여야 합니다.", "must be a finite number.")
    if minimum is not None and value < minimum:
        _fail(where, f"{minimum} 이상이어야 합니다.", f"must be at least {minimum}.")
    _set(obj, name, value)


def _enum(obj, name: str, enum_cls: type[enum.Enum], *, path: str = "") -> None:
    value = getattr(obj, name)
    try:
        _set(obj, name, enum_cls(value))
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        _fail(f"{path}{name}", f"허용되지 않는 값입니다({allowed} 중 하나).",
              f"must be one of: {allowed}.")


def _tuple(obj, name: str, item_cls: type | tuple[type, ...], *, path: str = "",
           min_len: int = 0) -> None:
    value = getattr(obj, name)
    where = f"{path}{name}"
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        _fail(where, "목록이어야 합니다.", "must be a list.")
    value = tuple(value)
    for i, item in enumerate(value):
        if not isinstance(item, item_cls):
            _fail(f"{where}[{i}]", "형식이 올바르지 않습니다.", "has the wrong type.")
    if len(value) < min_len:
        _fail(where, f"최소 {min_len}개가 필요합니다.",
              f"needs at least {min_len} item(s).")
    _set(obj, name, value)


def _texts(obj, name: str, *, min_len: int = 0, max_len: int = 1000) -> None:
    """A list of user-written lines (scope items, data descriptions)."""
    _tuple(obj, name, str, min_len=min_len)
    items = []
    for i, item in enumerate(getattr(obj, name)):
        holder = _Holder(item)
        try:
            _text(holder, "value", max_len=max_len)
        except TermsError as exc:
            raise TermsError(f"{name}[{i}]", exc.message_ko, exc.message_en) from None
        items.append(holder.value)
    _set(obj, name, tuple(items))


class _Holder:
    def __init__(self, value):
        self.value = value


def _instance(obj, name: str, cls: type, *, path: str = "",
              optional: bool = False) -> None:
    value = getattr(obj, name)
    if value is None and optional:
        return
    if not isinstance(value, cls):
        _fail(f"{path}{name}", "형식이 올바르지 않습니다.",
              f"must be a {cls.__name__}.")


_BRN_MESSAGES = {
    "format": ("사업자등록번호는 000-00-00000 형식이어야 합니다.",
               "business registration number must look like 000-00-00000."),
    "component": ("발급될 수 없는 사업자등록번호입니다(세무서·사업자 구분·일련번호).",
                  "business registration number cannot have been issued (no such tax office, type or serial)."),
    "checksum": ("사업자등록번호의 검증번호가 맞지 않습니다.",
                 "business registration number fails its check digit."),
}


def validate_business_registration_no(value: str) -> str:
    """Return the number as ``123-45-67890`` if :func:`domain.validate_brn` accepts it.

    Raises :class:`TermsError` otherwise.
    """
    try:
        number = validate_brn(value)
    except BrnError as exc:
        _fail("business_registration_no", *_BRN_MESSAGES[exc.reason])
    return format_brn(number)


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


_AGREEMENT_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class AgreementTerms:
    """Everything an agreement version says, as plain data.

    ``client`` is the SME or, when ``client_kind`` is ``cooperative``, the cooperative
    acting for ``members``, whose ``share_won`` split the SME's cost (the price, or the
    SME's own share when a subsidy applies).
    """

    agreement_id: str
    version: int
    clause_library_version: str
    created: date
    client_kind: ClientKind
    client: Party
    vendor: Party
    project_title: str
    project_summary: str
    scope: tuple[str, ...]
    deliverables: tuple[Deliverable, ...]
    milestones: tuple[Milestone, ...]
    price_won: int
    kpis: tuple[Kpi, ...]
    acceptance_days: int
    resubmission_days: int
    ip_ownership: IpOwnership
    on_premises: bool
    warranty_months: int
    liability_cap_multiple: Decimal
    late_penalty: LatePenalty
    governing_law: Bilingual = Bilingual("대한민국 법", "the laws of the Republic of Korea")
    court: Bilingual = Bilingual("서울중앙지방법원", "the Seoul Central District Court")
    members: tuple[Member, ...] = ()
    out_of_scope: tuple[str, ...] = ()
    data_provided: tuple[str, ...] = ()
    #: the same lines in English for the English agreement (empty: the English text repeats them)
    data_provided_en: tuple[str, ...] = ()
    vat_included: bool = False
    max_resubmissions: int = 2
    #: prediction files the vendor may submit per acceptance milestone (platform-measured KPIs)
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    log_retention_months: int = 12
    subsidy: Subsidy | None = None
    maintenance: Maintenance | None = None
    signatures: tuple[Signature, ...] = field(default=())

    def __post_init__(self):
        self.validate()

    # The checks run in field order, so the first error names the first bad field.
    def validate(self) -> None:  # noqa: C901 - one flat list of rules reads best
        if not isinstance(self.agreement_id, str) or not _AGREEMENT_ID_RE.match(self.agreement_id):
            _fail("agreement_id", "영문·숫자·._- 로 된 64자 이하의 식별자여야 합니다.",
                  "must be 1-64 characters of letters, digits, '.', '_' or '-'.")
        _int(self, "version", minimum=1)
        from .clauses import LIBRARIES  # local import: clauses imports this module
        if self.clause_library_version not in LIBRARIES:
            known = ", ".join(sorted(LIBRARIES))
            _fail("clause_library_version", f"알 수 없는 조항 버전입니다(사용 가능: {known}).",
                  f"unknown clause library version (known: {known}).")
        if isinstance(self.created, datetime) or not isinstance(self.created, date):
            _fail("created", "날짜여야 합니다.", "must be a date.")
        _enum(self, "client_kind", ClientKind)
        _instance(self, "client", Party)
        _instance(self, "vendor", Party)
        if self.client.business_registration_no == self.vendor.business_registration_no:
            _fail("vendor", "수요기업과 공급기업은 서로 다른 사업자여야 합니다.",
                  "the client and the vendor must be different businesses.")
        _text(self, "project_title", max_len=200)
        _text(self, "project_summary", max_len=4000)
        _texts(self, "scope", min_len=1)
        _tuple(self, "deliverables", Deliverable, min_len=1)
        self._validate_milestones()
        _won(self, "price_won", positive=True)
        _tuple(self, "kpis", Kpi, min_len=1)
        names = [k.name for k in self.kpis]
        if len(set(names)) != len(names):
            _fail("kpis", "KPI 이름이 중복됩니다.", "KPI names must be unique.")
        _int(self, "acceptance_days", minimum=1, maximum=180)
        _int(self, "resubmission_days", minimum=1, maximum=180)
        _enum(self, "ip_ownership", IpOwnership)
        if not isinstance(self.on_premises, bool):
            _fail("on_premises", "참/거짓 값이어야 합니다.", "must be true or false.")
        _int(self, "warranty_months", minimum=0, maximum=120)
        _decimal(self, "liability_cap_multiple", minimum=Decimal(0))
        if not Decimal("0.1") <= self.liability_cap_multiple <= Decimal(10):
            _fail("liability_cap_multiple", "계약금액의 0.1배 이상 10배 이하여야 합니다.",
                  "must be between 0.1 and 10 times the price.")
        _instance(self, "late_penalty", LatePenalty)
        _instance(self, "governing_law", Bilingual)
        _instance(self, "court", Bilingual)
        _tuple(self, "members", Member)
        _texts(self, "out_of_scope")
        _texts(self, "data_provided")
        _texts(self, "data_provided_en")
        if not isinstance(self.vat_included, bool):
            _fail("vat_included", "참/거짓 값이어야 합니다.", "must be true or false.")
        _int(self, "max_resubmissions", minimum=0, maximum=10)
        _int(self, "max_attempts", minimum=1, maximum=10)
        _int(self, "log_retention_months", minimum=1, maximum=120)
        _instance(self, "subsidy", Subsidy, optional=True)
        _instance(self, "maintenance", Maintenance, optional=True)
        self._validate_subsidy()
        self._validate_members()
        self._validate_signatures()

    def _validate_milestones(self) -> None:
        _tuple(self, "milestones", Milestone, min_len=1)
        sequences = [m.sequence for m in self.milestones]
        if sequences != list(range(1, len(sequences) + 1)):
            _fail("milestones", "단계 번호는 1부터 순서대로 이어져야 합니다.",
                  "sequences must run 1, 2, 3, ... in order.")
        total = sum(m.payment_percent for m in self.milestones)
        if total != 100:
            _fail("milestones", f"지급 비율의 합계가 100%가 아닙니다({total}%).",
                  f"payment percents must sum to 100 (they sum to {total}).")
        dates = [m.due_date for m in self.milestones if m.due_date is not None]
        weeks = [m.due_week for m in self.milestones if m.due_week is not None]
        if dates != sorted(dates) or weeks != sorted(weeks):
            _fail("milestones", "납기는 단계 순서대로 늦어져야 합니다.",
                  "due dates must not go backwards from one milestone to the next.")

    def _validate_subsidy(self) -> None:
        s = self.subsidy
        if s is None:
            return
        if s.total_won != self.price_won:
            _fail("subsidy", "정부지원금과 수요기업 부담금의 합은 계약금액과 같아야 합니다.",
                  "subsidy plus the SME's own share must equal the price.")
        # The program pays at most ratio x price (caps may make it less).
        if s.subsidy_won > s.ratio * self.price_won:
            _fail("subsidy.subsidy_won", "정부지원금이 지원 비율 상한을 넘습니다.",
                  "subsidy exceeds the program's ratio of the price.")

    def _validate_members(self) -> None:
        if self.client_kind is ClientKind.SME:
            if self.members:
                _fail("members", "단일 수요기업 계약에는 참여기업을 둘 수 없습니다.",
                      "only a cooperative client has member SMEs.")
            return
        if len(self.members) < 2:
            _fail("members", "협동조합 공동과제에는 참여기업이 2개 이상 필요합니다.",
                  "a cooperative joint problem needs at least two member SMEs.")
        numbers = [m.party.business_registration_no for m in self.members]
        others = {self.client.business_registration_no, self.vendor.business_registration_no}
        if len(set(numbers)) != len(numbers) or others & set(numbers):
            _fail("members", "참여기업의 사업자등록번호가 중복됩니다.",
                  "member SMEs must be distinct businesses, other than the client and vendor.")
        if sum(m.share_won for m in self.members) != self.sme_cost_won:
            _fail("members", "참여기업 분담금의 합이 수요기업 부담금과 같아야 합니다.",
                  "member shares must add up to the SME's cost.")

    def _validate_signatures(self) -> None:
        _tuple(self, "signatures", Signature)
        seen = set()
        for sig in self.signatures:
            party = self.party_for(sig.role, sig.business_registration_no)
            if party is None:
                _fail("signatures", "서명자가 계약 당사자가 아닙니다.",
                      "a signature names a business that is not a party in that role.")
            key = (sig.role, sig.business_registration_no)
            if key in seen:
                _fail("signatures", "같은 당사자의 서명이 중복됩니다.",
                      "a party has signed twice.")
            seen.add(key)

    # --- derived values -------------------------------------------------------------

    @property
    def is_cooperative(self) -> bool:
        return self.client_kind is ClientKind.COOPERATIVE

    @property
    def sme_cost_won(self) -> int:
        """What the SME side pays: the price, less any subsidy."""
        return self.subsidy.sme_share_won if self.subsidy else self.price_won

    def milestone_amounts(self) -> tuple[int, ...]:
        """Payment per milestone in won; the last one takes the rounding remainder."""
        amounts = [self.price_won * m.payment_percent // 100 for m in self.milestones]
        amounts[-1] += self.price_won - sum(amounts)
        return tuple(amounts)

    @property
    def late_penalty_cap_won(self) -> int:
        return self.price_won * self.late_penalty.cap_percent // 100

    @property
    def liability_cap_won(self) -> int:
        return int(self.liability_cap_multiple * self.price_won)

    def signing_parties(self) -> tuple[tuple[PartyRole, Party], ...]:
        """Every party that signs, in signing order: client, members, vendor."""
        parties = [(PartyRole.CLIENT, self.client)]
        parties += [(PartyRole.MEMBER, m.party) for m in self.members]
        parties.append((PartyRole.VENDOR, self.vendor))
        return tuple(parties)

    def party_for(self, role: PartyRole, business_registration_no: str) -> Party | None:
        for party_role, party in self.signing_parties():
            if party_role == role and party.business_registration_no == business_registration_no:
                return party
        return None

    def signature_for(self, role: PartyRole, business_registration_no: str) -> Signature | None:
        for sig in self.signatures:
            if sig.role == role and sig.business_registration_no == business_registration_no:
                return sig
        return None

    @property
    def fully_signed(self) -> bool:
        return all(self.signature_for(role, p.business_registration_no)
                   for role, p in self.signing_parties())

    def replace(self, **changes) -> AgreementTerms:
        """A copy with some fields changed (validated again), e.g. for a new version."""
        return dataclasses.replace(self, **changes)
