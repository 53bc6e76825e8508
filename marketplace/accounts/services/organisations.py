"""Account rules: sign-up, sign-in, sessions, invitations, API tokens, verification.

Services take the session and explicit arguments, flush (never commit) and raise domain errors
with translated messages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from domain.brn import BrnError, validate_brn

from marketplace.audit import services as audit
from marketplace.accounts.models import (
    ApiToken,
    CooperativeMember,
    Invitation,
    LoginSession,
    MemberRole,
    Organisation,
    OrgKind,
    User,
)
from marketplace.core import passwords
from marketplace.core.errors import Conflict, NotAllowed, NotAuthenticated, NotFound, ValidationFailed
from marketplace.core.tokens import new_token, token_hash
from marketplace.core.types import utcnow
from matching import taxonomy

logger = logging.getLogger(__name__)

MAX_EMPLOYEES = 1_000_000
MAX_REVENUE_KRW = 10**16


# --- Business registration number (사업자등록번호) -----------------------------------------------

def normalise_brn(raw: str) -> str:
    """``123-45-67890`` or ``1234567890`` → ``1234567890``, or a clear error (the rule: :mod:`domain.brn`)."""
    try:
        return validate_brn(raw or "")
    except BrnError as exc:
        if exc.reason == "checksum":
            message = _("This business registration number is not valid: its check digit does not match. "
                        "Please check it against your registration certificate.")
        elif exc.reason == "component":
            message = _("This business registration number cannot have been issued: its tax office, business "
                        "type or serial part does not exist. Please check it against your registration certificate.")
        else:
            message = _("A business registration number has 10 digits (e.g. 123-45-67890).")
        raise ValidationFailed(message, field="brn") from None


# --- Organisations ---------------------------------------------------------------------------

@dataclass(frozen=True)
class OrganisationInput:
    kind: str
    name_ko: str
    name_en: str
    brn: str
    region: str
    industry: str
    employees: int
    annual_revenue_krw: int
    representative: str | None = None
    address: str | None = None
    website: str | None = None
    description: str | None = None


def _clean_text(value: str | None, *, field: str, label: str, required: bool, max_length: int) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationFailed(_("%(label)s is required.", label=label), field=field)
        return None
    if len(value) > max_length:
        raise ValidationFailed(_("%(label)s can be at most %(max)d characters.", label=label, max=max_length),
                               field=field)
    return value


def validate_organisation(data: OrganisationInput) -> dict:
    """Check every field; collect all problems so a form can show them at once."""
    errors: dict[str, str] = {}
    clean: dict = {}

    def attempt(field, fn):
        try:
            clean[field] = fn()
        except ValidationFailed as exc:
            errors.update(exc.fields or {field: exc.message})

    def kind():
        try:
            return OrgKind(data.kind)
        except ValueError:
            raise ValidationFailed(_("Choose what kind of organisation this is."), field="kind") from None

    def region():
        if taxonomy.get_region(data.region) is None:
            raise ValidationFailed(_("Choose a region (시·도) from the list."), field="region")
        return data.region

    def industry():
        if taxonomy.get_industry(data.industry) is None:
            raise ValidationFailed(_("Choose an industry (KSIC division) from the list."), field="industry")
        return data.industry

    def bounded(field, value, maximum):
        def check():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValidationFailed(_("Enter a whole number of 0 or more."), field=field)
            if value > maximum:
                raise ValidationFailed(_("This number is too large."), field=field)
            return value
        return check

    attempt("kind", kind)
    attempt("name_ko", lambda: _clean_text(data.name_ko, field="name_ko", label=_("Korean name"),
                                           required=True, max_length=120))
    attempt("name_en", lambda: _clean_text(data.name_en, field="name_en", label=_("English name"),
                                           required=True, max_length=120))
    attempt("brn", lambda: normalise_brn(data.brn))
    attempt("region", region)
    attempt("industry", industry)
    attempt("employees", bounded("employees", data.employees, MAX_EMPLOYEES))
    attempt("annual_revenue_krw", bounded("annual_revenue_krw", data.annual_revenue_krw, MAX_REVENUE_KRW))
    for field, limit, label in (("representative", 60, _("Representative")), ("address", 200, _("Address")),
                                ("website", 200, _("Website")), ("description", 2000, _("Description"))):
        attempt(field, lambda f=field, m=limit, lab=label: _clean_text(getattr(data, f), field=f, label=lab,
                                                                      required=False, max_length=m))
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    return clean


def register_organisation(session: Session, data: OrganisationInput) -> Organisation:
    clean = validate_organisation(data)
    if session.exec(select(Organisation).where(Organisation.brn == clean["brn"])).first():
        raise ValidationFailed(
            _("An organisation with this business registration number is already registered. "
              "Ask its owner to invite you."),
            field="brn",
        )
    org = Organisation(**clean)
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
    if not admin.is_admin:
        raise NotAllowed(_("Only platform administrators can verify organisations."))
    if organisation.verified_at is None:
        organisation.verified_at = utcnow()
        session.add(organisation)
        session.flush()
        audit.record(session, "organisation_verified", actor=admin, obj=organisation,
                     organisation_id=organisation.id)
        logger.info("organisation verified id=%s by user=%s", organisation.id, admin.id)
    return organisation


# --- Users -------------------------------------------------------------------------------------

def normalise_email(raw: str) -> str:
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationFailed(_("Enter a valid e-mail address."), field="email") from None


def check_password_strength(password: str, *, email: str | None = None) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise ValidationFailed(_("Use at least %(n)d characters for the password.", n=minimum), field="password")
    if len(password) > 256:
        raise ValidationFailed(_("Use at most 256 characters for the password."), field="password")
    if len(set(password)) < 4 or (email and password.lower() == email.lower()):
        raise ValidationFailed(_("This password is too easy to guess."), field="password")


def create_user(session: Session, *, organisation: Organisation | None, email: str, name: str, password: str,
                role: MemberRole = MemberRole.MEMBER, is_admin: bool = False, locale: str = "ko") -> User:
    email = normalise_email(email)
    name = _clean_text(name, field="name", label=_("Name"), required=True, max_length=60)
    check_password_strength(password, email=email)
    if locale not in ("ko", "en"):
        raise ValidationFailed(_("Choose Korean or English."), field="locale")
    if session.exec(select(User).where(User.email == email)).first():
        raise ValidationFailed(_("An account with this e-mail address already exists."), field="email")
    user = User(email=email, name=name, password_hash=passwords.hash_password(password),
                organisation_id=organisation.id if organisation else None, role=MemberRole(role),
                is_admin=is_admin, locale=locale)
    session.add(user)
    session.flush()
    logger.info("user created id=%s org=%s role=%s", user.id, user.organisation_id, user.role)
    return user


def sign_up(session: Session, *, organisation: OrganisationInput, email: str, name: str, password: str,
            locale: str = "ko") -> User:
    """Create an organisation and its owner in one go (all or nothing)."""
    errors: dict[str, str] = {}
    org_clean = None
    try:
        org_clean = validate_organisation(organisation)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    for check in (lambda: normalise_email(email), lambda: check_password_strength(password, email=email)):
        try:
            check()
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    assert org_clean is not None
    org = register_organisation(session, organisation)
    return create_user(session, organisation=org, email=email, name=name, password=password,
                       role=MemberRole.OWNER, locale=locale)


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


def change_password(session: Session, *, user: User, current_password: str, new_password: str,
                    keep_session: str | None = None) -> None:
    """A new password; every other browser session and every API token of the user stops working."""
    _reauthenticate(user, current_password)
    check_password_strength(new_password, email=user.email)
    if passwords.verify_password(user.password_hash, new_password):
        raise ValidationFailed(_("Choose a password different from the current one."), field="new_password")
    user.password_hash = passwords.hash_password(new_password)
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


def change_email(session: Session, *, user: User, current_password: str, new_email: str) -> User:
    _reauthenticate(user, current_password)
    email = normalise_email(new_email)
    if email != user.email and get_user_by_email(session, email):
        raise ValidationFailed(_("An account with this e-mail address already exists."), field="email")
    old = user.email
    user.email = email
    session.add(user)
    session.flush()
    audit.record(session, "email_changed", actor=user, obj=user, details={"from": old, "to": email})
    return user


def set_locale(session: Session, *, user: User, locale: str) -> None:
    if locale not in ("ko", "en"):
        raise ValidationFailed(_("Choose Korean or English."), field="locale")
    user.locale = locale
    session.add(user)
    session.flush()


# --- Browser sessions --------------------------------------------------------------------------

def start_login_session(session: Session, *, user: User, ip_address: str | None, user_agent: str | None) -> str:
    token = new_token()
    session.add(LoginSession(user_id=user.id, token_hash=token_hash(token), ip_address=(ip_address or "")[:45],
                             user_agent=(user_agent or "")[:255]))
    session.flush()
    return token


def user_for_login_session(session: Session, token: str | None) -> User | None:
    if not token:
        return None
    row = session.exec(select(LoginSession).where(LoginSession.token_hash == token_hash(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    return user if user and user.is_active else None


def end_login_session(session: Session, token: str | None) -> None:
    if not token:
        return
    row = session.exec(select(LoginSession).where(LoginSession.token_hash == token_hash(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()


# --- API tokens --------------------------------------------------------------------------------

def issue_api_token(session: Session, *, user: User) -> tuple[ApiToken, str]:
    token = new_token()
    ttl = timedelta(days=current_app.config["API_TOKEN_TTL_DAYS"])
    row = ApiToken(user_id=user.id, token_hash=token_hash(token), expires_at=utcnow() + ttl)
    session.add(row)
    session.flush()
    logger.info("api token issued id=%s user=%s", row.id, user.id)
    return row, token


def find_api_token(session: Session, token: str) -> ApiToken | None:
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return row


def user_for_api_token(session: Session, token: str) -> User | None:
    row = find_api_token(session, token)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user and user.is_active else None


def revoke_api_token(session: Session, token: str) -> None:
    row = find_api_token(session, token)
    if row is None:
        raise NotAuthenticated(_("This token is not valid."))
    row.revoked_at = utcnow()
    session.add(row)
    session.flush()
    logger.info("api token revoked id=%s", row.id)
    audit.record(session, "api_token_revoked", object_type="api_token", object_id=row.id,
                 details={"user_id": row.user_id})


# --- Invitations -------------------------------------------------------------------------------

def invite_member(session: Session, *, inviter: User, email: str, role: MemberRole = MemberRole.MEMBER
                  ) -> tuple[Invitation, str]:
    if not inviter.is_owner or inviter.organisation_id is None:
        raise NotAllowed(_("Only an owner of the organisation can invite people."))
    email = normalise_email(email)
    if get_user_by_email(session, email):
        raise ValidationFailed(_("This person already has an account."), field="email")
    token = new_token()
    ttl = timedelta(hours=current_app.config["INVITATION_TTL_HOURS"])
    invitation = Invitation(organisation_id=inviter.organisation_id, email=email, role=MemberRole(role),
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


def accept_invitation(session: Session, *, token: str, name: str, password: str, locale: str = "ko") -> User:
    invitation = get_open_invitation(session, token)
    organisation = session.get(Organisation, invitation.organisation_id)
    user = create_user(session, organisation=organisation, email=invitation.email, name=name, password=password,
                       role=invitation.role, locale=locale)
    invitation.accepted_at = utcnow()
    session.add(invitation)
    session.flush()
    audit.record(session, "member_joined", actor=user, obj=invitation)
    return user


def list_invitations(session: Session, organisation: Organisation) -> list[Invitation]:
    return list(session.exec(select(Invitation).where(Invitation.organisation_id == organisation.id)
                             .order_by(Invitation.created_at.desc())))


def count_organisations_by_kind(session: Session) -> dict[str, int]:
    rows = session.exec(select(Organisation.kind, func.count()).group_by(Organisation.kind)).all()
    return {str(kind.value if hasattr(kind, "value") else kind): n for kind, n in rows}
