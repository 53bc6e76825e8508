"""Agreement rules: drafting from the awarded bid, proposals, signing, delivery, reviews and verification.

Rows are converted into :class:`contracts.AgreementTerms` here; the ``contracts`` library drafts and
renders them. A signed version never changes: :func:`_require_unsigned` refuses in the service and
migration 0006 adds database triggers that raise on UPDATE or DELETE of a signed version row.

When the agreement is drafted:
- a problem without a program: at once, when the bid is awarded (signal ``bid-awarded``);
- a problem under a program: when the agency approves the subsidy (signal ``subsidy-approved``).
  If the subsidy is rejected the problem stays awarded; either party may then
  :func:`continue_without_subsidy`, which drafts the agreement with no subsidy terms.

Who the parties are: the client (an SME, or a cooperative posting a joint problem) and the vendor,
plus, for a cooperative's joint problem, each member SME that pays a share (:class:`AgreementMember`).
Every party's owner signs each version; the version is signed when all of them have. The cooperative
acts for its members in everything else: proposing changes, terminating, accepting or rejecting
milestones and reviewing stay with the cooperative and the vendor, and a member SME may view the
agreement, its versions, PDFs and milestones and sign (:func:`_refuse_member` says so).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import contracts
from domain.criteria import CRITERIA
from domain.money import MAX_WON
from marketplace import signals
from marketplace.accounts.models import MemberRole, Organisation, OrgKind, User
from marketplace.agreements.models import (
    Agreement,
    AgreementMember,
    AgreementMilestone,
    AgreementStatus,
    AgreementVersion,
    MilestoneStatus,
    Review,
    Signature,
    VersionStatus,
)
from marketplace.audit import services as audit
from marketplace.bids.models import Bid, BidState
from marketplace.core import passwords
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.i18n import current_locale
from marketplace.notifications import services as notifications
from marketplace.offerings.models import Offering
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs.models import Program, Subsidy, SubsidyStatus
from marketplace.programs.services import active_subsidy
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

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_DOC_WORDS = ("보고서", "매뉴얼", "설명서", "문서", "교육", "report", "manual", "document", "training")
_MODEL_WORDS = ("모델", "model", "알고리즘", "algorithm")


def _today() -> date:
    """Today in Korea (the parties' calendar)."""
    return korean_date(utcnow())


def korean_date(moment: datetime) -> date:
    return (moment + timedelta(hours=9)).date()


# --- reading --------------------------------------------------------------------------------

def member_ids(session: Session, agreement: Agreement) -> tuple[int, ...]:
    """The member SMEs that are parties (a cooperative's joint problem), in the order of the terms."""
    return tuple(session.exec(select(AgreementMember.organisation_id)
                              .where(AgreementMember.agreement_id == agreement.id)
                              .order_by(AgreementMember.position)))


def party_ids(session: Session, agreement: Agreement) -> tuple[int, ...]:
    """Every party that signs, in signing order: the client, its member SMEs, the vendor."""
    return agreement.client_id, *member_ids(session, agreement), agreement.vendor_id


def has_members(session: Session, agreement: Agreement) -> bool:
    """Whether member SMEs are parties too (a cooperative's joint problem): more than two parties sign."""
    return session.exec(select(AgreementMember.organisation_id)
                        .where(AgreementMember.agreement_id == agreement.id).limit(1)).first() is not None


def is_member_party(session: Session, user: User | None, agreement: Agreement) -> bool:
    """Whether the user belongs to a member SME that is a party (not the cooperative itself)."""
    if not (user and user.is_authenticated and user.organisation_id):
        return False
    return session.get(AgreementMember, (agreement.id, user.organisation_id)) is not None


def is_party(session: Session, user: User | None, agreement: Agreement) -> bool:
    if not (user and user.is_authenticated and user.organisation_id):
        return False
    return user.organisation_id in (agreement.client_id, agreement.vendor_id) \
        or is_member_party(session, user, agreement)


def can_view(session: Session, user: User | None, agreement: Agreement) -> bool:
    return is_party(session, user, agreement) or bool(user and user.is_authenticated and user.is_admin)


def get_agreement(session: Session, agreement_id: int, *, viewer: User | None) -> Agreement:
    """The agreement for its parties (member SMEs included) and admins; NotFound for everyone else."""
    agreement = session.get(Agreement, agreement_id)
    if agreement is None or not can_view(session, viewer, agreement):
        raise NotFound(_("No such agreement."))
    return agreement


def list_member_agreements(session: Session, organisation_id: int) -> list[tuple[Agreement, Problem]]:
    """The agreements an SME is a party of as a member of a cooperative, newest first, with their problems."""
    return list(session.exec(select(Agreement, Problem)
                             .join(AgreementMember, AgreementMember.agreement_id == Agreement.id)
                             .join(Problem, Problem.id == Agreement.problem_id)
                             .where(AgreementMember.organisation_id == organisation_id)
                             .order_by(Agreement.created_at.desc(), Agreement.id.desc())))


def agreement_for_problem(session: Session, problem: Problem) -> Agreement | None:
    return session.exec(select(Agreement).where(Agreement.problem_id == problem.id)).first()


def get_agreement_for_problem(session: Session, problem_id: int, *, viewer: User | None) -> Agreement:
    problem = session.get(Problem, problem_id)
    agreement = agreement_for_problem(session, problem) if problem else None
    if agreement is None or not can_view(session, viewer, agreement):
        raise NotFound(_("No such agreement."))
    return agreement


def get_version(session: Session, agreement: Agreement, number: int | None = None) -> AgreementVersion:
    number = number or agreement.current_version
    version = session.exec(select(AgreementVersion).where(AgreementVersion.agreement_id == agreement.id,
                                                          AgreementVersion.number == number)).first()
    if version is None:
        raise NotFound(_("No such agreement version."))
    return version


def list_versions(session: Session, agreement: Agreement) -> list[AgreementVersion]:
    return list(session.exec(select(AgreementVersion).where(AgreementVersion.agreement_id == agreement.id)
                             .order_by(AgreementVersion.number)))


def terms_of(version: AgreementVersion) -> contracts.AgreementTerms:
    return contracts.terms_from_dict(version.terms)


def list_signatures(session: Session, version: AgreementVersion) -> list[Signature]:
    return list(session.exec(select(Signature).where(Signature.version_id == version.id).order_by(Signature.id)))


@dataclass(frozen=True)
class SigningParty:
    """One party of a version as the terms name it, the organisation behind it and its signature, if any."""

    role: contracts.PartyRole
    organisation_id: int | None      # None only for a member whose organisation no longer exists
    party: contracts.Party
    share_won: int | None            # a member SME's share of the SME cost
    signature: Signature | None


def signing_parties(session: Session, agreement: Agreement, version: AgreementVersion,
                    signatures: list[Signature] | None = None, *,
                    terms: contracts.AgreementTerms | None = None) -> list[SigningParty]:
    """Client, member SMEs and vendor of the version, in signing order, each with its signature.

    ``terms``: the version's terms, if the caller has already read them.
    """
    terms = terms or terms_of(version)
    by_org = {s.organisation_id: s for s in (list_signatures(session, version) if signatures is None
                                             else signatures)}
    members = dict(session.exec(select(AgreementMember.position, AgreementMember.organisation_id)
                                .where(AgreementMember.agreement_id == agreement.id)).all())
    result = [SigningParty(contracts.PartyRole.CLIENT, agreement.client_id, terms.client, None,
                           by_org.get(agreement.client_id))]
    for position, member in enumerate(terms.members, start=1):
        org_id = members.get(position)
        result.append(SigningParty(contracts.PartyRole.MEMBER, org_id, member.party, member.share_won,
                                   by_org.get(org_id) if org_id is not None else None))
    result.append(SigningParty(contracts.PartyRole.VENDOR, agreement.vendor_id, terms.vendor, None,
                               by_org.get(agreement.vendor_id)))
    return result


def list_milestones(session: Session, agreement: Agreement) -> list[AgreementMilestone]:
    return list(session.exec(select(AgreementMilestone).where(AgreementMilestone.agreement_id == agreement.id)
                             .order_by(AgreementMilestone.sequence)))


def get_review(session: Session, agreement: Agreement) -> Review | None:
    return session.exec(select(Review).where(Review.agreement_id == agreement.id)).first()


def status_labels(*, several: bool = False) -> dict[str, str]:
    """Agreement states as the parties read them; ``several``: the agreement has more than two parties (a cooperative's member SMEs sign too)."""
    if several:
        return {"draft": _("Draft: waiting for signatures"),
                "pending_signatures": _("Partly signed: waiting for the other parties"),
                "signed": _("Signed by every party"), "terminated": _("Terminated")}
    return {"draft": _("Draft: waiting for signatures"), "pending_signatures": _("Signed by one party"),
            "signed": _("Signed by both parties"), "terminated": _("Terminated")}


def awarded_bid(session: Session, problem: Problem) -> Bid | None:
    return session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.state == BidState.AWARDED)).first()


