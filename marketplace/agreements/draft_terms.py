"""The first draft of an agreement's terms from the award, as plain data in and :class:`contracts.AgreementTerms` out.

A pure rule: no Flask, no database. :mod:`marketplace.agreements.services.from_rows` reads the rows
(organisations, the problem and its KPIs, the awarded bid, an approved subsidy) into an
:class:`Award`; :func:`draft_terms` composes the terms with the default options below, or raises
:class:`contracts.TermsError`. Either party may later propose other values for the options as a new
version (:mod:`marketplace.agreements.amendments`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import contracts
from domain.labels import data_kind_label

# --- default options (either party may propose other values as a new version) ------------------

#: The SME keeps the model and results it paid for (and always its data); the vendor may reuse
#: only its pre-existing tools. A vendor licensing its platform proposes ``vendor_licensed``.
DEFAULT_IP_OWNERSHIP = contracts.IpOwnership.SME
#: Days the SME has to test a delivered milestone against the KPIs.
DEFAULT_ACCEPTANCE_DAYS = 14
#: Days the vendor has to deliver again after a rejection.
DEFAULT_RESUBMISSION_DAYS = 21
DEFAULT_MAX_RESUBMISSIONS = 2
#: Months during which defects are fixed free of charge after the final acceptance.
DEFAULT_WARRANTY_MONTHS = 12
#: Each party's liability is capped at this multiple of the price (wilful misconduct excepted).
DEFAULT_LIABILITY_CAP_MULTIPLE = Decimal("1")
#: Late-delivery damages: 0.5 per mille of the price per day late, at most 10 % of the price
#: (the rate of Korea's public contract rules for goods and services).
DEFAULT_LATE_PENALTY = contracts.LatePenalty(Decimal("0.5"), 10)
#: The maintenance service level when the bid names none. Text the platform writes into an agreement
#: is given in both languages (the English agreement prints ``.en``); what a party wrote stays as written.
DEFAULT_SERVICE_LEVEL = contracts.Bilingual(
    "평일 09~18시 원격 지원, 장애 접수 후 1영업일 이내 대응",
    "Remote support on business days from 09:00 to 18:00 Korean time; a response within one business day "
    "of a reported failure")

#: Every draft names documentation among the deliverables; this one when the bid names none.
DEFAULT_DOCUMENTATION = contracts.Deliverable(
    contracts.DeliverableKind.DOCUMENTATION, "모델 설명서·운영 매뉴얼", "모델 카드, 운영 매뉴얼, 재학습 절차서",
    name_en="Model description and operating manual",
    description_en="Model card, operating manual and retraining procedure")
_DOC_WORDS = ("보고서", "매뉴얼", "설명서", "문서", "교육", "report", "manual", "document", "training")
_MODEL_WORDS = ("모델", "model", "알고리즘", "algorithm")


# --- parts ------------------------------------------------------------------------------------

def bilingual(ko: str | None, en: str | None) -> contracts.Bilingual:
    """A name in both languages: one stands in for the other when missing, a dash when both are."""
    ko = (ko or "").strip() or (en or "").strip() or "—"
    en = (en or "").strip() or ko
    return contracts.Bilingual(ko[:300], en[:300])


def party(*, name_ko: str | None, name_en: str | None, business_registration_no: str, representative: str,
          address: str | None, region_ko: str, region_en: str) -> contracts.Party:
    """A party as the terms name it; without a street address, its region stands for it."""
    return contracts.Party(
        name=bilingual(name_ko, name_en),
        business_registration_no=business_registration_no,
        representative=bilingual(representative, representative),
        address=bilingual(address or region_ko, address or region_en),
        region=region_ko,
    )


@dataclass(frozen=True)
class KpiCommitment:
    """A problem's KPI with the value the awarded bid committed to (None: no commitment)."""

    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    direction: str                    # "lower" | "higher"
    committed: Decimal | str | None


