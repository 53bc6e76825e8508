"""The agreement terms: plain, frozen data that drafting and rendering read.

The web app converts its rows (problem, awarded bid, subsidy program, signatures)
into these classes; nothing here knows about Flask or a database.

Rules:
- Money is an integer number of won, never a float.
- Ratios and KPI values are ``Decimal`` (ints and floats are converted on the way in,
  floats through their shortest ``repr`` so ``0.7`` becomes ``Decimal("0.7")``).
- Timestamps are UTC-aware ``datetime``; calendar days are ``date``.
- Invalid terms raise :class:`TermsError` naming the field, with the message in Korean
  and English, as soon as the object is built (the checks: :mod:`contracts.checks`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .checks import (  # the field checks (see contracts/checks.py)
    TermsError,
    _decimal,
    _enum,
    _fail,
    _instance,
    _int,
    _text,
    _texts,
    _tuple,
    _won,
    validate_business_registration_no,
)
from .parts import (  # re-exported: one import place for the terms
    Bilingual,
    ClientKind,
    Deliverable,
    DeliverableKind,
    Direction,
    IpOwnership,
    Kpi,
    LatePenalty,
    Maintenance,
    Member,
    Milestone,
    Party,
    PartyRole,
    Signature,
    Subsidy,
)
from .sealing import DEFAULT_MAX_ATTEMPTS

__all__ = [
    "AgreementTerms", "Bilingual", "ClientKind", "Deliverable", "DeliverableKind",
    "Direction", "IpOwnership", "Kpi", "LatePenalty", "Maintenance", "Member",
    "Milestone", "Party", "PartyRole", "Signature", "Subsidy", "TermsError",
    "validate_business_registration_no",
]


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
