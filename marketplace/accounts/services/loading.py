"""Loading the signed-in user once per request."""

from __future__ import annotations

from sqlmodel import Session

from marketplace.accounts.models import Organisation, User


def keep_organisation(session: Session, row: tuple[User, Organisation | None] | None) -> User | None:
    """The user of a ``(user, organisation)`` row; the organisation stays held by the session (whose identity
    map holds objects only while something refers to them), so the request's later
    ``session.get(Organisation, user.organisation_id)`` reads no row again."""
    if row is None:
        return None
    user, organisation = row
    if organisation is not None:
        session.info.setdefault("axbridge_held", []).append(organisation)
    return user