@dataclass(frozen=True)
class Waiting:
    """What a problem without an agreement yet is waiting for (shown to both parties)."""

    reason: str                      # "subsidy_pending" | "subsidy_rejected" | "not_awarded"
    subsidy: Subsidy | None = None


def waiting_for(session: Session, problem: Problem) -> Waiting | None:
    """Why an awarded problem has no agreement yet, or None once it has one."""
    if agreement_for_problem(session, problem) is not None:
        return None
    if problem.state != ProblemState.AWARDED:
        return Waiting("not_awarded")
    subsidy = active_subsidy(session, problem) if problem.program_id else None
    if subsidy is not None and subsidy.status == SubsidyStatus.PENDING:
        return Waiting("subsidy_pending", subsidy)
    if subsidy is not None and subsidy.status in (SubsidyStatus.REJECTED, SubsidyStatus.RELEASED):
        return Waiting("subsidy_rejected", subsidy)
    return Waiting("not_awarded")


# --- rows -> contracts.AgreementTerms -----------------------------------------------------------

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
    commitments = {c.kpi_id: c.value for c in bid.kpi_commitments}
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


def _joint_members(session: Session, problem: Problem, client: Organisation) -> list[problems.JointParty]:
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
    members = _members(session, _joint_members(session, problem, client), sme_cost)
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
            created=_today(),
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
                                 reason=exc.message(_lang())), field=exc.field) from None


def _lang() -> str:
    try:
        return current_locale()
    except RuntimeError:
        return "ko"


# --- drafting -----------------------------------------------------------------------------------

