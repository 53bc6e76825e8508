"""Rows -> :class:`contracts.AgreementTerms`: the first draft from the problem, the awarded bid and the subsidy.

This module only reads: organisations, their owners and regions, the problem's KPIs and joint
parties, the subsidy's program and agency. Composing the terms is the pure rule
:func:`marketplace.agreements.draft_terms.draft_terms`.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from flask_babel import gettext as _
from sqlmodel import Session, select

import contracts
from marketplace.accounts.models import MemberRole, Organisation, OrgKind, User
from marketplace.agreements import draft_terms
from marketplace.agreements.models import Agreement
from marketplace.agreements.services.reading import korean_today, message_language
from marketplace.bids.models import Bid
from marketplace.core.errors import ValidationFailed
from marketplace.offerings.models import Offering
from marketplace.problems import services as problems
from marketplace.problems.models import Problem
from marketplace.programs.models import Program, Subsidy, SubsidyStatus
from matching import taxonomy

logger = logging.getLogger(__name__)


def _owner_name(session: Session, org: Organisation) -> str:
    owner = session.exec(select(User).where(User.organisation_id == org.id, User.role == MemberRole.OWNER)
                         .order_by(User.id)).first()
    return owner.name if owner else "—"


def party_of(session: Session, org: Organisation) -> contracts.Party:
    """The organisation as the terms name it; its representative is the first owner when none is recorded."""
    region = taxonomy.get_region(org.region)
    return draft_terms.party(
        name_ko=org.name_ko, name_en=org.name_en, business_registration_no=org.brn_display,
        representative=org.representative or _owner_name(session, org), address=org.address,
        region_ko=region.label("ko") if region else org.region, region_en=region.label("en") if region else org.region)


def _kpis(session: Session, problem: Problem, bid: Bid) -> tuple[contracts.Kpi, ...]:
    commitments = {c.kpi_id: c.value for c in bid.kpi_commitments}
    kinds = [a["kind"] for a in problem.data_assets if a.get("kind")]
    test_set, test_set_en = draft_terms.test_set(kinds), draft_terms.test_set(kinds, "en")
    kpis = []
    for kpi in problems.list_kpis(session, problem):
        commitment = draft_terms.KpiCommitment(kpi.name, kpi.unit, kpi.baseline, kpi.target, str(kpi.direction),
                                               commitments.get(kpi.id))
        measured = [problems.describe_measurement(kpi.metric, kpi.measured_on, kpi.period, lang)
                    for lang in ("ko", "en")]
        try:
            criterion = draft_terms.acceptance_kpi(commitment, measured[0] or test_set, measured[1] or test_set_en)
        except contracts.TermsError:
            logger.warning("kpi %s of problem %s left out of the agreement: commitment does not improve it",
                           kpi.id, problem.id)
            continue
        if criterion is not None:
            kpis.append(criterion)
    return tuple(kpis)


def joint_members(session: Session, problem: Problem, client: Organisation) -> list[problems.JointParty]:
    """The member SMEs that become parties: those of a cooperative's joint problem, if at least two share it."""
    if client.kind != OrgKind.COOPERATIVE:
        return []
    parties = problems.joint_parties(session, problem)
    return parties if len(parties) >= 2 else []


def _subsidy_terms(session: Session, subsidy: Subsidy | None) -> contracts.Subsidy | None:
    if subsidy is None or subsidy.status not in (SubsidyStatus.APPROVED, SubsidyStatus.COMMITTED) \
            or subsidy.amount_krw <= 0:
        return None
    program = session.get(Program, subsidy.program_id)
    agency = session.get(Organisation, program.agency_id)
    return contracts.Subsidy(program_name=draft_terms.bilingual(program.name_ko, program.name_en),
                             agency_name=draft_terms.bilingual(agency.name_ko, agency.name_en),
                             subsidy_won=int(subsidy.amount_krw), sme_share_won=int(subsidy.own_share_krw),
                             ratio=Decimal(program.subsidy_ratio))


def _offering_modes(session: Session, bid: Bid) -> list[str]:
    """How the winning bid's offering deploys (cloud, on_premises, hybrid, edge); none without an offering."""
    offering = session.get(Offering, bid.offering_id) if bid.offering_id else None
    return list(offering.deployment_modes) if offering is not None else []


def build_terms(session: Session, agreement: Agreement, problem: Problem, bid: Bid, *,
                subsidy: Subsidy | None, version: int = 1) -> contracts.AgreementTerms:
    """The first draft of the terms, from the problem, the awarded bid and an approved subsidy."""
    client = session.get(Organisation, problem.organisation_id)
    award = draft_terms.Award(
        reference=agreement.reference, created=korean_today(), version=version,
        client=party_of(session, client), vendor=party_of(session, session.get(Organisation, bid.vendor_id)),
        members=tuple((party_of(session, p.organisation), p.share_percent)
                      for p in joint_members(session, problem, client)),
        title=problem.title, description=problem.description, data_assets=tuple(problem.data_assets),
        on_premises=draft_terms.deploys_on_premises(problem.on_premises_required, _offering_modes(session, bid)),
        kpis=_kpis(session, problem, bid),
        price_won=int(bid.price_krw), approach=bid.approach, bid_milestones=tuple(bid.milestones),
        maintenance_yearly_won=int(bid.maintenance_yearly_krw or 0), maintenance_years=int(bid.maintenance_years or 0),
        service_level=bid.service_level, subsidy=_subsidy_terms(session, subsidy))
    try:
        return draft_terms.draft_terms(award)
    except contracts.TermsError as exc:
        raise ValidationFailed(_("The agreement cannot be drafted: %(reason)s",
                                 reason=exc.message(message_language())), field=exc.field) from None
