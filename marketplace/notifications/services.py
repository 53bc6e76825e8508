"""Notifications: one row per person, worded when read (in the reader's language), and an e-mail in the outbox.

``params`` hold only what the recipient may know: a vendor's own score and rank, never another bid's
price, and nothing about bids before the deadline.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from marketplace import mail
from marketplace.accounts.models import User
from marketplace.core.afterwards import after_commit
from marketplace.core.types import utcnow
from marketplace.i18n import format_when, problem_field_labels
from marketplace.notifications import outbox
from marketplace.notifications.models import Notification, OutboxEmail

logger = logging.getLogger(__name__)


def message(kind: str, params: dict) -> str:
    """The sentence for a notification, in the current language."""
    title = params.get("title", "")
    # an agreement with member SMEs (a cooperative's joint problem) has more than two parties
    several = int(params.get("parties") or 2) > 2
    if kind == "invited":
        return _("You are invited to bid on “%(title)s”.", title=title)
    if kind == "amendment":
        return _amendment_message(title, params)
    if kind == "question_asked":
        return _("A vendor asked a question on “%(title)s”. Answer it: every vendor will read the answer.",
                 title=title)
    if kind == "answer":
        return _("A new answer was published on “%(title)s”.", title=title)
    if kind == "bid_invalidated":
        return _("“%(title)s” was changed after you bid. Confirm your bid again before the deadline.", title=title)
    if kind == "deadline_reminder":
        return _("Bidding on “%(title)s” closes on %(deadline)s (Korean time).", title=title,
                 deadline=params.get("deadline", ""))
    if kind == "bids_ready":
        return _("Bidding on “%(title)s” has closed. Compare the bids by your criteria.", title=title)
    if kind == "award_won":
        return _("Your bid on “%(title)s” was awarded. Score %(score)s, rank 1.", title=title,
                 score=params.get("score", ""))
    if kind == "award_lost":
        return _("Another bid was awarded for “%(title)s”. Your bid scored %(score)s and ranked %(rank)s.",
                 title=title, score=params.get("score", ""), rank=params.get("rank", ""))
    if kind == "bid_rejected":
        return _("Your bid on “%(title)s” was not taken further: %(reason)s", title=title,
                 reason=params.get("reason", ""))
    if kind == "bid_shortlisted":
        return _("Your bid on “%(title)s” is on the shortlist.", title=title)
    if kind == "agreement_terminated" and several:
        if params.get("by") == "vendor":
            return _("The vendor terminated the agreement for “%(title)s”: %(reason)s", title=title,
                     reason=params.get("reason", ""))
        return _("The cooperative terminated the agreement for “%(title)s”: %(reason)s", title=title,
                 reason=params.get("reason", ""))
    if kind == "agreement_terminated":
        return _("The agreement for “%(title)s” was terminated by the other party: %(reason)s", title=title,
                 reason=params.get("reason", ""))
    if kind == "subsidy_pending":
        return _("A bid was awarded on “%(title)s”; its subsidy waits for your approval.", title=title)
    if kind == "subsidy_approved":
        return _("The subsidy for “%(title)s” was approved; the agreement can now be signed.", title=title)
    if kind == "subsidy_rejected":
        return _("The subsidy for “%(title)s” was not approved: %(reason)s", title=title,
                 reason=params.get("reason", ""))
    if kind == "agreement_ready":
        return _("The agreement for “%(title)s” is ready to sign.", title=title)
    if kind == "agreement_proposal":
        return _("A new version (%(version)s) of the agreement for “%(title)s” was proposed; review and sign it.",
                 title=title, version=params.get("version", ""))
    if kind == "agreement_signed_by_other" and several:
        return _("Another party signed the agreement for “%(title)s”; your signature is awaited.", title=title)
    if kind == "agreement_signed_by_other":
        return _("The other party signed the agreement for “%(title)s”; your signature is awaited.", title=title)
    if kind == "agreement_signed" and several:
        return _("The agreement for “%(title)s” is signed by every party.", title=title)
    if kind == "agreement_signed":
        return _("The agreement for “%(title)s” is signed by both parties.", title=title)
    if kind == "milestone_delivered":
        return _("Milestone “%(milestone)s” of “%(title)s” was delivered; accept or reject it.", title=title,
                 milestone=params.get("milestone", ""))
    if kind == "milestone_accepted":
        return _("Milestone “%(milestone)s” of “%(title)s” was accepted; its payment of %(amount)s won is due.",
                 title=title, milestone=params.get("milestone", ""), amount=params.get("amount", ""))
    if kind == "milestone_rejected":
        return _("Milestone “%(milestone)s” of “%(title)s” was rejected: %(reason)s. You may deliver again within "
                 "%(days)s days.", title=title, milestone=params.get("milestone", ""),
                 reason=params.get("reason", ""), days=params.get("days", ""))
    if kind == "holdout_sealed":
        return _("The client sealed the evaluation data of KPI “%(kpi)s” of “%(title)s” (%(rows)s rows, SHA-256 "
                 "%(sha256)s…); it is part of the terms you sign.", title=title, kpi=params.get("kpi", ""),
                 rows=params.get("rows", ""), sha256=params.get("sha256", ""))
    if kind == "kpi_evaluated":
        return _("The vendor's predictions for milestone “%(milestone)s” of “%(title)s” were measured: KPIs met "
                 "%(passed)s/%(total)s.", title=title, milestone=params.get("milestone", ""),
                 passed=params.get("passed", ""), total=params.get("total", ""))
    if kind == "follow_up_due":
        return _("%(months)s months after completing “%(title)s”: is the system still in use?", title=title,
                 months=params.get("months", ""))
    if kind == "review_received":
        return _("The client reviewed your work on “%(title)s”: %(score)s of 5.", title=title,
                 score=params.get("score", ""))
    return _("Something changed on “%(title)s”.", title=title)


def _amendment_message(title: str, params: dict) -> str:
    labels = problem_field_labels()
    fields = ", ".join(labels.get(f, f) for f in params.get("fields") or ())
    text = _("Amendment no. %(number)s to “%(title)s” changed: %(fields)s.", number=params.get("number", ""),
             title=title, fields=fields)
    if params.get("reconfirm"):
        text += " " + _("This changes what you priced: confirm your bid again before the deadline.")
    else:
        text += " " + _("Your bid stays valid.")
    if params.get("deadline"):
        text += " " + _("The bid deadline is now %(deadline)s (Korean time).",
                        deadline=format_when(datetime.fromisoformat(params["deadline"])))
    return text


def notify(session: Session, users: Iterable[User], kind: str, params: dict, link: str | None = None) -> int:
    """Notify each user in-app and queue an e-mail in their language. Returns how many were notified."""
    count = 0
    emails: list[OutboxEmail] = []
    for user in {u.id: u for u in users if u is not None and u.is_active}.values():
        session.add(Notification(user_id=user.id, kind=kind, params=params, link=link))
        logger.info("notification kind=%s user=%s", kind, user.id)
        count += 1
        if user.email_notifications == "none":  # the account page's preference: in the app only
            continue
        with force_locale(user.locale):
            text = message(kind, params)
            subject = _("[AX Bridge] %(text)s", text=text)[:300]
            body = text + ("\n\n" + _("Open: %(link)s", link=_absolute(link)) if link else "")
        emails.append(OutboxEmail(to_email=user.email, subject=subject, body=body))
        session.add(emails[-1])
    session.flush()
    for email in emails:
        after_commit(session, "deliver_email", email_id=email.id)
    return count


def notify_organisations(session: Session, organisation_ids: Iterable[int], kind: str, params: dict,
                         link: str | None = None) -> int:
    ids = set(organisation_ids)
    if not ids:
        return 0
    users = session.exec(select(User).where(User.organisation_id.in_(ids))).all()
    return notify(session, users, kind, params, link)


def _absolute(link: str | None) -> str:
    base = current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000") if has_app_context() else ""
    return f"{base.rstrip('/')}{link or ''}"


def notifications_query(user: User):
    """The user's notifications, newest first (the API pages through it)."""
    return select(Notification).where(Notification.user_id == user.id).order_by(Notification.created_at.desc(),
                                                                               Notification.id.desc())


def list_notifications(session: Session, user: User, *, limit: int = 50) -> list[Notification]:
    return list(session.exec(notifications_query(user).limit(limit)))


def unread_count(session: Session, user: User) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))).one()


def mark_all_read(session: Session, user: User) -> int:
    rows = session.exec(select(Notification).where(Notification.user_id == user.id,
                                                   Notification.read_at.is_(None))).all()
    now = utcnow()
    for row in rows:
        row.read_at = now
        session.add(row)
    session.flush()
    return len(rows)


def deliver_outbox(session: Session, *, limit: int = 200) -> int:
    """Send the due e-mails in this transaction (marketplace/mail: SMTP, or the log in development).
    Returns how many were sent; a refused one stays queued for a later attempt."""
    return outbox.deliver_due(session, mail.send, limit=limit)
