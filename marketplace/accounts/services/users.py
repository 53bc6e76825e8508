"""Users: accounts, sign-up, sign-in, and the changes a user makes to their own account."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import ApiToken, LoginSession, MemberRole, Organisation, User
from marketplace.accounts.schemas import LOCALES, EmailChange, NewPassword, PasswordChange, SignUp, UserCreate
from marketplace.accounts.services.verification import send_verification
from marketplace.accounts.services.organisations import brn_taken, brn_taken_message, register_organisation
from marketplace.audit import services as audit
from marketplace.core import passwords
from marketplace.core.errors import NotAuthenticated, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.tokens import token_hash
from marketplace.core.types import utcnow

logger = logging.getLogger(__name__)


def _email_taken_message() -> str:
    return _("An account with this e-mail address already exists.")


def create_user(session: Session, data: UserCreate, *, organisation: Organisation | None,
                role: MemberRole = MemberRole.MEMBER, is_admin: bool = False, verify_email: bool = False) -> User:
    """A user. An operator's (CLI) or the demo world's is taken as verified; ``verify_email`` e-mails the
    person a verification link instead (sign-up, invitations)."""
    if get_user_by_email(session, data.email):
        raise ValidationFailed(_email_taken_message(), field="email")
    user = User(email=data.email, name=data.name, password_hash=passwords.hash_password(data.password),
                organisation_id=organisation.id if organisation else None, role=MemberRole(role),
                is_admin=is_admin, locale=data.locale, email_verified_at=None if verify_email else utcnow())
    session.add(user)
    session.flush()
    if verify_email:
        send_verification(session, user)
    logger.info("user created id=%s org=%s role=%s", user.id, user.organisation_id, user.role)
    return user


def sign_up(session: Session, data: SignUp, *, locale: str = "ko") -> User:
    """Create an organisation and its owner in one go (all or nothing)."""
    taken = {}
    if brn_taken(session, data.brn):
        taken["brn"] = brn_taken_message()
    if get_user_by_email(session, data.email):
        taken["email"] = _email_taken_message()
    if taken:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=taken)
    org = register_organisation(session, data.organisation())
    return create_user(session, data.user(locale=locale), organisation=org, role=MemberRole.OWNER, verify_email=True)


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == (email or "").strip().lower())).first()


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The user with this e-mail and password, re-hashing the password if the cost changed."""
    user = get_user_by_email(session, email)
    if user is None or not user.is_active:
        passwords.burn_time(password or "")
        audit.record(session, "login_failed", details={"email": (email or "")[:254], "known": False})
        raise NotAuthenticated(_("The e-mail address or password is not correct."))
    if not passwords.verify_password(user.password_hash, password or ""):
        audit.record(session, "login_failed", obj=user, organisation_id=user.organisation_id,
                     details={"email": user.email, "known": True})
        raise NotAuthenticated(_("The e-mail address or password is not correct."))
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        logger.info("password re-hashed with current settings user=%s", user.id)
    user.last_login_at = utcnow()
    session.add(user)
    session.flush()
    audit.record(session, "login", actor=user, obj=user)
    return user


def _reauthenticate(user: User, password: str) -> None:
    """Sensitive changes need the current password again, whatever the session says."""
    if not passwords.verify_password(user.password_hash, password or ""):
        raise ValidationFailed(_("Your current password is not correct."), field="current_password")


def change_password(session: Session, *, user: User, data: PasswordChange, keep_session: str | None = None) -> None:
    """A new password; every other browser session and every API token of the user stops working."""
    _reauthenticate(user, data.current_password)
    try:
        parse(NewPassword, {"email": user.email, "password": data.new_password})
    except ValidationFailed as exc:
        raise ValidationFailed(exc.fields["password"], field="new_password") from None
    if passwords.verify_password(user.password_hash, data.new_password):
        raise ValidationFailed(_("Choose a password different from the current one."), field="new_password")
    user.password_hash = passwords.hash_password(data.new_password)
    session.add(user)
    now = utcnow()
    keep = token_hash(keep_session) if keep_session else None
    for row in session.exec(select(LoginSession).where(LoginSession.user_id == user.id,
                                                       LoginSession.revoked_at.is_(None))):
        if row.token_hash != keep:
            row.revoked_at = now
            session.add(row)
    for row in session.exec(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        row.revoked_at = now
        session.add(row)
    session.flush()
    audit.record(session, "password_changed", actor=user, obj=user)


def change_email(session: Session, *, user: User, data: EmailChange) -> User:
    _reauthenticate(user, data.current_password)
    if data.email != user.email and get_user_by_email(session, data.email):
        raise ValidationFailed(_email_taken_message(), field="email")
    old = user.email
    user.email = data.email
    if data.email != old:
        user.email_verified_at = None
    session.add(user)
    session.flush()
    if data.email != old:
        send_verification(session, user)
    audit.record(session, "email_changed", actor=user, obj=user, details={"from": old, "to": data.email})
    return user


def set_locale(session: Session, *, user: User, locale: str) -> None:
    if locale not in LOCALES:
        raise ValidationFailed(_("Choose Korean or English."), field="locale")
    user.locale = locale
    session.add(user)
    session.flush()
