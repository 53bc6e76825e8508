"""Rows -> :class:`contracts.AgreementTerms`: the first draft from the problem, the awarded bid and the subsidy."""

from __future__ import annotations

import logging
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlmodel import Session, select

import contracts
from marketplace.accounts.models import MemberRole, Organisation, OrgKind, User
from marketplace.agreements.models import Agreement
from marketplace.agreements.services.reading import korean_today, message_language
from marketplace.bids.models import Bid
from marketplace.core.errors import ValidationFailed
from marketplace.problems import services as problems
from marketplace.problems.models import Problem
from marketplace.programs.models import Program, Subsidy, SubsidyStatus
from matching import taxonomy

logger = logging.getLogger(__name__)


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
DEFAULT_SERVICE_LEVEL = "평일 09~18시 원격 지원, 장애 접수 후 1영업일 이내 대응"

_DOC_WORDS = ("보고서", "매뉴얼", "설명서", "문서", "교육", "report", "manual", "document", "training")
_MODEL_WORDS = ("모델", "model", "알고리즘", "algorithm")


def _bilingual(ko: str | None, en: str | None) -> contracts.Bilingual:
    ko = (ko or "").strip() or (en or "").strip() or "—"
    en = (en or "").strip() or ko
    return contracts.Bilingual(ko[:300], en[:300])


def _owner_name(session: Session, org: Organisation) -> str:
    owner = session.exec(select(User).where(User.organisation_id == org.id, User.role == MemberRole.OWNER)
                         .order_by(User.id)).first()
    return owner.name if owner else "—"


def party_of(session: Session, org: Organisation) -> contracts.Party:
    region = taxonomy.get_region(org.region)
    region_ko = region.label("ko") if region else org.region
    region_en = region.label("en") if region else org.region
    representative = org.representative or _owner_name(session, org)
    address_ko = org.address or region_ko
    return contracts.Party(
        name=_bilingual(org.name_ko, org.name_en),
        business_registration_no=org.brn_display,
        representative=_bilingual(representative, representative),
        address=_bilingual(address_ko, org.address or region_en),
        region=region_ko,
    )


def _kpis(session: Session, problem: Problem, bid: Bid) -> tuple[contracts.Kpi, ...]:
    commitments = {c["kpi_id"]: c["value"] for c in bid.kpi_commitments}
    assets = [a.get("kind") for a in problem.data_assets if a.get("kind")]
    test_set = (f"{assets[0]} 중 최근 3개월 홀드아웃 검수용 데이터셋(착수 시 수요기업이 지정, 학습 제외)"
                if assets else "수요기업이 착수 시 지정하는 최근 3개월 홀드아웃 검수용 데이터셋(학습 제외)")
    kpis = []
    for kpi in problems.list_kpis(session, problem):
        committed = commitments.get(kpi.id)
        if committed is None or kpi.baseline is None or kpi.target is None:
            continue
        try:
            kpis.append(contracts.Kpi(kpi.name, kpi.unit or "", Decimal(kpi.baseline).normalize(),
                                      Decimal(kpi.target).normalize(), Decimal(committed),
                                      contracts.Direction(str(kpi.direction)), test_set))
        except contracts.TermsError:
            logger.warning("kpi %s of problem %s left out of the agreement: commitment does not improve it",
                           kpi.id, problem.id)
    return tuple(kpis)


def _deliverable_kind(text: str) -> contracts.DeliverableKind:
    lowered = text.lower()
    if any(w in lowered for w in _DOC_WORDS):
        return contracts.DeliverableKind.DOCUMENTATION
    if any(w in lowered for w in _MODEL_WORDS):
        return contracts.DeliverableKind.MODEL
    return contracts.DeliverableKind.SERVICE


def _deliverables(bid: Bid) -> tuple[contracts.Deliverable, ...]:
    items: list[contracts.Deliverable] = []
    seen = set()
    for m in bid.milestones:
        text = (m.get("deliverable") or m.get("name") or "").strip()
        if text and text not in seen:
            seen.add(text)
            items.append(contracts.Deliverable(_deliverable_kind(text), text[:200], m.get("name", "")))
    if not any(d.kind is contracts.DeliverableKind.DOCUMENTATION for d in items):
        items.append(contracts.Deliverable(contracts.DeliverableKind.DOCUMENTATION, "모델 설명서·운영 매뉴얼",
                                           "모델 카드, 운영 매뉴얼, 재학습 절차서"))
    return tuple(items)