def test_set(asset_kinds: Sequence[str], lang: str = "ko") -> str:
    """The hold-out data set each KPI is measured on: from the first data asset the problem offers."""
    if asset_kinds:
        kind = data_kind_label(asset_kinds[0], lang)
        if lang == "ko":
            return f"{kind} 중 최근 3개월 홀드아웃 검수용 데이터셋(착수 시 수요기업이 지정, 학습 제외)"
        return f"a hold-out set of the last 3 months of {kind} (named by the client at the start, not used for training)"
    if lang == "ko":
        return "수요기업이 착수 시 지정하는 최근 3개월 홀드아웃 검수용 데이터셋(학습 제외)"
    return "a hold-out set of the last 3 months named by the client at the start (not used for training)"


def deploys_on_premises(required: bool, offering_modes: Sequence[str] | None) -> bool:
    """Whether the agreement has the on-premises clause: the problem requires it, or the winning bid's
    offering deploys only on the client's premises or at the edge (never in a cloud)."""
    modes = {m for m in offering_modes or () if m}
    return bool(required) or (bool(modes) and modes <= {"on_premises", "edge"})


def acceptance_kpi(kpi: KpiCommitment, test_set: str, test_set_en: str = "") -> contracts.Kpi | None:
    """The acceptance criterion of one KPI; None without a baseline, a target or a commitment.

    Raises :class:`contracts.TermsError` when the commitment does not improve on the baseline.
    """
    if kpi.committed is None or kpi.baseline is None or kpi.target is None:
        return None
    return contracts.Kpi(kpi.name, kpi.unit or "", Decimal(kpi.baseline).normalize(), Decimal(kpi.target).normalize(),
                         Decimal(kpi.committed), contracts.Direction(str(kpi.direction)), test_set, test_set_en)


def deliverable_kind(text: str) -> contracts.DeliverableKind:
    lowered = text.lower()
    if any(w in lowered for w in _DOC_WORDS):
        return contracts.DeliverableKind.DOCUMENTATION
    if any(w in lowered for w in _MODEL_WORDS):
        return contracts.DeliverableKind.MODEL
    return contracts.DeliverableKind.SERVICE


def deliverables(bid_milestones: Iterable[Mapping[str, Any]]) -> tuple[contracts.Deliverable, ...]:
    """One deliverable per distinct milestone deliverable, and documentation if the bid names none."""
    items: list[contracts.Deliverable] = []
    seen = set()
    for m in bid_milestones:
        text = (m.get("deliverable") or m.get("name") or "").strip()
        if text and text not in seen:
            seen.add(text)
            items.append(contracts.Deliverable(deliverable_kind(text), text[:200], m.get("name", "")))
    if not any(d.kind is contracts.DeliverableKind.DOCUMENTATION for d in items):
        items.append(DEFAULT_DOCUMENTATION)
    return tuple(items)


def maintenance_terms(yearly_won: int, years: int, service_level: str | None = None,
                service_level_en: str = "") -> contracts.Maintenance:
    """Maintenance for a yearly fee: at the service level the vendor wrote (as written, in both agreements),
    or at :data:`DEFAULT_SERVICE_LEVEL` in each language when it wrote none."""
    if (service_level or "").strip():
        return contracts.Maintenance(int(yearly_won), int(years), service_level, service_level_en)
    return contracts.Maintenance(int(yearly_won), int(years), DEFAULT_SERVICE_LEVEL.ko, DEFAULT_SERVICE_LEVEL.en)


def milestones(bid_milestones: Iterable[Mapping[str, Any]]) -> tuple[contracts.Milestone, ...]:
    """The bid's milestones, due a number of weeks after signing (dates are fixed when every party has signed)."""
    return tuple(contracts.Milestone(i, m["name"], (m.get("deliverable") or m["name"])[:300],
                                     int(m["payment_percent"]), due_week=int(m["week"]))
                 for i, m in enumerate(bid_milestones, start=1))


