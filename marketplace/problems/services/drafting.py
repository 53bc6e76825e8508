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
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from marketplace.problems.changes import diff, kpi_row, plain
from marketplace.problems.models import Problem, ProblemAmendment, ProblemKpi, ProblemState
from marketplace.problems.schemas import BudgetRange, DataAssetIn, KpiIn, ProblemCreate, ProblemUpdate
from marketplace.problems.services.access import POSTER_KINDS, is_member, list_kpis, org_kind
from marketplace.problems.services.amendments import list_amendments, publish_amendment
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
                   step: int | None = None, note: str = "") -> Problem:
    """Change the fields ``changes`` gives. Saving without a real change changes nothing. Once published, a
    real change is a new revision that vendors see; during bidding it is published as an amendment
    (:func:`marketplace.problems.services.amendments.publish_amendment`: what changed, old → new; bids
    re-confirm only when a priced field changed; the deadline moves out). ``step``: the wizard step reached."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state not in EDITABLE_STATES or (
            problem.state == ProblemState.BIDDING and problem.bid_deadline is not None
            and problem.bid_deadline <= utcnow()):
        raise Conflict(_("A problem can no longer be edited once bidding has closed."))
    before = snapshot(problem, list_kpis(session, problem))
    _apply(session, problem, changes, before=before)
    if step is not None and step > problem.wizard_step:
        problem.wizard_step = step
    found = diff(before, snapshot(problem, list_kpis(session, problem)))
    if found and problem.weights_sha256 is not None:
        # a change during bidding is published as an amendment: the weights text is committed anew
        problem.weights_sha256 = weights_commitment(problem)
    if found and problem.state != ProblemState.DRAFT:
        problem.revision += 1
        logger.info("published problem edited id=%s revision=%s", problem.id, problem.revision)
        audit.record(session, "problem_edited", actor=user, obj=problem,
                     details={"revision": problem.revision, "fields": [c.field for c in found]})
        if problem.state == ProblemState.BIDDING:
            session.add(problem)
            session.flush()
            publish_amendment(session, user=user, problem=problem, changes=found, note=note)
        else:
            signals.problem_edited.send(problem, session=session)
    session.add(problem)
    session.flush()
    return problem


def amend_problem(session: Session, *, user: User, problem: Problem, changes: ProblemUpdate,
                  note: str = "") -> ProblemAmendment:
    """Publish an amendment of a problem in bidding (``POST .../amendments``): it must change something."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state != ProblemState.BIDDING:
        raise Conflict(_("Amendments are published while bidding is open; before that, edit the problem."))
    before = list_amendments(session, problem)
    update_problem(session, user=user, problem=problem, changes=changes, note=note)
    after = list_amendments(session, problem)
    if len(after) == len(before):
        raise ValidationFailed(_("Nothing changed: an amendment needs at least one changed field."))
    return after[-1]


def snapshot(problem: Problem, kpis: list[ProblemKpi]) -> dict[str, Any]:
    """The problem's fields as plain JSON values (the input of :func:`marketplace.problems.changes.diff`)."""
    return {
        "title": problem.title, "description": problem.description, "process": problem.process,
        "industry": problem.industry, "problem_types": list(problem.problem_types or ()),
        "kpis": [kpi_row(k.name, k.unit, k.baseline, k.target, k.direction, k.metric, k.measured_on, k.period)
                 for k in kpis],
        "data_assets": plain(list(problem.data_assets or ())), "systems": list(problem.systems or ()),
        "on_premises_required": bool(problem.on_premises_required), "budget_min_krw": problem.budget_min_krw,
        "budget_max_krw": problem.budget_max_krw, "wanted_by": plain(problem.wanted_by),
        "weights": dict(problem.weights), "tco_horizon_years": problem.tco_horizon_years,
        "visibility": str(problem.visibility), "opening_shows_names": bool(problem.opening_shows_names),
        "amendment_min_days": problem.amendment_min_days,
    }


def _apply(session: Session, problem: Problem, changes: ProblemUpdate, *, before: dict | None = None) -> None:
    """Check what needs the stored problem, then write every change (nothing when something is refused).
    ``before``: the stored snapshot; a field given with its stored value is not written again."""
    given = changes.changes()
    if {"budget_min_krw", "budget_max_krw"} & set(given):
        parse(BudgetRange, {"budget_min_krw": given.get("budget_min_krw", problem.budget_min_krw),
                            "budget_max_krw": given.get("budget_max_krw", problem.budget_max_krw)})
    kpis: list[KpiIn] | None = given.pop("kpis", None)
    weights = given.pop("weights", None)
    for name, value in given.items():
        stored = _stored(value)
        if plain(getattr(problem, name)) != plain(stored):
            setattr(problem, name, stored)
    if weights is not None and problem.weights != dict(weights):
        problem.set_weights(weights)
    session.add(problem)
    session.flush()
    if kpis is not None and (before is None or before["kpis"] != [
            kpi_row(k.name, k.unit, k.baseline, k.target, k.direction, k.metric, k.measured_on, k.period) for k in kpis]):
        for old in list_kpis(session, problem):
            session.delete(old)
        session.flush()
        for position, kpi in enumerate(kpis, start=1):
            session.add(ProblemKpi(problem_id=problem.id, position=position, name=kpi.name, unit=kpi.unit,
                                   baseline=kpi.baseline, target=kpi.target, direction=kpi.direction,
                                   metric=kpi.metric, measured_on=kpi.measured_on, period=kpi.period))
        session.flush()


def _stored(value: Any) -> Any:
    """Data sets are kept as plain JSON rows."""
    if isinstance(value, list) and value and isinstance(value[0], DataAssetIn):
        return [asset.model_dump() for asset in value]
    return value
