"""Drafting and changing a problem: the contract (``ProblemCreate``/``ProblemUpdate``) has checked the input;
these add the rules that need the stored problem (who, which state, the budget it already has)."""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session

from marketplace import signals
from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotAllowed, NotFound
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from marketplace.problems.models import Problem, ProblemKpi, ProblemState
from marketplace.problems.schemas import BudgetRange, DataAssetIn, KpiIn, ProblemCreate, ProblemUpdate
from marketplace.problems.services.access import POSTER_KINDS, is_member, list_kpis, org_kind
from marketplace.problems.services.lifecycle import weights_commitment

logger = logging.getLogger(__name__)

#: States in which the SME may still change the problem (bidding: until the deadline).
EDITABLE_STATES = (ProblemState.DRAFT, ProblemState.ENQUIRIES, ProblemState.BIDDING)


def create_problem(session: Session, *, user: User, draft: ProblemCreate) -> Problem:
    """A new draft of the user's organisation, with whatever ``draft`` gives besides the title."""
    if org_kind(session, user) not in POSTER_KINDS:
        raise NotAllowed(_("Only SMEs and cooperatives can post problems."))
    problem = Problem(organisation_id=user.organisation_id, created_by_id=user.id, title=draft.title)
    _apply(session, problem, draft)
    logger.info("problem drafted id=%s org=%s", problem.id, problem.organisation_id)
    return problem


def update_problem(session: Session, *, user: User, problem: Problem, changes: ProblemUpdate,
                   step: int | None = None) -> Problem:
    """Change the fields ``changes`` gives. Once published, every change is a new revision that vendors
    see (and bids of the old one must be confirmed again). ``step``: the wizard step reached."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state not in EDITABLE_STATES or (
            problem.state == ProblemState.BIDDING and problem.bid_deadline is not None
            and problem.bid_deadline <= utcnow()):
        raise Conflict(_("A problem can no longer be edited once bidding has closed."))
    _apply(session, problem, changes)
    if problem.weights_sha256 is not None:
        # an amendment during bidding (published, old bids invalidated) is committed anew
        problem.weights_sha256 = weights_commitment(problem)
    if step is not None:
        problem.wizard_step = max(problem.wizard_step, step)
    if problem.state != ProblemState.DRAFT:
        problem.revision += 1
        logger.info("published problem edited id=%s revision=%s", problem.id, problem.revision)
        audit.record(session, "problem_edited", actor=user, obj=problem, details={"revision": problem.revision})
        signals.problem_edited.send(problem, session=session)
    session.add(problem)
    session.flush()
    return problem


def _apply(session: Session, problem: Problem, changes: ProblemUpdate) -> None:
    """Check what needs the stored problem, then write every change (nothing when something is refused)."""
    given = changes.changes()
    if {"budget_min_krw", "budget_max_krw"} & set(given):
        parse(BudgetRange, {"budget_min_krw": given.get("budget_min_krw", problem.budget_min_krw),
                            "budget_max_krw": given.get("budget_max_krw", problem.budget_max_krw)})
    kpis: list[KpiIn] | None = given.pop("kpis", None)
    weights = given.pop("weights", None)
    for name, value in given.items():
        setattr(problem, name, _stored(value))
    if weights is not None:
        problem.set_weights(weights)
    session.add(problem)
    session.flush()
    if kpis is not None:
        for old in list_kpis(session, problem):
            session.delete(old)
        session.flush()
        for position, kpi in enumerate(kpis, start=1):
            session.add(ProblemKpi(problem_id=problem.id, position=position, name=kpi.name, unit=kpi.unit,
                                   baseline=kpi.baseline, target=kpi.target, direction=kpi.direction))
        session.flush()


def _stored(value: Any) -> Any:
    """Data sets are kept as plain JSON rows."""
    if isinstance(value, list) and value and isinstance(value[0], DataAssetIn):
        return [asset.model_dump() for asset in value]
    return value
