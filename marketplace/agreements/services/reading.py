"""Reading agreements: parties, who may see what, versions, signatures, milestones, what a problem waits for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

import contracts
from marketplace.accounts.models import User
from marketplace.agreements.models import (
    Agreement,
    AgreementMember,
    AgreementMilestone,
    AgreementVersion,
    Review,
    Signature,
    VersionStatus,
)
from marketplace.agreements.schedule import korean_date
from marketplace.bids.models import Bid, BidState
from marketplace.core.errors import NotFound
from marketplace.core.types import utcnow
from marketplace.i18n import current_locale
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs.models import Subsidy, SubsidyStatus
from marketplace.programs.services import active_subsidy


def korean_today() -> date:
    """Today in Korea (the parties' calendar)."""
    return korean_date(utcnow())


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


def message_language() -> str:
    try:
        return current_locale()
    except RuntimeError:
        return "ko"


def first_signed_on(session: Session, agreement: Agreement) -> date | None:
    """The Korean date on which the agreement first took effect (weeks of milestones count from it)."""
    version = session.exec(select(AgreementVersion).where(
        AgreementVersion.agreement_id == agreement.id, AgreementVersion.status == VersionStatus.SIGNED)
        .order_by(AgreementVersion.number)).first()
    return korean_date(version.signed_at) if version and version.signed_at else None


def get_milestone(session: Session, milestone_id: int, *, viewer: User) -> tuple[AgreementMilestone, Agreement]:
    milestone = session.get(AgreementMilestone, milestone_id)
    agreement = session.get(Agreement, milestone.agreement_id) if milestone else None
    if agreement is None or not can_view(session, viewer, agreement):
        raise NotFound(_("No such milestone."))
    return milestone, agreement
