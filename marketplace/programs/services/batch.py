"""Batch matching: one vendor suggested for each open problem of the program, within the vendors' capacities,
maximising the total score (optionally with a minimum share of SMEs outside the capital region); the pairs the
officer keeps become recommendations."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, User
from marketplace.core.errors import ValidationFailed
from marketplace.discovery import services as discovery
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.problems.models import Problem
from marketplace.programs.models import Program, Recommendation
from marketplace.programs.services.brokering import get_program_problem, recommend_vendors
from marketplace.programs.services.common import MATCHABLE_STATES, require_officer
from matching import taxonomy

logger = logging.getLogger(__name__)


@dataclass
class BatchPair:
    problem: Problem
    organisation: Organisation
    vendor: Organisation
    offering: Offering
    score: float

    @property
    def capital(self) -> bool:
        region = taxonomy.get_region(self.organisation.region)
        return bool(region and region.capital)


@dataclass
class BatchResult:
    pairs: list[BatchPair]
    greedy_pairs: list[BatchPair]
    objective: float
    greedy_objective: float
    non_capital_share: float | None
    greedy_non_capital_share: float | None
    min_non_capital_share: float | None
    min_share_met: bool
    problem_count: int
    capacities: dict[int, int]
    vendors: dict[int, Organisation] = field(default_factory=dict)
    unassigned: list[Problem] = field(default_factory=list)

    @property
    def improvement(self) -> float:
        return self.objective / self.greedy_objective - 1.0 if self.greedy_objective > 0 else 0.0


def matchable_problems(session: Session, program: Program) -> list[tuple[Problem, Organisation]]:
    rows = session.exec(select(Problem, Organisation).join(Organisation, Organisation.id == Problem.organisation_id)
                        .where(Problem.program_id == program.id, Problem.state.in_(MATCHABLE_STATES))
                        .order_by(Problem.id)).all()
    return [tuple(r) for r in rows]


def batch_match(session: Session, *, officer: User, program: Program,
                min_non_capital_share: float | None = None) -> BatchResult:
    """Suggest one vendor per open program problem, within each vendor's capacity, maximising the total score.

    A vendor's capacity is the sum of its active offerings' capacities; its score for a problem is that of its
    best offering. ``min_non_capital_share`` asks that at least that share of the matched problems come from
    SMEs outside the capital region.
    """
    from matching import assign  # loads scipy's solver on the first batch match, not at app start

    require_officer(session, officer, program)
    if min_non_capital_share is not None and not 0 <= min_non_capital_share <= 1:
        raise ValidationFailed(_("Enter a share between 0 and 1."), field="min_non_capital_share")
    problem_rows = matchable_problems(session, program)
    offerings = list(session.exec(select(Offering).where(Offering.status == OfferingStatus.ACTIVE,
                                                         Offering.capacity > 0).order_by(Offering.id)))
    vendor_ids = sorted({o.organisation_id for o in offerings})
    vendors = {v.id: v for v in session.exec(select(Organisation).where(Organisation.id.in_(vendor_ids or [-1])))}
    capacities = {v: sum(o.capacity for o in offerings if o.organisation_id == v) for v in vendor_ids}
    empty = BatchResult([], [], 0.0, 0.0, None, None, min_non_capital_share, True, len(problem_rows), capacities,
                        vendors, [p for p, _o in problem_rows])
    if not problem_rows or not offerings:
        return empty
    index = discovery.index_manager().index(session)
    matrix = index.score_matrix(problems=[discovery.problem_record(p, org.region) for p, org in problem_rows],
                                offerings=[discovery.offering_record(o) for o in offerings])
    scores = np.asarray(matrix.scores, dtype=np.float64)
    column = {oid: j for j, oid in enumerate(matrix.offering_ids)}
    by_vendor = np.full((len(problem_rows), len(vendor_ids)), -np.inf)
    best_offering = np.full((len(problem_rows), len(vendor_ids)), -1, dtype=np.int64)
    for k, vendor_id in enumerate(vendor_ids):
        cols = [column[o.id] for o in offerings if o.organisation_id == vendor_id]
        block = scores[:, cols]
        pick = np.argmax(block, axis=1)
        by_vendor[:, k] = block[np.arange(len(problem_rows)), pick]
        best_offering[:, k] = np.asarray(cols)[pick]
    capital = [bool((r := taxonomy.get_region(org.region)) and r.capital) for _p, org in problem_rows]
    result = assign(by_vendor, capacities=np.array([capacities[v] for v in vendor_ids]),
                    min_non_capital_share=min_non_capital_share, problem_is_capital=capital,
                    problem_ids=list(range(len(problem_rows))), offering_ids=list(range(len(vendor_ids))))
    offering_by_col = {column[o.id]: o for o in offerings}

    def to_pairs(raw):
        return [BatchPair(problem_rows[i][0], problem_rows[i][1], vendors[vendor_ids[k]],
                          offering_by_col[int(best_offering[i, k])], float(score)) for i, k, score in raw]

    pairs = to_pairs(result.pairs)
    matched = {p.problem.id for p in pairs}
    logger.info("batch match program=%s problems=%d pairs=%d objective=%.3f greedy=%.3f", program.id,
                len(problem_rows), len(pairs), result.objective, result.greedy_objective)
    return BatchResult(pairs=pairs, greedy_pairs=to_pairs(result.greedy_pairs), objective=result.objective,
                       greedy_objective=result.greedy_objective, non_capital_share=result.non_capital_share,
                       greedy_non_capital_share=result.greedy_non_capital_share,
                       min_non_capital_share=min_non_capital_share, min_share_met=result.min_share_met,
                       problem_count=len(problem_rows), capacities=capacities, vendors=vendors,
                       unassigned=[p for p, _o in problem_rows if p.id not in matched])


def publish_matches(session: Session, *, officer: User, program: Program,
                    pairs: Iterable[tuple[int, int]]) -> list[Recommendation]:
    """Turn the pairs the officer kept, ``(problem_id, vendor_id)``, into recommendations."""
    require_officer(session, officer, program)
    chosen: dict[int, list[int]] = {}
    for problem_id, vendor_id in pairs:
        chosen.setdefault(int(problem_id), []).append(int(vendor_id))
    if not chosen:
        raise ValidationFailed(_("Choose at least one pair to publish."), field="pairs")
    created = []
    for problem_id, vendor_ids in chosen.items():
        problem = get_program_problem(session, program, problem_id)
        created += recommend_vendors(session, officer=officer, program=program, problem=problem,
                                     vendor_ids=vendor_ids)
    return created
