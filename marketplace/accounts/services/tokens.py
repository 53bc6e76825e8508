"""API tokens: bearer tokens for ``/api/v1``, stored as their SHA-256 only."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlmodel import Session, select

from marketplace.accounts.models import ApiToken, User
from marketplace.accounts.services.loading import ACTIVE_USER_WITH_ORGANISATION, first_user
from marketplace.audit import services as audit
from marketplace.core.errors import NotAuthenticated, NotFound
from marketplace.core.tokens import new_token, token_hash
from marketplace.core.types import utcnow

logger = logging.getLogger(__name__)


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


#: Built once: every API call asks (``:token_hash`` and ``:now`` bound per call).
_USER_FOR_TOKEN = (ACTIVE_USER_WITH_ORGANISATION.join(ApiToken, ApiToken.user_id == User.id)
                   .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None),
                          ApiToken.expires_at > bindparam("now")))


def user_for_api_token(session: Session, token: str) -> User | None:
    """The active user of a token in force (:func:`find_api_token`'s rules), in one query: every API call asks.
    The user's organisation comes in the same query, so the request's later ``session.get(Organisation, ...)``
    finds it without another."""
    return first_user(session, _USER_FOR_TOKEN, {"token_hash": token_hash(token), "now": utcnow()})


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens still in force, newest first (what they are for is the user's to remember: only
    the hash is stored)."""
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                                                    ApiToken.expires_at > utcnow())
                             .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_api_token_by_id(session: Session, *, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens without having it (a lost or leaked one); another user's token
    is not found."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None or row.expires_at <= utcnow():
        raise NotFound(_("No such token."))
    _revoke(session, row)
    return row


def revoke_api_token(session: Session, token: str) -> None:
    row = find_api_token(session, token)
    if row is None:
        raise NotAuthenticated(_("This token is not valid."))
    _revoke(session, row)


def _revoke(session: Session, row: ApiToken) -> None:
    row.revoked_at = utcnow()
    session.add(row)
    session.flush()
    logger.info("api token revoked id=%s", row.id)
    audit.record(session, "api_token_revoked", object_type="api_token", object_id=row.id,
                 details={"user_id": row.user_id})
