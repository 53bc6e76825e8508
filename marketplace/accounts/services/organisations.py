"""Organisations: registration, verification, cooperatives and their people."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from marketplace.accounts.models import CooperativeMember, Organisation, OrgKind, User
from marketplace.accounts.schemas import BusinessNumberInput, OrganisationProfile
from marketplace.audit import services as audit
from marketplace.core.errors import NotAllowed, NotFound, Unverified, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow

logger = logging.getLogger(__name__)


def normalise_brn(raw: str) -> str:
    """``123-45-67890`` or ``1234567890`` → ``1234567890``, or :class:`ValidationFailed` saying why
    (on ``brn``; the rule: :mod:`domain.brn`, its messages: the ``BusinessNumber`` contract type)."""
    try:
        return parse(BusinessNumberInput, {"brn": raw}).brn
    except ValidationFailed as exc:
        raise ValidationFailed(exc.fields["brn"], field="brn") from None


def brn_taken(session: Session, brn: str) -> bool:
    return session.exec(select(Organisation.id).where(Organisation.brn == brn)).first() is not None


def brn_taken_message() -> str:
    return _("An organisation with this business registration number is already registered. "
             "Ask its owner to invite you.")


def register_organisation(session: Session, data: OrganisationProfile) -> Organisation:
    if brn_taken(session, data.brn):
        raise ValidationFailed(brn_taken_message(), field="brn")
    org = Organisation(**data.model_dump())
    session.add(org)
    session.flush()
    audit.record(session, "organisation_registered", obj=org, organisation_id=org.id,
                 details={"kind": org.kind.value})
    logger.info("organisation registered id=%s kind=%s", org.id, org.kind)
    return org


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(_("No such organisation."))
    return org


def find_organisation_by_name(session: Session, name: str) -> Organisation | None:
    return session.exec(
        select(Organisation).where((Organisation.name_ko == name) | (Organisation.name_en == name))
    ).first()


def list_organisations(session: Session) -> list[Organisation]:
    """Every organisation for the administrators: those waiting for verification first, newest first."""
    return list(session.exec(select(Organisation).order_by(Organisation.verified_at.is_not(None),
                                                           Organisation.created_at.desc())))


def add_cooperative_member(session: Session, *, cooperative: Organisation, member: Organisation) -> None:
    if cooperative.kind != OrgKind.COOPERATIVE:
        raise ValidationFailed(_("Only a cooperative or association has member companies."))
    if member.kind != OrgKind.SME:
        raise ValidationFailed(_("Members of a cooperative are SMEs."))
    if session.get(CooperativeMember, (cooperative.id, member.id)) is None:
        session.add(CooperativeMember(cooperative_id=cooperative.id, member_id=member.id))
        session.flush()


def list_members(session: Session, organisation: Organisation) -> list[User]:
    return list(session.exec(select(User).where(User.organisation_id == organisation.id).order_by(User.id)))


def verify_organisation(session: Session, *, admin: User, organisation: Organisation) -> Organisation:
    """Record that ``admin`` checked the organisation's evidence: who and when, with an audit entry.
    Verifying again changes nothing (the first verification stands)."""
    if not admin.is_admin:
        raise NotAllowed(_("Only platform administrators can verify organisations."))
    if organisation.verified_at is None:
        organisation.verified_at = utcnow()
        organisation.verified_by_id = admin.id
        session.add(organisation)
        session.flush()
        audit.record(session, "organisation_verified", actor=admin, obj=organisation,
                     organisation_id=organisation.id, details={"brn": organisation.brn})
        logger.info("organisation verified id=%s by user=%s", organisation.id, admin.id)
    return organisation


#: The home page's question, built once (a statement is immutable; building it is a good part of its cost).
_COUNT_BY_KIND = select(Organisation.kind, func.count()).group_by(Organisation.kind)


def count_organisations_by_kind(session: Session) -> dict[str, int]:
    rows = session.exec(_COUNT_BY_KIND).all()
    return {str(kind.value if hasattr(kind, "value") else kind): n for kind, n in rows}


# --- the verified-organisation gate ------------------------------------------------------------------

#: What an organisation may do only once a platform administrator has verified it.
GATED = ("create_program", "see_applicants", "decide_subsidy", "submit_bid", "sign", "publish_problem")


def unverified_message(action: str) -> str:
    return {
        "create_program": _("Your organisation can run subsidy programs once a platform administrator has "
                            "verified it."),
        "see_applicants": _("Your organisation can see a program's applicants once a platform administrator has "
                            "verified it."),
        "decide_subsidy": _("Your organisation can approve or reject subsidies once a platform administrator has "
                            "verified it."),
        "submit_bid": _("Your organisation can submit bids once a platform administrator has verified it. Until "
                        "then, keep your bid as a draft."),
        "sign": _("Your organisation can sign agreements once a platform administrator has verified it."),
        "publish_problem": _("Your organisation can publish problems once a platform administrator has verified "
                             "it. Until then, keep your problem as a draft."),
    }[action]


def is_verified_member(session: Session, user: User | None) -> bool:
    org = session.get(Organisation, user.organisation_id) if user is not None and user.organisation_id else None
    return org is not None and org.verified_at is not None


def require_verified(session: Session, user: User, action: str) -> None:
    """:class:`Unverified` (403, "organisation-unverified") unless the user's organisation is verified."""
    if not is_verified_member(session, user):
        raise Unverified(unverified_message(action), extra={"action": action})


def verification_queue(session: Session, *, state: str = "all"):
    """A statement for the administrators' queue: ``pending`` or ``verified`` or ``all`` (waiting first, oldest
    first among them, so the longest wait is on top)."""
    query = select(Organisation)
    if state == "pending":
        query = query.where(Organisation.verified_at.is_(None))
    elif state == "verified":
        query = query.where(Organisation.verified_at.is_not(None))
    return query.order_by(Organisation.verified_at.is_not(None), Organisation.verified_at.desc(),
                          Organisation.created_at, Organisation.id)
