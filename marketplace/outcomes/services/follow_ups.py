"""After completion: the client is asked at 6, 12 and 24 months whether the system is still in use.

:func:`run_follow_ups` is the periodic job (``axbridge tick`` calls it; the operations queue may schedule
it): it writes the three questions of each newly completed agreement, then asks the ones that fell due,
each exactly once (a due row is claimed by an UPDATE that only one worker can win), in the app and by e-mail.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import func, update
from sqlmodel import Session, select

from acceptance.numbers import to_decimal
from marketplace.accounts.models import User
from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement, AgreementMilestone
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.notifications import services as notifications
from marketplace.outcomes.models import FOLLOW_UP_MONTHS, FollowUp
from marketplace.outcomes.schemas import FollowUpIn
from marketplace.problems.models import Problem, ProblemState

logger = logging.getLogger(__name__)
KST = timezone(timedelta(hours=9))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter: 31 Aug + 6 → 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_follow_ups(session: Session) -> int:
    """Write the follow-up questions of every completed agreement that has none yet; returns how many agreements."""
    done = select(FollowUp.agreement_id)
    rows = session.exec(select(Agreement, func.max(AgreementMilestone.decided_at))
                        .join(Problem, Problem.id == Agreement.problem_id)
                        .join(AgreementMilestone, AgreementMilestone.agreement_id == Agreement.id)
                        .where(Problem.state == ProblemState.COMPLETED, Agreement.id.not_in(done))
                        .group_by(Agreement.id)).all()
    for agreement, completed_at in rows:
        completed_on = (completed_at or utcnow()).astimezone(KST).date()
        for months in FOLLOW_UP_MONTHS:
            session.add(FollowUp(agreement_id=agreement.id, vendor_id=agreement.vendor_id,
                                 client_id=agreement.client_id, months=months,
                                 due_on=add_months(completed_on, months)))
    session.flush()
    return len(rows)


def ask_due_follow_ups(session: Session, *, today: date | None = None) -> int:
    """Ask every follow-up that is due and not yet asked; each row is claimed once."""
    today = today or utcnow().astimezone(KST).date()
    due = session.exec(select(FollowUp).where(FollowUp.due_on <= today, FollowUp.asked_at.is_(None))
                       .order_by(FollowUp.id)).all()
    asked = 0
    for row in due:
        claimed = session.execute(update(FollowUp).where(FollowUp.id == row.id, FollowUp.asked_at.is_(None))
                                  .values(asked_at=utcnow())).rowcount
        if not claimed:
            continue
        problem = session.get(Problem, session.get(Agreement, row.agreement_id).problem_id)
        notifications.notify_organisations(session, [row.client_id], "follow_up_due",
                                           {"title": problem.title, "months": row.months},
                                           link=f"/follow-ups/{row.id}")
        asked += 1
    session.flush()
    logger.info("follow-ups asked: %s", asked)
    return asked


def run_follow_ups(session: Session, *, today: date | None = None) -> tuple[int, int]:
    """The periodic job: (agreements scheduled, questions asked)."""
    return schedule_follow_ups(session), ask_due_follow_ups(session, today=today)


def list_follow_ups(session: Session, agreement: Agreement) -> list[FollowUp]:
    return list(session.exec(select(FollowUp).where(FollowUp.agreement_id == agreement.id)
                             .order_by(FollowUp.months)))


def get_follow_up(session: Session, follow_up_id: int, *, viewer: User) -> tuple[FollowUp, Agreement]:
    row = session.get(FollowUp, follow_up_id)
    agreement = session.get(Agreement, row.agreement_id) if row else None
    if agreement is None or not agreements.can_view(session, viewer, agreement):
        raise NotFound(_("No such follow-up."))
    return row, agreement


def answer_follow_up(session: Session, *, user: User, follow_up: FollowUp, answer: FollowUpIn) -> FollowUp:
    """The client answers a follow-up it was asked: still in use, and optionally the KPI's value now."""
    agreement = session.get(Agreement, follow_up.agreement_id)
    if user.organisation_id != agreement.client_id:
        raise NotAllowed(_("Only the client answers the follow-up questions."))
    if follow_up.asked_at is None:
        raise Conflict(_("This question is asked on %(day)s; it cannot be answered before.",
                         day=follow_up.due_on.isoformat()))
    if follow_up.answered_at is not None:
        raise Conflict(_("This question is already answered."))
    value = None
    if answer.kpi_value is not None:
        try:
            number = to_decimal(answer.kpi_value)
        except OverflowError:
            number = None
        if number is None:
            raise ValidationFailed(_("Enter the KPI's value as a number, e.g. 96.5."), field="kpi_value")
        if not answer.evidence.strip():
            raise ValidationFailed(_("Say where the value comes from (a report, a system record)."),
                                   field="evidence")
        value = str(number)
    terms = agreements.terms_of(agreements.get_version(session, agreement, agreement.signed_version))
    follow_up.still_in_use = answer.still_in_use
    follow_up.kpi_name = terms.kpis[0].name if value is not None and terms.kpis else None
    follow_up.kpi_value = value
    follow_up.evidence = answer.evidence.strip()
    follow_up.answered_at = utcnow()
    follow_up.answered_by_id = user.id
    session.add(follow_up)
    session.flush()
    logger.info("follow-up %s answered in_use=%s", follow_up.id, follow_up.still_in_use)
    return follow_up
