"""Loading the signed-in user once per request, with the organisation most pages read next."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, User

#: An active user and their organisation (or None), in one row: a browser session's or a token's lookup joins
#: its own table to this and adds its own conditions.
ACTIVE_USER_WITH_ORGANISATION = (select(User, Organisation)
                                 .outerjoin(Organisation, Organisation.id == User.organisation_id)
                                 .where(User.is_active.is_(True)))


def first_user(session: Session, statement, params: Mapping[str, Any]) -> User | None:
    """The user of the first ``(user, organisation)`` row of ``statement``; the organisation stays held by the
    session (whose identity map holds objects only while something refers to them), so the request's later
    ``session.get(Organisation, user.organisation_id)`` reads no row again."""
    row = session.exec(statement, params=params).first()
    if row is None:
        return None
    user, organisation = row
    if organisation is not None:
        session.info.setdefault("axbridge_held", []).append(organisation)
    return user
