"""Password reset by an e-mailed one-time link.

Asking never tells whether the address has an account (the answer is the same; only an existing,
active account gets an e-mail). The link carries a random 256-bit token stored only as its SHA-256; it
expires after PASSWORD_RESET_TTL_MINUTES (60) and works once: it is claimed by a conditional UPDATE,
so two submissions of one link cannot both set a password. Setting the new password ends every
browser session and API token of the user, and voids the user's other open links.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update
from sqlmodel import Session, select

from marketplace.accounts.models import ApiToken, LoginSession, PasswordReset, User
from marketplace.accounts.schemas import NewPassword
from marketplace.accounts.services.mailing import public_link, queue_email
from marketplace.accounts.services.users import get_user_by_email
from marketplace.audit import services as audit
from marketplace.core import passwords
from marketplace.core.errors import ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.tokens import new_token, token_hash
from marketplace.core.types import utcnow

logger = logging.getLogger(__name__)


class ResetLinkInvalid(ValidationFailed):
    """The link was tampered with, has expired or was used already (a translated message says which)."""


def request_password_reset(session: Session, email: str) -> None:
    """E-mail a reset link if an active account has this address; otherwise do nothing, silently."""
    user = get_user_by_email(session, (email or "")[:254])
    if user is None or not user.is_active:
        logger.info("password reset asked for an unknown or inactive address")
        return
    token = new_token()
    ttl = int(current_app.config.get("PASSWORD_RESET_TTL_MINUTES", 60))
    session.add(PasswordReset(user_id=user.id, token_hash=token_hash(token), expires_at=utcnow() + timedelta(minutes=ttl)))
    link = public_link(f"/password-reset/{token}")
    queue_email(session, to=user.email, locale=user.locale,
                subject=lambda: _("Set a new password"),
                body=lambda: _("Someone (we hope you) asked to set a new password for your AX Bridge account.\n\n"
                               "Open this link within %(minutes)d minutes to choose it; it works once:\n%(link)s\n\n"
                               "If it was not you, ignore this e-mail: your password stays as it is.",
                               minutes=ttl, link=link))
    audit.record(session, "password_reset_requested", obj=user, organisation_id=user.organisation_id)


def reset_for_token(session: Session, token: str) -> PasswordReset:
    """The open reset of this link, or ResetLinkInvalid with the reason in the reader's language."""
    row = session.exec(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token or ""))).first()
    if row is None:
        raise ResetLinkInvalid(_("This link is not valid. Copy the whole link from the e-mail, or ask for a new one."))
    if row.used_at is not None:
        raise ResetLinkInvalid(_("This link was used already. Ask for a new one if you need to."))
    if utcnow() >= row.expires_at:
        raise ResetLinkInvalid(_("This link has expired. Ask for a new one."))
    return row


def reset_password(session: Session, *, token: str, password: str) -> User:
    """Set the new password from a reset link; every session and API token of the user ends."""
    row = reset_for_token(session, token)
    user = session.get(User, row.user_id)
    parse(NewPassword, {"email": user.email, "password": password})  # the sign-up rule, field "password"
    now = utcnow()
    claimed = session.execute(update(PasswordReset).where(PasswordReset.id == row.id, PasswordReset.used_at.is_(None))
                              .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise ResetLinkInvalid(_("This link was used already. Ask for a new one if you need to."))
    session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                    .values(used_at=now).execution_options(synchronize_session=False))
    user.password_hash = passwords.hash_password(password)
    session.add(user)
    for model in (LoginSession, ApiToken):
        session.execute(update(model).where(model.user_id == user.id, model.revoked_at.is_(None))
                        .values(revoked_at=now).execution_options(synchronize_session="fetch"))
    session.flush()
    audit.record(session, "password_reset", actor=user, obj=user)
    logger.info("password reset user=%s", user.id)
    return user