def draft_agreement(session: Session, *, problem: Problem, bid: Bid, subsidy: Subsidy | None = None,
                    user: User | None = None) -> Agreement:
    """Create the agreement and its first version for an awarded bid. One per problem; repeating returns it."""
    existing = agreement_for_problem(session, problem)
    if existing is not None:
        return existing
    if bid.state != BidState.AWARDED or bid.problem_id != problem.id:
        raise Conflict(_("Only an awarded bid becomes an agreement."))
    agreement = Agreement(problem_id=problem.id, bid_id=bid.id, client_id=problem.organisation_id,
                          vendor_id=bid.vendor_id, status=AgreementStatus.DRAFT, current_version=1)
    try:
        with session.begin_nested():
            session.add(agreement)
            session.flush()
    except IntegrityError:
        return agreement_for_problem(session, problem)
    terms = build_terms(session, agreement, problem, bid, subsidy=subsidy)
    session.add(AgreementVersion(agreement_id=agreement.id, number=1, terms=contracts.terms_to_dict(terms),
                                 created_by_id=user.id if user else None, proposed_by_id=None))
    # The member SMEs named in the terms become parties who sign (matched by their registration number).
    joint = {p.organisation.brn_display: p.organisation
             for p in _joint_members(session, problem, session.get(Organisation, agreement.client_id))}
    for position, member in enumerate(terms.members, start=1):
        org = joint[member.party.business_registration_no]
        session.add(AgreementMember(agreement_id=agreement.id, organisation_id=org.id, position=position))
    session.flush()
    parties = party_ids(session, agreement)
    logger.info("agreement drafted id=%s problem=%s bid=%s subsidy=%s members=%s", agreement.id, problem.id, bid.id,
                subsidy.id if subsidy else None, len(parties) - 2)
    notifications.notify_organisations(session, parties, "agreement_ready",
                                       {"title": problem.title}, link=f"/agreements/{agreement.id}")
    return agreement


def draft_on_award(session: Session, problem: Problem, bid: Bid) -> Agreement | None:
    """On ``bid-awarded``: a problem without a program gets its draft at once."""
    if problem.program_id:
        return None  # waits for the agency's decision on the subsidy
    return draft_agreement(session, problem=problem, bid=bid)


def draft_on_subsidy_approval(session: Session, subsidy: Subsidy) -> Agreement | None:
    """On ``subsidy-approved``: the subsidy is approved, so the agreement (with the subsidy) is drafted."""
    problem = session.get(Problem, subsidy.problem_id)
    bid = session.get(Bid, subsidy.bid_id)
    if problem is None or bid is None or bid.state != BidState.AWARDED:
        return None
    return draft_agreement(session, problem=problem, bid=bid, subsidy=subsidy)


def tell_subsidy_rejected(session: Session, subsidy: Subsidy) -> None:
    """On ``subsidy-rejected``: both parties learn it; they may continue without the subsidy."""
    problem = session.get(Problem, subsidy.problem_id)
    bid = session.get(Bid, subsidy.bid_id)
    if problem is None or bid is None:
        return
    notifications.notify_organisations(session, [problem.organisation_id, bid.vendor_id], "subsidy_rejected",
                                       {"title": problem.title, "reason": subsidy.reason or ""},
                                       link=f"/problems/{problem.id}/agreement")


def continue_without_subsidy(session: Session, *, user: User, problem: Problem) -> Agreement:
    """After a rejected subsidy, an owner of either party drafts the agreement without it."""
    bid = awarded_bid(session, problem)
    if bid is None or user.organisation_id not in (problem.organisation_id, bid.vendor_id):
        raise NotFound(_("No such agreement."))
    if user.role != MemberRole.OWNER:
        raise NotAllowed(_("Only an owner of the organisation can do this."))
    waiting = waiting_for(session, problem)
    if waiting is None:
        return agreement_for_problem(session, problem)
    if waiting.reason != "subsidy_rejected":
        raise Conflict(_("The agreement can be drafted without the subsidy only after the subsidy was refused."))
    return draft_agreement(session, problem=problem, bid=bid, user=user)


# --- proposals (new versions) -----------------------------------------------------------------------

#: The terms a party may change by proposal; everything else comes from the award.
PROPOSABLE = ("ip_ownership", "warranty_months", "liability_cap_multiple", "acceptance_days", "resubmission_days",
              "maintenance_yearly_won", "maintenance_years", "milestone_due_dates")


def _refuse_member(action: str) -> None:
    """A member SME views and signs; the cooperative acts for it in everything else."""
    if action == "propose":
        raise NotAllowed(_("The cooperative proposes changes for its member SMEs; as a member you review and "
                           "sign each version."))
    if action == "terminate":
        raise NotAllowed(_("Only the cooperative or the vendor can terminate the agreement; the cooperative acts "
                           "for its member SMEs."))
    if action == "decide":
        raise NotAllowed(_("The cooperative accepts or rejects milestones for its member SMEs."))
    if action == "review":
        raise NotAllowed(_("The cooperative reviews the vendor for its member SMEs."))
    raise NotAllowed(_("The cooperative does this for its member SMEs."))


def _require_party_owner(session: Session, user: User, agreement: Agreement, *, action: str) -> None:
    """An owner of a party; member SMEs only to sign (otherwise the cooperative acts for them)."""
    if not is_party(session, user, agreement):
        if user is not None and user.is_authenticated and user.is_admin:
            raise NotAllowed(_("Only the parties to the agreement can do this."))
        raise NotFound(_("No such agreement."))
    if action != "sign" and is_member_party(session, user, agreement):
        _refuse_member(action)
    if user.role != MemberRole.OWNER:
        if action == "sign":
            raise NotAllowed(_("Only an owner of your organisation can sign the agreement."))
        raise NotAllowed(_("Only an owner of your organisation can do this."))


