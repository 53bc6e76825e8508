"""A cooperative's member SMEs: added by 사업자등록번호, or invited by e-mail to register (the invitation creates
the company with an owner account and makes it a member), and removed. An owner of the cooperative decides.

The e-mail goes through the outbox (:class:`marketplace.notifications.models.OutboxEmail`) like every e-mail.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import CooperativeInvitation, CooperativeMember, Organisation, OrgKind, User
from marketplace.accounts.schemas import MemberAddIn, SignUp
from marketplace.accounts.services.organisations import add_cooperative_member
from marketplace.accounts.services.users import get_user_by_email, sign_up
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.tokens import new_token, token_hash
from marketplace.core.types import utcnow
from marketplace.notifications.models import OutboxEmail

logger = logging.getLogger(__name__)


def get_cooperative(session: Session, organisation_id: int, *, viewer: User) -> Organisation:
    """The cooperative, for its own people and admins; NotFound for everyone else and for other kinds."""
    org = session.get(Organisation, organisation_id)
    if org is None or org.kind != OrgKind.COOPERATIVE or not (
            viewer.is_admin or viewer.organisation_id == org.id):
        raise NotFound(_("No such organisation."))
    return org


def _require_owner(user: User, cooperative: Organisation) -> None:
    if user.organisation_id != cooperative.id or not user.is_owner:
        raise NotAllowed(_("Only an owner of the cooperative can change its members."))


def list_member_organisations(session: Session, cooperative: Organisation) -> list[Organisation]:
    return list(session.exec(select(Organisation).join(CooperativeMember,
                                                       CooperativeMember.member_id == Organisation.id)
                             .where(CooperativeMember.cooperative_id == cooperative.id).order_by(Organisation.id)))


def pending_member_invitations(session: Session, cooperative: Organisation) -> list[CooperativeInvitation]:
    return list(session.exec(select(CooperativeInvitation).where(
        CooperativeInvitation.cooperative_id == cooperative.id, CooperativeInvitation.accepted_at.is_(None),
        CooperativeInvitation.revoked_at.is_(None), CooperativeInvitation.expires_at > utcnow())
        .order_by(CooperativeInvitation.id)))


def add_member(session: Session, *, user: User, cooperative: Organisation,
               data: MemberAddIn) -> tuple[Organisation | None, str | None]:
    """By number: the registered SME becomes a member now. By e-mail: an invitation (returns its token)."""
    _require_owner(user, cooperative)
    if bool(data.brn) == bool(data.email):
        raise ValidationFailed(_("Give either the company's business registration number or an e-mail address "
                                 "to invite it."), field="brn")
    if data.brn:
        return _add_by_number(session, user, cooperative, data.brn), None
    return None, _invite(session, user, cooperative, data.email, data.company_name.strip())


def _add_by_number(session: Session, user: User, cooperative: Organisation, brn: str) -> Organisation:
    member = session.exec(select(Organisation).where(Organisation.brn == brn)).first()
    if member is None:
        raise ValidationFailed(_("No company with this business registration number is registered. Invite it by "
                                 "e-mail instead."), field="brn")
    if member.kind != OrgKind.SME:
        raise ValidationFailed(_("Members of a cooperative are SMEs."), field="brn")
    if session.get(CooperativeMember, (cooperative.id, member.id)) is not None:
        raise Conflict(_("This company is already a member."))
    add_cooperative_member(session, cooperative=cooperative, member=member)
    audit.record(session, "cooperative_member_added", actor=user, obj=cooperative, details={"member": member.id})
    logger.info("cooperative member added coop=%s member=%s", cooperative.id, member.id)
    return member


def _invite(session: Session, user: User, cooperative: Organisation, email: str, company: str) -> str:
    if get_user_by_email(session, email):
        raise ValidationFailed(_("This address already has an account: add the company by its business "
                                 "registration number."), field="email")
    token = new_token()
    hours = current_app.config.get("INVITATION_TTL_HOURS", 72) if has_app_context() else 72
    invitation = CooperativeInvitation(cooperative_id=cooperative.id, email=email, company_name=company,
                                       token_hash=token_hash(token), created_by_id=user.id,
                                       expires_at=utcnow() + timedelta(hours=hours))
    session.add(invitation)
    link = f"{_public_url()}/member-invitations/{token}"
    with force_locale(user.locale):
        subject = _("[AX Bridge] %(coop)s invites your company to join as a member",
                    coop=cooperative.name(user.locale))
        body = _("%(coop)s invites %(company)s to AX Bridge as a member company, to share joint AI projects and "
                 "their cost. Register your company and its owner account here (valid for %(hours)s hours): "
                 "%(link)s", coop=cooperative.name(user.locale), company=company or email, hours=hours, link=link)
    session.add(OutboxEmail(to_email=email, subject=subject[:300], body=body))
    session.flush()
    audit.record(session, "cooperative_member_invited", actor=user, obj=cooperative,
                 details={"invitation": invitation.id})
    logger.info("cooperative invitation id=%s coop=%s", invitation.id, cooperative.id)
    return token


def _public_url() -> str:
    base = current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000") if has_app_context() else ""
    return base.rstrip("/")


def remove_member(session: Session, *, user: User, cooperative: Organisation, member_id: int) -> None:
    """The company is no longer a member (agreements it is a party of keep it: their parties never change)."""
    _require_owner(user, cooperative)
    row = session.get(CooperativeMember, (cooperative.id, member_id))
    if row is None:
        raise NotFound(_("This company is not a member of the cooperative."))
    session.delete(row)
    session.flush()
    audit.record(session, "cooperative_member_removed", actor=user, obj=cooperative, details={"member": member_id})
    logger.info("cooperative member removed coop=%s member=%s", cooperative.id, member_id)


def get_member_invitation(session: Session, token: str) -> CooperativeInvitation:
    invitation = session.exec(select(CooperativeInvitation)
                              .where(CooperativeInvitation.token_hash == token_hash(token or ""))).first()
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation has already been used. Please log in."))
    if invitation.expires_at <= utcnow():
        raise Conflict(_("This invitation has expired. Ask the cooperative to send a new one."))
    return invitation


def accept_member_invitation(session: Session, *, token: str, data: SignUp, locale: str = "ko") -> User:
    """Register the invited company (an SME) and its owner, and make it a member of the cooperative."""
    invitation = get_member_invitation(session, token)
    owner = sign_up(session, data.model_copy(update={"kind": OrgKind.SME}), locale=locale)
    cooperative = session.get(Organisation, invitation.cooperative_id)
    member = session.get(Organisation, owner.organisation_id)
    add_cooperative_member(session, cooperative=cooperative, member=member)
    invitation.accepted_at = utcnow()
    invitation.member_id = member.id
    session.add(invitation)
    session.flush()
    audit.record(session, "cooperative_member_joined", actor=owner, obj=cooperative, details={"member": member.id})
    return owner
