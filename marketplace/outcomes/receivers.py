"""How KPI acceptance reacts to the agreements area (signals declared in :mod:`marketplace.signals`)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from marketplace import signals
from marketplace.agreements.models import AgreementMilestone
from marketplace.core.errors import Conflict
from marketplace.outcomes import services


def refuse_a_failed_evaluation(milestone: AgreementMilestone, *, session: Session) -> None:
    """A milestone whose last evaluation failed is accepted only with a recorded reason (accept despite a fail)."""
    latest = services.latest_evaluation(session, milestone)
    if latest is not None and not latest.passed and services.waiver_of(session, latest) is None:
        raise Conflict(_("The last evaluation of this milestone failed (KPIs met %(passed)d/%(total)d): reject it, "
                         "or accept it despite the result and say why.", passed=latest.passed_count,
                         total=latest.total))


def connect() -> None:
    signals.milestone_accepting.connect(refuse_a_failed_evaluation)