def _require_unsigned(version: AgreementVersion) -> None:
    if version.status == VersionStatus.SIGNED:
        raise Conflict(_("A signed version never changes; propose an amendment instead."))
    if version.status == VersionStatus.SUPERSEDED:
        raise Conflict(_("This version was replaced by a newer proposal."))


def _parse_date(value: Any, field: str, errors: dict) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return None


def _parse_int(value: Any, field: str, errors: dict, low: int, high: int) -> int | None:
    try:
        number = int(str(value).replace(",", "").strip())
    except ValueError:
        number = None
    if number is None or isinstance(value, bool) or not low <= number <= high:
        errors[field] = _("Enter a whole number from %(low)s to %(high)s.", low=f"{low:,}", high=f"{high:,}")
        return None
    return number


def apply_changes(terms: contracts.AgreementTerms, changes: dict, *, today: date) -> contracts.AgreementTerms:
    """The terms with the proposed changes, validated; ValidationFailed names the bad fields."""
    errors: dict[str, str] = {}
    unknown = set(changes) - set(PROPOSABLE)
    for key in unknown:
        errors[key] = _("This term cannot be changed by a proposal.")
    new: dict[str, Any] = {}
    if "ip_ownership" in changes:
        try:
            new["ip_ownership"] = contracts.IpOwnership(changes["ip_ownership"])
        except ValueError:
            errors["ip_ownership"] = _("Choose one of the allowed values.")
    for key, low, high in (("warranty_months", 0, 120), ("acceptance_days", 1, 180), ("resubmission_days", 1, 180)):
        if key in changes:
            value = _parse_int(changes[key], key, errors, low, high)
            if value is not None:
                new[key] = value
    if "liability_cap_multiple" in changes:
        try:
            cap = Decimal(str(changes["liability_cap_multiple"]).strip())
            if not cap.is_finite() or not Decimal("0.1") <= cap <= Decimal(10):
                raise InvalidOperation
            new["liability_cap_multiple"] = cap.normalize()
        except (InvalidOperation, ValueError):
            errors["liability_cap_multiple"] = _("Enter a multiple of the price from 0.1 to 10.")
    if "maintenance_yearly_won" in changes or "maintenance_years" in changes:
        current = terms.maintenance
        yearly = _parse_int(changes.get("maintenance_yearly_won", current.yearly_won if current else 0),
                            "maintenance_yearly_won", errors, 0, MAX_WON)
        years = _parse_int(changes.get("maintenance_years", current.years if current else 0),
                           "maintenance_years", errors, 0, 20)
        if yearly is not None and years is not None:
            new["maintenance"] = None if years == 0 else contracts.Maintenance(
                yearly, years, current.service_level if current else DEFAULT_SERVICE_LEVEL)
    if "milestone_due_dates" in changes:
        raw = changes["milestone_due_dates"] or {}
        if not isinstance(raw, dict):
            errors["milestone_due_dates"] = _("Give a date for each milestone to change.")
            raw = {}
        by_sequence = {str(m.sequence): m for m in terms.milestones}
        milestones = list(terms.milestones)
        for key, value in raw.items():
            field = f"milestone_due_dates.{key}"
            if str(key) not in by_sequence:
                errors[field] = _("No such milestone.")
                continue
            if value in (None, ""):
                continue
            due = _parse_date(value, field, errors)
            if due is None:
                continue
            if due < today:
                errors[field] = _("A due date cannot be before today.")
                continue
            m = by_sequence[str(key)]
            milestones[m.sequence - 1] = contracts.Milestone(m.sequence, m.name, m.deliverable, m.payment_percent,
                                                             due_date=due)
        new["milestones"] = tuple(milestones)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    try:
        return terms.replace(**new)
    except contracts.TermsError as exc:
        field = "milestone_due_dates" if exc.field.startswith("milestone") else exc.field
        raise ValidationFailed(exc.message(_lang()), field=field) from None


def propose_changes(session: Session, *, user: User, agreement: Agreement, changes: dict,
                    note: str = "") -> AgreementVersion:
    """A party proposes new values for variable terms: a new version replaces the pending one.

    Signatures on the pending version are dropped with it (it is kept as ``superseded``). After a
    signed version, the proposal is an amendment: the signed version stays in force until both sign.
    """
    _require_party_owner(session, user, agreement, action="propose")
    if agreement.status == AgreementStatus.TERMINATED:
        raise Conflict(_("This agreement has been terminated."))
    current = get_version(session, agreement)
    base = terms_of(current)
    if current.status == VersionStatus.SIGNED:
        base = base.replace(signatures=())
    new_terms = apply_changes(base, changes, today=_today())
    if not contracts.diff_terms(base, new_terms):
        raise ValidationFailed(_("The proposal changes nothing."))
    number = agreement.current_version + 1
    new_terms = new_terms.replace(version=number, created=_today())
    if current.status == VersionStatus.DRAFT:
        current.status = VersionStatus.SUPERSEDED
        session.add(current)
    version = AgreementVersion(agreement_id=agreement.id, number=number, terms=contracts.terms_to_dict(new_terms),
                               created_by_id=user.id, proposed_by_id=user.organisation_id,
                               note=(note or "").strip()[:500])
    agreement.current_version = number
    agreement.status = AgreementStatus.DRAFT if agreement.signed_version is None \
        else AgreementStatus.PENDING_SIGNATURES
    session.add_all([version, agreement])
    session.flush()
    logger.info("agreement %s version %s proposed by org=%s", agreement.id, number, user.organisation_id)
    other = [o for o in party_ids(session, agreement) if o != user.organisation_id]
    problem = session.get(Problem, agreement.problem_id)
    notifications.notify_organisations(session, other, "agreement_proposal", {"title": problem.title,
                                                                              "version": number},
                                       link=f"/agreements/{agreement.id}")
    return version


