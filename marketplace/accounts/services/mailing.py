"""E-mails the accounts area sends itself (reset and verification links, sign-up notices): queued in the
outbox like every other e-mail and sent by a job once the transaction commits."""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from marketplace.core.afterwards import after_commit
from marketplace.notifications.models import OutboxEmail


def public_link(path: str) -> str:
    base = current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000") if has_app_context() else ""
    return f"{(base or '').rstrip('/')}{path}"


def queue_email(session: Session, *, to: str, locale: str, subject, body) -> OutboxEmail:
    """``subject`` and ``body`` are callables giving the text in the recipient's language."""
    with force_locale(locale):
        row = OutboxEmail(to_email=to, subject=_("[AX Bridge] %(text)s", text=subject())[:300], body=body())
    session.add(row)
    session.flush()
    after_commit(session, "deliver_email", email_id=row.id)
    return row
