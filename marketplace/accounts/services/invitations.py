"""Invitations: an owner brings a colleague into the organisation with an expiring link."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import Invitation, Organisation, User
from marketplace.accounts.schemas import InvitationAccept, InvitationCreate, UserCreate
from marketplace.accounts.services.users import create_user, get_user_by_email
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.tokens import new_token, token_hash
from marketplace.core.types import utcnow

logger = logging.getLogger(__name__)


def invite_member(session: Session, *, inviter: User, data: InvitationCreate) -> tuple[Invitation, str]:
    if not inviter.is_owner or inviter.organisation_id is None:
        raise NotAllowed(_("Only an owner of the organisation can invite people."))
    if get_user_by_email(session, data.email):
        raise ValidationFailed(_("This person already has an account."), field="email")
    token = new_token()
    ttl = timedelta(hours=current_app.config["INVITATION_TTL_HOURS"])
    invitation = Invitation(organisation_id=inviter.organisation_id, email=data.email, role=data.role,
                            token_hash=token_hash(token), created_by_id=inviter.id, expires_at=utcnow() + ttl)
    session.add(invitation)
    session.flush()
    logger.info("invitation created id=%s org=%s", invitation.id, invitation.organisation_id)
    audit.record(session, "member_invited", actor=inviter, obj=invitation)
    return invitation, token


def get_open_invitation(session: Session, token: str) -> Invitation:
    invitation = session.exec(select(Invitation).where(Invitation.token_hash == token_hash(token or ""))).first()
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation has already been used. Please log in."))
    if invitation.expires_at <= utcnow():
        raise Conflict(_("This invitation has expired. Ask the owner to send a new one."))
    return invitation


def accept_invitation(session: Session, *, token: str, data: InvitationAccept, locale: str = "ko") -> User:
    """The invited person's account in the invitation's organisation, with the invitation's role."""
    invitation = get_open_invitation(session, token)
    organisation = session.get(Organisation, invitation.organisation_id)
    account = parse(UserCreate, {"email": invitation.email, "name": data.name, "password": data.password,
                                 "locale": locale})
    user = create_user(session, account, organisation=organisation, role=invitation.role, verify_email=True)
    invitation.accepted_at = utcnow()
    session.add(invitation)
    session.flush()
    audit.record(session, "member_joined", actor=user, obj=invitation)
    return user


def list_invitations(session: Session, organisation: Organisation) -> list[Invitation]:
    return list(session.exec(select(Invitation).where(Invitation.organisation_id == organisation.id)
                             .order_by(Invitation.created_at.desc())))