def _milestones(bid: Bid) -> tuple[contracts.Milestone, ...]:
    """The bid's milestones, due a number of weeks after signing (dates are fixed when both have signed)."""
    return tuple(contracts.Milestone(i, m["name"], (m.get("deliverable") or m["name"])[:300],
                                     int(m["payment_percent"]), due_week=int(m["week"]))
                 for i, m in enumerate(bid.milestones, start=1))


def joint_members(session: Session, problem: Problem, client: Organisation) -> list[problems.JointParty]:
    """The member SMEs that become parties: those of a cooperative's joint problem, if at least two share it."""
    if client.kind != OrgKind.COOPERATIVE:
        return []
    parties = problems.joint_parties(session, problem)
    return parties if len(parties) >= 2 else []


def _members(session: Session, parties: list[problems.JointParty], sme_cost: int) -> tuple[contracts.Member, ...]:
    if not parties:
        return ()
    shares = [int((Decimal(sme_cost) * p.share_percent / 100).to_integral_value(rounding=ROUND_HALF_UP))
              for p in parties]
    shares[0] += sme_cost - sum(shares)  # the rounding remainder goes to the first member
    return tuple(contracts.Member(party_of(session, p.organisation), share)
                 for p, share in zip(parties, shares, strict=True))


def _subsidy_terms(session: Session, subsidy: Subsidy | None) -> contracts.Subsidy | None:
    if subsidy is None or subsidy.status not in (SubsidyStatus.APPROVED, SubsidyStatus.COMMITTED) \
            or subsidy.amount_krw <= 0:
        return None
    program = session.get(Program, subsidy.program_id)
    agency = session.get(Organisation, program.agency_id)
    return contracts.Subsidy(program_name=_bilingual(program.name_ko, program.name_en),
                             agency_name=_bilingual(agency.name_ko, agency.name_en),
                             subsidy_won=int(subsidy.amount_krw), sme_share_won=int(subsidy.own_share_krw),
                             ratio=Decimal(program.subsidy_ratio))


def build_terms(session: Session, agreement: Agreement, problem: Problem, bid: Bid, *,
                subsidy: Subsidy | None, version: int = 1) -> contracts.AgreementTerms:
    """The first draft of the terms, from the problem, the awarded bid and an approved subsidy."""
    client = session.get(Organisation, problem.organisation_id)
    vendor = session.get(Organisation, bid.vendor_id)
    price = int(bid.price_krw)
    subsidy_terms = _subsidy_terms(session, subsidy)
    sme_cost = subsidy_terms.sme_share_won if subsidy_terms else price
    members = _members(session, joint_members(session, problem, client), sme_cost)
    scope = tuple(line.strip()[:1000] for line in (bid.approach or "").splitlines() if line.strip()) \
        or (problem.title,)
    data_provided = tuple(
        ", ".join(x for x in (a.get("kind"), a.get("description"), a.get("volume"),
                              f"{a['period_months']}개월" if a.get("period_months") else None) if x)[:1000]
        for a in problem.data_assets if a.get("kind"))
    maintenance = None
    if bid.maintenance_years and bid.maintenance_years > 0:
        maintenance = contracts.Maintenance(int(bid.maintenance_yearly_krw), int(bid.maintenance_years),
                                            bid.service_level or DEFAULT_SERVICE_LEVEL)
    try:
        return contracts.AgreementTerms(
            agreement_id=agreement.reference,
            version=version,
            clause_library_version=contracts.CURRENT_CLAUSE_LIBRARY_VERSION,
            created=korean_today(),
            client_kind=contracts.ClientKind.COOPERATIVE if members else contracts.ClientKind.SME,
            client=party_of(session, client),
            vendor=party_of(session, vendor),
            project_title=problem.title,
            project_summary=problem.description or problem.title,
            scope=scope,
            deliverables=_deliverables(bid),
            milestones=_milestones(bid),
            price_won=price,
            kpis=_kpis(session, problem, bid),
            acceptance_days=DEFAULT_ACCEPTANCE_DAYS,
            resubmission_days=DEFAULT_RESUBMISSION_DAYS,
            max_resubmissions=DEFAULT_MAX_RESUBMISSIONS,
            ip_ownership=DEFAULT_IP_OWNERSHIP,
            on_premises=bool(problem.on_premises_required),
            warranty_months=DEFAULT_WARRANTY_MONTHS,
            liability_cap_multiple=DEFAULT_LIABILITY_CAP_MULTIPLE,
            late_penalty=DEFAULT_LATE_PENALTY,
            members=members,
            data_provided=data_provided,
            subsidy=subsidy_terms,
            maintenance=maintenance,
        )
    except contracts.TermsError as exc:
        raise ValidationFailed(_("The agreement cannot be drafted: %(reason)s",
                                 reason=exc.message(message_language())), field=exc.field) from None