def changes_from_previous(session: Session, agreement: Agreement, version: AgreementVersion,
                          lang: str) -> list[dict]:
    """``contracts.diff_terms`` between the version before this one and it, labelled in ``lang``."""
    if version.number <= 1:
        return []
    previous = get_version(session, agreement, version.number - 1)
    result = []
    for change in contracts.diff_terms(terms_of(previous), terms_of(version)):
        result.append({"path": change.path, "label": change.label(lang), "kind": change.kind,
                       "old": _show(change.old, lang), "new": _show(change.new, lang)})
    return result


def _show(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("예" if value else "아니오") if lang == "ko" else ("yes" if value else "no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, contracts.Maintenance):
        return (f"{value.yearly_won:,}원 × {value.years}년" if lang == "ko"
                else f"KRW {value.yearly_won:,} × {value.years} years")
    if isinstance(value, contracts.Milestone):
        due = value.due_date.isoformat() if value.due_date else (
            f"착수 후 {value.due_week}주" if lang == "ko" else f"week {value.due_week}")
        return f"{value.name} ({due})"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


# --- signing ------------------------------------------------------------------------------------------

def _client_ip(ip: str | None) -> str:
    import ipaddress

    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return "0.0.0.0"


def sign_agreement(session: Session, *, user: User, agreement: Agreement, password: str,
                   ip_address: str | None, user_agent: str | None) -> Signature:
    """An owner of one party (client, member SME or vendor) signs the current version after entering
    their password again.

    When every party has signed, the final PDFs (ko, en) are rendered with all the signatures and
    stored with their SHA-256; the version becomes immutable, the problem is contracted and an
    approved subsidy is committed. Until then the parties still to sign are told.
    """
    _require_party_owner(session, user, agreement, action="sign")
    agreement = session.exec(select(Agreement).where(Agreement.id == agreement.id).with_for_update()
                             .execution_options(populate_existing=True)).one()
    version = get_version(session, agreement)
    if version.status == VersionStatus.SIGNED:
        raise Conflict(_("This version is already signed by every party."))
    _require_unsigned(version)
    if session.exec(select(Signature).where(Signature.version_id == version.id,
                                            Signature.organisation_id == user.organisation_id)).first():
        raise Conflict(_("Your organisation has already signed this version."))
    if not passwords.verify_password(user.password_hash, password or ""):
        raise ValidationFailed(_("The password is not correct."), field="password")
    signature = Signature(version_id=version.id, organisation_id=user.organisation_id, user_id=user.id,
                          signer_name=user.name, signed_at=utcnow(), ip_address=_client_ip(ip_address),
                          user_agent=(user_agent or "")[:255])
    try:
        with session.begin_nested():
            session.add(signature)
            session.flush()
    except IntegrityError:
        raise Conflict(_("Your organisation has already signed this version.")) from None
    logger.info("agreement %s v%s signed by org=%s user=%s", agreement.id, version.number,
                user.organisation_id, user.id)
    audit.record(session, "agreement_signed", actor=user, obj=agreement, details={"version": version.number})
    problem = session.get(Problem, agreement.problem_id)
    signatures = list_signatures(session, version)
    signed = {s.organisation_id for s in signatures}
    parties = party_ids(session, agreement)
    if signed >= set(parties):
        _complete_signing(session, agreement, version, problem, signatures)
    else:
        agreement.status = AgreementStatus.PENDING_SIGNATURES
        session.add(agreement)
        session.flush()
        waiting = [o for o in parties if o not in signed]
        notifications.notify_organisations(session, waiting, "agreement_signed_by_other",
                                           {"title": problem.title, "version": version.number,
                                            "parties": len(parties)},
                                           link=f"/agreements/{agreement.id}")
    return signature


def _contract_signatures(session: Session, agreement: Agreement, version: AgreementVersion,
                         terms: contracts.AgreementTerms,
                         signatures: list[Signature]) -> tuple[contracts.Signature, ...]:
    """Every party's signature for the PDF: client, each member SME (role MEMBER), vendor."""
    return tuple(contracts.Signature(p.role, p.party.business_registration_no, p.signature.signer_name,
                                     p.signature.signed_at, p.signature.ip_address)
                 for p in signing_parties(session, agreement, version, signatures, terms=terms)
                 if p.signature is not None)


def _complete_signing(session: Session, agreement: Agreement, version: AgreementVersion, problem: Problem,
                      signatures: list[Signature]) -> None:
    terms = terms_of(version)
    signed_terms = terms.replace(
        signatures=_contract_signatures(session, agreement, version, terms, signatures))
    pdf_ko = contracts.render_pdf(signed_terms, "ko")
    pdf_en = contracts.render_pdf(signed_terms, "en")
    now = utcnow()
    version.terms = contracts.terms_to_dict(signed_terms)
    version.pdf_ko, version.pdf_en = pdf_ko, pdf_en
    version.sha256_ko, version.sha256_en = contracts.sha256_hex(pdf_ko), contracts.sha256_hex(pdf_en)
    version.signed_at = now
    version.status = VersionStatus.SIGNED
    first = agreement.signed_version is None
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_version = version.number
    session.add_all([version, agreement])
    session.flush()
    signed_on = (now + timedelta(hours=9)).date()
    _sync_milestones(session, agreement, signed_terms, signed_on if first else None)
    if first and problem.state == ProblemState.AWARDED:
        problem.state = ProblemState.CONTRACTED
        session.add(problem)
    signals.agreement_signed.send(agreement, session=session, problem=problem,
                                  with_subsidy=signed_terms.subsidy is not None)
    session.flush()
    logger.info("agreement %s v%s fully signed sha256_ko=%s", agreement.id, version.number, version.sha256_ko)
    parties = party_ids(session, agreement)
    notifications.notify_organisations(session, parties, "agreement_signed",
                                       {"title": problem.title, "version": version.number,
                                        "parties": len(parties)},
                                       link=f"/agreements/{agreement.id}")


def _sync_milestones(session: Session, agreement: Agreement, terms: contracts.AgreementTerms,
                     signed_on: date | None) -> None:
    """First signature: one delivery row per milestone. Amendment: pending rows take the new dates and terms."""
    amounts = terms.milestone_amounts()
    existing = {m.sequence: m for m in list_milestones(session, agreement)}
    anchor = signed_on or first_signed_on(session, agreement) or _today()
    for m, amount in zip(terms.milestones, amounts, strict=True):
        due = m.due_date or (anchor + timedelta(weeks=m.due_week))
        row = existing.get(m.sequence)
        if row is None:
            session.add(AgreementMilestone(agreement_id=agreement.id, sequence=m.sequence, name=m.name[:200],
                                           deliverable=m.deliverable[:300], due_date=due,
                                           payment_percent=m.payment_percent, amount_krw=amount))
        elif row.status in (MilestoneStatus.PENDING, MilestoneStatus.REJECTED):
            row.due_date, row.name, row.deliverable = due, m.name[:200], m.deliverable[:300]
            row.payment_percent, row.amount_krw = m.payment_percent, amount
            session.add(row)
    session.flush()


def first_signed_on(session: Session, agreement: Agreement) -> date | None:
    """The Korean date on which the agreement first took effect (weeks of milestones count from it)."""
    version = session.exec(select(AgreementVersion).where(
        AgreementVersion.agreement_id == agreement.id, AgreementVersion.status == VersionStatus.SIGNED)
        .order_by(AgreementVersion.number)).first()
    return (version.signed_at + timedelta(hours=9)).date() if version and version.signed_at else None


# --- PDF ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pdf:
    data: bytes
    filename: str
    draft: bool


def agreement_pdf(session: Session, agreement: Agreement, *, lang: str, number: int | None = None) -> Pdf:
    """The signed PDF when the version is signed, else a freshly rendered draft marked as such."""
    if lang not in contracts.LANGUAGES:
        raise ValidationFailed(_("Choose ko or en."), field="lang")
    version = get_version(session, agreement, number)
    if version.status == VersionStatus.SIGNED:
        data = version.pdf_ko if lang == "ko" else version.pdf_en
        return Pdf(data, f"agreement-{agreement.id}-v{version.number}-{lang}.pdf", False)
    terms = terms_of(version)
    draft = terms.replace(agreement_id=f"{terms.agreement_id}-DRAFT")
    return Pdf(contracts.render_pdf(draft, lang), f"agreement-{agreement.id}-v{version.number}-{lang}-draft.pdf",
               True)


# --- verification -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    verified: bool
    sha256: str
    agreement_id: int | None = None
    reference: str | None = None
    version: int | None = None
    language: str | None = None
    signed_at: datetime | None = None


def verify_sha256(session: Session, sha256: str) -> Verification:
    """Whether a SHA-256 is that of a signed AX Bridge agreement PDF; tells nothing of its content."""
    value = (sha256 or "").strip()
    if not _SHA256.match(value):
        raise ValidationFailed(_("Enter a SHA-256 as 64 hexadecimal characters."), field="sha256")
    value = value.lower()
    for column, lang in ((AgreementVersion.sha256_ko, "ko"), (AgreementVersion.sha256_en, "en")):
        version = session.exec(select(AgreementVersion).where(column == value,
                                                              AgreementVersion.status == VersionStatus.SIGNED)).first()
        if version is not None:
            agreement = session.get(Agreement, version.agreement_id)
            return Verification(True, value, agreement.id, agreement.reference, version.number, lang,
                                version.signed_at)
    return Verification(False, value)


def verify_pdf(session: Session, data: bytes | None) -> Verification:
    if not data:
        raise ValidationFailed(_("Choose a PDF file to check."), field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge()
    if not data.startswith(b"%PDF-"):
        raise ValidationFailed(_("This file is not a PDF."), field="file")
    return verify_sha256(session, hashlib.sha256(data).hexdigest())


class UploadTooLarge(ValidationFailed):
    status = 413
    type_slug = "too-large"

    def __init__(self):
        super().__init__(_("The file is larger than 10 MB."), field="file")


# --- delivery -----------------------------------------------------------------------------------------

def get_milestone(session: Session, milestone_id: int, *, viewer: User) -> tuple[AgreementMilestone, Agreement]:
    milestone = session.get(AgreementMilestone, milestone_id)
    agreement = session.get(Agreement, milestone.agreement_id) if milestone else None
    if agreement is None or not can_view(session, viewer, agreement):
        raise NotFound(_("No such milestone."))
    return milestone, agreement


def terminate_agreement(session: Session, *, user: User, agreement: Agreement, password: str,
                        reason: str) -> Agreement:
    """The client or the vendor ends a signed agreement under its termination clause.

    The signed versions stay exactly as they are (they are immutable); the agreement is marked
    terminated, the problem is cancelled with the reason, an approved or committed subsidy is
    released back to the program's budget, and the other parties (member SMEs included) are told.
    Like signing, it needs an owner and their password again; a member SME cannot terminate, the
    cooperative does it for its members.
    """
    _require_party_owner(session, user, agreement, action="terminate")
    if agreement.status == AgreementStatus.TERMINATED:
        raise Conflict(_("This agreement has been terminated."))
    if agreement.signed_version is None:
        raise Conflict(_("Only a signed agreement can be terminated; an unsigned one simply stays unsigned."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the agreement ends; the other party reads it."), field="reason")
    if len(reason) > 1000:
        raise ValidationFailed(_("Use at most %(n)d characters.", n=1000), field="reason")
    if not passwords.verify_password(user.password_hash, password or ""):
        raise ValidationFailed(_("Your password is not correct."), field="password")
    problem = session.get(Problem, agreement.problem_id)
    agreement.status = AgreementStatus.TERMINATED
    problem.state = ProblemState.CANCELLED
    problem.cancelled_at = utcnow()
    problem.cancel_reason = reason[:500]
    session.add_all([agreement, problem])
    session.flush()
    signals.agreement_terminated.send(agreement, session=session, problem=problem, reason=reason[:500])
    audit.record(session, "agreement_terminated", actor=user, obj=agreement, details={"reason": reason[:200]})
    parties = party_ids(session, agreement)
    other = [org_id for org_id in parties if org_id != user.organisation_id]
    by = "vendor" if user.organisation_id == agreement.vendor_id else "client"
    notifications.notify_organisations(session, other, "agreement_terminated",
                                       {"title": problem.title, "reason": reason[:300], "by": by,
                                        "parties": len(parties)},
                                       link=f"/agreements/{agreement.id}")
    logger.info("agreement %s terminated by org=%s", agreement.id, user.organisation_id)
    return agreement


def _require_in_force(agreement: Agreement) -> None:
    if agreement.signed_version is None:
        raise Conflict(_("Milestones start once every party has signed the agreement."))
    if agreement.status == AgreementStatus.TERMINATED:
        raise Conflict(_("This agreement has been terminated."))


def _resubmission_days(session: Session, agreement: Agreement) -> int:
    return terms_of(get_version(session, agreement, agreement.signed_version)).resubmission_days


def deliver_milestone(session: Session, *, user: User, milestone: AgreementMilestone, note: str = "") -> AgreementMilestone:
    """The vendor hands over a milestone (again within the resubmission period after a rejection)."""
    agreement = session.get(Agreement, milestone.agreement_id)
    if not is_party(session, user, agreement):
        raise NotFound(_("No such milestone."))
    if user.organisation_id != agreement.vendor_id:
        raise NotAllowed(_("Only the vendor delivers milestones."))
    _require_in_force(agreement)
    if milestone.status not in (MilestoneStatus.PENDING, MilestoneStatus.REJECTED):
        raise Conflict(_("This milestone is already delivered."))
    now = utcnow()
    if milestone.status == MilestoneStatus.REJECTED and milestone.decided_at is not None:
        terms = terms_of(get_version(session, agreement, agreement.signed_version))
        if now > milestone.decided_at + timedelta(days=terms.resubmission_days):
            raise Conflict(_("The resubmission period of %(days)d days has passed.", days=terms.resubmission_days))
        if milestone.deliveries > terms.max_resubmissions:
            raise Conflict(_("No resubmission is left for this milestone."))
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationFailed(_("Use at most %(n)d characters.", n=2000), field="note")
    milestone.status = MilestoneStatus.DELIVERED
    milestone.delivered_at = now
    milestone.delivery_note = note
    milestone.deliveries += 1
    session.add(milestone)
    problem = session.get(Problem, agreement.problem_id)
    if problem.state == ProblemState.CONTRACTED:
        problem.state = ProblemState.IN_DELIVERY
        session.add(problem)
    session.flush()
    logger.info("milestone delivered id=%s agreement=%s", milestone.id, agreement.id)
    notifications.notify_organisations(session, [agreement.client_id], "milestone_delivered",
                                       {"title": problem.title, "milestone": milestone.name},
                                       link=f"/agreements/{agreement.id}#milestones")
    return milestone


def _decide_milestone(session: Session, user: User, milestone: AgreementMilestone) -> tuple[Agreement, Problem]:
    agreement = session.get(Agreement, milestone.agreement_id)
    if not is_party(session, user, agreement):
        raise NotFound(_("No such milestone."))
    if is_member_party(session, user, agreement):
        _refuse_member("decide")
    if user.organisation_id != agreement.client_id:
        raise NotAllowed(_("Only the client accepts or rejects milestones."))
    _require_in_force(agreement)
    if milestone.status != MilestoneStatus.DELIVERED:
        raise Conflict(_("Only a delivered milestone can be accepted or rejected."))
    return agreement, session.get(Problem, agreement.problem_id)


def accept_milestone(session: Session, *, user: User, milestone: AgreementMilestone) -> AgreementMilestone:
    """The SME accepts a delivered milestone; its payment falls due. All accepted: the problem is completed."""
    agreement, problem = _decide_milestone(session, user, milestone)
    milestone.status = MilestoneStatus.ACCEPTED
    milestone.decided_at = utcnow()
    milestone.reason = None
    session.add(milestone)
    session.flush()
    if all(m.status == MilestoneStatus.ACCEPTED for m in list_milestones(session, agreement)):
        problem.state = ProblemState.COMPLETED
        session.add(problem)
        session.flush()
        logger.info("agreement %s completed", agreement.id)
    logger.info("milestone accepted id=%s agreement=%s", milestone.id, agreement.id)
    notifications.notify_organisations(session, [agreement.vendor_id], "milestone_accepted",
                                       {"title": problem.title, "milestone": milestone.name,
                                        "amount": f"{milestone.amount_krw:,}"},
                                       link=f"/agreements/{agreement.id}#milestones")
    return milestone


def reject_milestone(session: Session, *, user: User, milestone: AgreementMilestone, reason: str) -> AgreementMilestone:
    agreement, problem = _decide_milestone(session, user, milestone)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the milestone is rejected; the vendor will read it."), field="reason")
    if len(reason) > 1000:
        raise ValidationFailed(_("Use at most %(n)d characters.", n=1000), field="reason")
    milestone.status = MilestoneStatus.REJECTED
    milestone.decided_at = utcnow()
    milestone.reason = reason
    session.add(milestone)
    session.flush()
    days = _resubmission_days(session, agreement)
    logger.info("milestone rejected id=%s agreement=%s", milestone.id, agreement.id)
    notifications.notify_organisations(session, [agreement.vendor_id], "milestone_rejected",
                                       {"title": problem.title, "milestone": milestone.name, "reason": reason,
                                        "days": days}, link=f"/agreements/{agreement.id}#milestones")
    return milestone


# --- review ------------------------------------------------------------------------------------------

#: How far one review moves the offering's criteria profile toward it.
PROFILE_LEARNING_RATE = Decimal("0.2")


def review_criteria(problem: Problem) -> list[str]:
    """The SME's criteria with a weight above zero: the ones its review scores."""
    return [c for c in CRITERIA if problem.weights[c] > 0]


def submit_review(session: Session, *, user: User, agreement: Agreement, scores: dict, comment: str) -> Review:
    """The SME's one verified review after completion; it updates the vendor's track record and profile."""
    if not is_party(session, user, agreement):
        raise NotFound(_("No such agreement."))
    if is_member_party(session, user, agreement):
        _refuse_member("review")
    if user.organisation_id != agreement.client_id:
        raise NotAllowed(_("Only the client reviews the vendor."))
    problem = session.get(Problem, agreement.problem_id)
    if problem.state != ProblemState.COMPLETED:
        raise Conflict(_("You can review the vendor once every milestone is accepted."))
    if get_review(session, agreement) is not None:
        raise Conflict(_("This agreement already has its review."))
    criteria = review_criteria(problem)
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    scores = scores if isinstance(scores, dict) else {}
    for key in set(scores) - set(criteria):
        errors[f"scores.{key}"] = _("This criterion is not one of yours.")
    for c in criteria:
        value = scores.get(c)
        if isinstance(value, bool) or value in (None, ""):
            errors[f"scores.{c}"] = _("Give a score from 1 to 5.")
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 5:
            errors[f"scores.{c}"] = _("Give a score from 1 to 5.")
        else:
            clean[c] = number
    comment = (comment or "").strip()
    if len(comment) > 4000:
        errors["comment"] = _("Use at most %(n)d characters.", n=4000)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    weights = problem.weights
    total = sum(weights[c] for c in clean)
    score = (sum(Decimal(weights[c]) * clean[c] for c in clean) / total).quantize(Decimal("0.01"))
    bid = session.get(Bid, agreement.bid_id)
    offering = session.get(Offering, bid.offering_id) if bid and bid.offering_id else None
    review = Review(agreement_id=agreement.id, vendor_id=agreement.vendor_id,
                    offering_id=offering.id if offering else None, author_id=user.id, scores=clean, score=score,
                    comment=comment)
    try:
        with session.begin_nested():
            session.add(review)
            session.flush()
    except IntegrityError:
        raise Conflict(_("This agreement already has its review.")) from None
    if offering is not None:
        _learn(offering, clean, score)
        session.add(offering)
        session.flush()
    logger.info("review agreement=%s vendor=%s offering=%s score=%s", agreement.id, agreement.vendor_id,
                offering.id if offering else None, score)
    notifications.notify_organisations(session, [agreement.vendor_id], "review_received",
                                       {"title": problem.title, "score": str(score)},
                                       link=f"/agreements/{agreement.id}#review")
    return review


def _learn(offering: Offering, scores: dict[str, int], score: Decimal) -> None:
    """Track record: one more completed project, the running mean of reviews; profile moves toward the review."""
    done = offering.completed_projects
    if offering.mean_review is None:
        mean = score
    else:
        # the declared projects count in the mean as reviews of the current mean (at least one)
        weight = max(done, 1)
        mean = (Decimal(offering.mean_review) * weight + score) / (weight + 1)
    offering.mean_review = min(Decimal(5), max(Decimal(1), mean)).quantize(Decimal("0.01"))
    offering.completed_projects = done + 1
    profile = dict(offering.profile or {})
    rate = float(PROFILE_LEARNING_RATE)
    for c, s in scores.items():
        old = float(profile.get(c, 0.5))
        profile[c] = round((1 - rate) * old + rate * (s - 1) / 4, 4)
    offering.profile = profile
    offering.updated_at = utcnow()  # the ranking index re-reads offerings by updated_at
