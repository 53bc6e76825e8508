"""E-mail verification: a signed link e-mailed at sign-up (and after an address change) proves that the
person controls the address.

What it gates: nothing beyond a banner with a "send again" button. Blocking login until verified would
lock people out whenever mail is slow or lands in spam, and trust in this marketplace already comes from
an administrator verifying the organisation (its business registration number). The password reset
link goes to the same address, so an unverified typo cannot be used to take an account over either.

The link carries the user id and address signed with the app's secret (itsdangerous, salt
"email-verification"), valid for EMAIL_VERIFICATION_TTL_HOURS (72): no table. A link for an address the
user no longer has is refused; opening a valid link twice is harmless.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.accounts.services.mailing import public_link, queue_email
from marketplace.audit import services as audit
from marketplace.core.errors import ValidationFailed
from marketplace.core.types import utcnow

logger = logging.getLogger(__name__)


class VerificationLinkInvalid(ValidationFailed):
    """The verification link was tampered with, has expired, or is for another address."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="email-verification")


def send_verification(session: Session, user: User) -> None:
    """E-mail the user a link that marks their address verified."""
    token = _serializer().dumps({"user": user.id, "email": user.email})
    hours = int(current_app.config.get("EMAIL_VERIFICATION_TTL_HOURS", 72))
    link = public_link(f"/verify-email/{token}")
    queue_email(session, to=user.email, locale=user.locale,
                subject=lambda: _("Confirm your e-mail address"),
                body=lambda: _("Please confirm that this is your e-mail address for AX Bridge by opening this link "
                               "within %(hours)d hours:\n%(link)s\n\nIf you did not sign up, ignore this e-mail.",
                               hours=hours, link=link))
    logger.info("verification e-mail queued user=%s", user.id)


def verify_email(session: Session, token: str) -> User:
    hours = int(current_app.config.get("EMAIL_VERIFICATION_TTL_HOURS", 72))
    try:
        data = _serializer().loads(token or "", max_age=hours * 3600)
    except SignatureExpired:
        raise VerificationLinkInvalid(_("This link has expired. Log in and ask for a new one.")) from None
    except BadSignature:
        raise VerificationLinkInvalid(_("This link is not valid. Copy the whole link from the e-mail, or ask for "
                                        "a new one.")) from None
    user = session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        raise VerificationLinkInvalid(_("This link is for an address your account no longer uses."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        session.add(user)
        session.flush()
        audit.record(session, "email_verified", actor=user, obj=user)
    return user


def set_email_notifications(session: Session, *, user: User, choice: str) -> None:
    """Which notifications are also e-mailed: "all" or "none" (they always appear in the app)."""
    if choice not in ("all", "none"):
        raise ValidationFailed(_("Choose all or none."), field="email_notifications")
    user.email_notifications = choice
    session.add(user)
    session.flush()