def member_shares(sme_cost: int, share_percents: Sequence[Decimal]) -> tuple[int, ...]:
    """Each member SME's share of the SME cost in won, rounded half up; the first takes the remainder."""
    if not share_percents:
        return ()
    shares = [int((Decimal(sme_cost) * Decimal(p) / 100).to_integral_value(rounding=ROUND_HALF_UP))
              for p in share_percents]
    shares[0] += sme_cost - sum(shares)
    return tuple(shares)


def scope(approach: str | None, title: str) -> tuple[str, ...]:
    """The scope of work: the lines of the bid's approach, or the problem's title."""
    return tuple(line.strip()[:1000] for line in (approach or "").splitlines() if line.strip()) or (title,)


def data_provided(data_assets: Iterable[Mapping[str, Any]], lang: str = "ko") -> tuple[str, ...]:
    """The data the client provides: one line per data asset with a kind (a known kind by its name)."""
    months = "{}개월" if lang == "ko" else "{} months"
    return tuple(
        ", ".join(x for x in (data_kind_label(a.get("kind"), lang), a.get("description"), a.get("volume"),
                              months.format(a["period_months"]) if a.get("period_months") else None) if x)[:1000]
        for a in data_assets if a.get("kind"))


# --- the draft ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Award:
    """What the first draft is made of: the parties, the problem and the awarded bid, as plain data."""

    reference: str                   # the agreement's number (AXB-2026-000001)
    created: date                    # today in Korea
    client: contracts.Party
    vendor: contracts.Party
    #: a cooperative's member SMEs that share the cost: each party with its share in percent
    members: tuple[tuple[contracts.Party, Decimal], ...]
    title: str
    description: str | None
    data_assets: tuple[Mapping[str, Any], ...]
    on_premises: bool
    kpis: tuple[contracts.Kpi, ...]
    price_won: int
    approach: str | None
    bid_milestones: tuple[Mapping[str, Any], ...]   # name, deliverable, payment_percent, week
    maintenance_yearly_won: int
    maintenance_years: int
    service_level: str | None
    subsidy: contracts.Subsidy | None = None
    version: int = 1


def draft_terms(award: Award) -> contracts.AgreementTerms:
    """The first version of the terms, with the default options; :class:`contracts.TermsError` if they cannot be."""
    sme_cost = award.subsidy.sme_share_won if award.subsidy else award.price_won
    shares = member_shares(sme_cost, [percent for _party, percent in award.members])
    members = tuple(contracts.Member(member, share)
                    for (member, _percent), share in zip(award.members, shares, strict=True))
    maintenance = None
    if award.maintenance_years and award.maintenance_years > 0:
        maintenance = maintenance_terms(award.maintenance_yearly_won, award.maintenance_years, award.service_level)
    return contracts.AgreementTerms(
        agreement_id=award.reference,
        version=award.version,
        clause_library_version=contracts.CURRENT_CLAUSE_LIBRARY_VERSION,
        created=award.created,
        client_kind=contracts.ClientKind.COOPERATIVE if members else contracts.ClientKind.SME,
        client=award.client,
        vendor=award.vendor,
        project_title=award.title,
        project_summary=award.description or award.title,
        scope=scope(award.approach, award.title),
        deliverables=deliverables(award.bid_milestones),
        milestones=milestones(award.bid_milestones),
        price_won=award.price_won,
        kpis=award.kpis,
        acceptance_days=DEFAULT_ACCEPTANCE_DAYS,
        resubmission_days=DEFAULT_RESUBMISSION_DAYS,
        max_resubmissions=DEFAULT_MAX_RESUBMISSIONS,
        ip_ownership=DEFAULT_IP_OWNERSHIP,
        on_premises=award.on_premises,
        warranty_months=DEFAULT_WARRANTY_MONTHS,
        liability_cap_multiple=DEFAULT_LIABILITY_CAP_MULTIPLE,
        late_penalty=DEFAULT_LATE_PENALTY,
        members=members,
        data_provided=data_provided(award.data_assets),
        data_provided_en=data_provided(award.data_assets, "en"),
        subsidy=award.subsidy,
        maintenance=maintenance,
    )
