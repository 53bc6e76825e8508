"""Milestone dates and the resubmission window: the calendar rules of delivery.

A pure rule: no Flask, no database. The parties' calendar is Korea's (UTC+9, no daylight saving):
a milestone due "week 3" falls three weeks after the Korean date on which the agreement first took
effect; a rejected milestone may be delivered again within the resubmission period, a limited number
of times. Refusals are codes, translated by the service.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import contracts

#: Korea Standard Time, the parties' calendar.
KST = timedelta(hours=9)

#: Refusal codes of a new delivery after a rejection.
RESUBMISSION_PERIOD_PASSED = "resubmission_period_passed"
NO_RESUBMISSION_LEFT = "no_resubmission_left"


def korean_date(moment: datetime) -> date:
    """The date in Korea at a UTC-aware moment."""
    return (moment + KST).date()


def due_date(milestone: contracts.Milestone, took_effect: date) -> date:
    """A milestone's due date: its own date, or its week counted from the day the agreement took effect."""
    return milestone.due_date or (took_effect + timedelta(weeks=milestone.due_week))


def redelivery_refusal(*, rejected_at: datetime, deliveries: int, now: datetime, resubmission_days: int,
                       max_resubmissions: int) -> str | None:
    """Why a rejected milestone, delivered ``deliveries`` times so far, cannot be delivered again now (or None)."""
    if now > rejected_at + timedelta(days=resubmission_days):
        return RESUBMISSION_PERIOD_PASSED
    if deliveries > max_resubmissions:
        return NO_RESUBMISSION_LEFT
    return None
