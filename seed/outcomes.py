"""Demo KPI acceptance: sealed holdouts before signing, evaluations at a milestone, follow-up answers.

Data is made here, deterministically: ``rows`` truth values spread around ``base``; each attempt predicts
every truth off by exactly its ``error`` (alternately above and below), so its MAE and RMSE are that error.
Every step goes through the services and is skipped when it was done before (a second run changes nothing).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, User
from marketplace.agreements import services as agreements
from marketplace.agreements.models import Agreement, AgreementStatus, MilestoneStatus
from marketplace.core.types import utcnow
from marketplace.outcomes import services as outcomes
from marketplace.outcomes.models import FollowUp
from marketplace.outcomes.schemas import FollowUpIn, HoldoutIn, PredictionsIn
from marketplace.problems import services as problems
from marketplace.problems.models import Problem
from seed.problems import owner_of

logger = logging.getLogger(__name__)


def _owner(session: Session, organisation_id: int) -> User:
    return owner_of(session, session.get(Organisation, organisation_id))


def _truths(spec: dict) -> list[Decimal]:
    base, spread, rows = Decimal(str(spec["base"])), Decimal(str(spec["spread"])), int(spec["rows"])
    return [(base + spread * Decimal((i * 37) % 101 - 50) / 50).quantize(Decimal("0.1")) for i in range(rows)]


def _csv(header: str, values: list[Decimal]) -> bytes:
    lines = [f"번호,{header}"] + [f"S-{i + 1:03d},{v}" for i, v in enumerate(values)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def seal(session: Session, agreement: Agreement, spec: dict, report) -> None:
    """Before signing: the client seals the holdout of the scenario's KPI."""
    if outcomes.holdout_for(session, agreement, spec["kpi"]) is not None or agreement.signed_version is not None \
            or agreement.status != AgreementStatus.DRAFT:
        return
    kpi_id = next(k.id for k in problems.list_kpis(session, session.get(Problem, agreement.problem_id))
                  if k.name == spec["kpi"])
    outcomes.seal_holdout(session, user=_owner(session, agreement.client_id), agreement=agreement, kpi_id=kpi_id,
                          data=_csv("실제값", _truths(spec)), filename="holdout.csv",
                          choice=HoldoutIn(metric=spec["metric"]))
    report.created["sealed holdouts"] += 1


def evaluate(session: Session, agreement: Agreement, spec: dict, report) -> None:
    """At the scenario's milestone: the vendor's attempts, each off by its error."""
    if agreement.signed_version is None:
        return
    milestone = agreements.list_milestones(session, agreement)[spec["milestone"]]
    if outcomes.list_evaluations(session, milestone) or milestone.status == MilestoneStatus.ACCEPTED:
        return
    vendor = _owner(session, agreement.vendor_id)
    truths = _truths(spec)
    for attempt, error in enumerate(spec["attempts"]):
        error = Decimal(error)
        predicted = [t + error if i % 2 else t - error for i, t in enumerate(truths)]
        outcomes.submit_predictions(session, user=vendor, milestone=milestone, data=_csv("예측값", predicted),
                                    filename=f"predictions-{attempt + 1}.csv", choice=PredictionsIn())
        report.created["evaluations"] += 1


def follow_up(session: Session, agreement: Agreement, spec: dict, report) -> None:
    """A project completed ``completed_days_ago``: its questions, asked when due, answered as the scenario says."""
    if session.exec(select(FollowUp).where(FollowUp.agreement_id == agreement.id)).first() is not None:
        return
    milestones = agreements.list_milestones(session, agreement)
    if not milestones or any(m.status != MilestoneStatus.ACCEPTED for m in milestones):
        return
    completed_at = utcnow() - timedelta(days=int(spec["completed_days_ago"]))
    for m in milestones:  # the demo cannot wait a year: the project was completed back then
        m.decided_at = min(m.decided_at or completed_at, completed_at)
        session.add(m)
    session.flush()
    outcomes.schedule_follow_ups(session)
    outcomes.ask_due_follow_ups(session)
    client = _owner(session, agreement.client_id)
    for row in outcomes.list_follow_ups(session, agreement):
        answer = spec["answers"].get(str(row.months))
        if answer is not None and row.asked_at is not None:
            outcomes.answer_follow_up(session, user=client, follow_up=row, answer=FollowUpIn(**answer))
            report.created["follow-up answers"] += 1


__all__ = ["evaluate", "follow_up", "seal"]
