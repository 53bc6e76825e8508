"""Brokering: the agency's officers recommend vendors to the SMEs of the program's problems, helped by the
ranking of each problem's best vendors."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.core.errors import ValidationFailed
from marketplace.discovery import services as discovery
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.problems.models import Problem
from marketplace.programs.models import Program, Recommendation
from marketplace.programs.services.applications import list_applications
from marketplace.programs.services.common import require_officer

logger = logging.getLogger(__name__)


def get_program_problem(session: Session, program: Program, problem_id: int) -> Problem:
    """A problem entered into the program."""
    problem = session.get(Problem, problem_id)
    if problem is None or problem.program_id != program.id:
        raise ValidationFailed(_("This problem is not part of the program."), field="problem_id")
    return problem


def recommend_vendors(session: Session, *, officer: User, program: Program, problem: Problem,
                      vendor_ids: Iterable[int], offering_ids: dict[int, int] | None = None,
                      scores: dict[int, float] | None = None) -> list[Recommendation]:
    """Recommend vendors to the SME of a program problem; returns the new recommendations (repeats are skipped)."""
    require_officer(session, officer, program)
    problem = get_program_problem(session, program, problem.id)
    vendor_ids = list(dict.fromkeys(int(v) for v in vendor_ids))
    vendors = {v.id: v for v in session.exec(select(Organisation).where(Organisation.id.in_(vendor_ids)))}
    bad = [v for v in vendor_ids if v not in vendors or vendors[v].kind != OrgKind.VENDOR]
    if bad:
        raise ValidationFailed(_("Not an AI vendor: %(ids)s.", ids=", ".join(map(str, bad))), field="vendor_ids")
    have = set(session.exec(select(Recommendation.vendor_id).where(Recommendation.program_id == program.id,
                                                                   Recommendation.problem_id == problem.id)))
    created = []
    for vendor_id in vendor_ids:
        if vendor_id in have:
            continue
        offering_id = (offering_ids or {}).get(vendor_id) or _best_offering_id(session, vendor_id)
        rec = Recommendation(program_id=program.id, problem_id=problem.id, vendor_id=vendor_id,
                             offering_id=offering_id, recommended_by_id=officer.id,
                             score=(scores or {}).get(vendor_id))
        session.add(rec)
        created.append(rec)
    session.flush()
    logger.info("vendors recommended program=%s problem=%s vendors=%s", program.id, problem.id,
                [r.vendor_id for r in created])
    return created


def _best_offering_id(session: Session, vendor_id: int) -> int | None:
    return session.exec(select(Offering.id).where(Offering.organisation_id == vendor_id,
                                                  Offering.status == OfferingStatus.ACTIVE)
                        .order_by(Offering.completed_projects.desc(), Offering.id)).first()


def list_recommendations(session: Session, program: Program) -> list[Recommendation]:
    return list(session.exec(select(Recommendation).where(Recommendation.program_id == program.id)
                             .order_by(Recommendation.created_at, Recommendation.id)))


@dataclass
class BrokeredProblem:
    problem: Problem
    organisation: Organisation
    ranked: list[discovery.RankedOffering]
    recommended: set[int]


def broker_view(session: Session, program: Program, *, top: int = 5) -> list[BrokeredProblem]:
    """The program's problems, each with its best-ranked vendors and those already recommended."""
    recs: dict[int, set[int]] = {}
    for rec in list_recommendations(session, program):
        recs.setdefault(rec.problem_id, set()).add(rec.vendor_id)
    out = []
    for _application, problem, org in list_applications(session, program):
        ranked = discovery.rank_offerings_for_problem(session, problem, top=top * 2)
        seen, best = set(), []
        for r in ranked:  # one line per vendor: its best offering
            if r.vendor.id not in seen:
                seen.add(r.vendor.id)
                best.append(r)
        out.append(BrokeredProblem(problem, org, best[:top], recs.get(problem.id, set())))
    return out


# --- batch matching --------------------------------------------------------------------------------
