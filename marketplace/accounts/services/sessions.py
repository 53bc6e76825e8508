"""Browser sessions: a signed-in browser is a server-side row, so logging out really ends it."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import Session, select

from marketplace.accounts.models import LoginSession, User
from marketplace.accounts.services.loading import ACTIVE_USER_WITH_ORGANISATION, first_user
from marketplace.core.tokens import new_token, token_hash
from marketplace.core.types import utcnow


def start_login_session(session: Session, *, user: User, ip_address: str | None, user_agent: str | None) -> str:
    token = new_token()
    session.add(LoginSession(user_id=user.id, token_hash=token_hash(token), ip_address=(ip_address or "")[:45],
                             user_agent=(user_agent or "")[:255]))
    session.flush()
    return token


#: Built once: every signed-in page asks (``:token_hash`` bound per call).
_USER_FOR_SESSION = (ACTIVE_USER_WITH_ORGANISATION.join(LoginSession, LoginSession.user_id == User.id)
                     .where(LoginSession.token_hash == bindparam("token_hash"), LoginSession.revoked_at.is_(None)))


def user_for_login_session(session: Session, token: str | None) -> User | None:
    if not token:
        return None
    return first_user(session, _USER_FOR_SESSION, {"token_hash": token_hash(token)})


def end_login_session(session: Session, token: str | None) -> None:
    if not token:
        return
    row = session.exec(select(LoginSession).where(LoginSession.token_hash == token_hash(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
