"""Verified outcomes of a vendor: KPIs the platform measured, and systems still in use a year after completion.

The evidence provenance of the vendor profile (``verified``) consumes :func:`verified_kpi_outcomes`; the
public profile shows ``KPI 달성 3/3 (플랫폼 측정)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from marketplace.outcomes.models import Evaluation, FollowUp


@dataclass(frozen=True)
class VerifiedOutcomes:
    #: KPIs met / KPIs measured, on the last attempt of each evaluated milestone
    achieved: int
    evaluated: int
    #: 12-month follow-ups answered, and of those, systems still in use
    followed_up_12m: int
    in_use_12m: int

    @property
    def kpi_label(self) -> str:
        return _("KPIs met %(achieved)d/%(evaluated)d (measured by the platform)", achieved=self.achieved,
                 evaluated=self.evaluated)

    @property
    def in_use_rate(self) -> int | None:
        """Percent of the answered 12-month follow-ups saying the system is still in use (None without one)."""
        if not self.followed_up_12m:
            return None
        return round(100 * self.in_use_12m / self.followed_up_12m)

    def to_dict(self) -> dict:
        return {"achieved": self.achieved, "evaluated": self.evaluated, "followed_up_12m": self.followed_up_12m,
                "in_use_12m": self.in_use_12m}


def verified_kpi_outcomes(session: Session, vendor_org_id: int) -> VerifiedOutcomes:
    """The vendor's platform-measured KPI results (last attempt per milestone) and its 12-month survival."""
    last = (select(Evaluation.milestone_id, func.max(Evaluation.attempt).label("attempt"))
            .where(Evaluation.vendor_id == vendor_org_id).group_by(Evaluation.milestone_id).subquery())
    achieved, evaluated = session.exec(
        select(func.coalesce(func.sum(Evaluation.passed_count), 0), func.coalesce(func.sum(Evaluation.total), 0))
        .join(last, (last.c.milestone_id == Evaluation.milestone_id) & (last.c.attempt == Evaluation.attempt))).one()
    answered = session.exec(select(FollowUp.still_in_use).where(
        FollowUp.vendor_id == vendor_org_id, FollowUp.months == 12, FollowUp.answered_at.is_not(None))).all()
    return VerifiedOutcomes(achieved=int(achieved), evaluated=int(evaluated), followed_up_12m=len(answered),
                            in_use_12m=sum(1 for a in answered if a))
