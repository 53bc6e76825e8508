"""Rows to engine records: what of an offering or a problem the ranking engine (``matching``) reads."""

from __future__ import annotations

from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.problems.models import Problem, ProblemState
from matching import OfferingRecord, ProblemRecord, Weights

#: Problems vendors can still act on; only these are indexed for the vendor side.
RANKED_PROBLEM_STATES = (ProblemState.ENQUIRIES, ProblemState.BIDDING)


def offering_record(offering: Offering) -> OfferingRecord:
    return OfferingRecord(
        id=offering.id, title=offering.title, description=offering.description,
        capabilities=tuple(offering.capabilities), industries=tuple(offering.industries),
        regions_served=tuple(offering.regions_served), deployment_modes=tuple(offering.deployment_modes),
        price_min=offering.price_min_krw, price_max=offering.price_max_krw, duration_weeks=offering.typical_weeks,
        profile=dict(offering.profile), completed_projects=offering.completed_projects,
        mean_review=float(offering.mean_review) if offering.mean_review is not None else None,
        capacity=offering.capacity,
    )


def problem_record(problem: Problem, region: str | None) -> ProblemRecord:
    weights = problem.weights
    return ProblemRecord(
        id=problem.id, title=problem.title, description=problem.description or "",
        problem_types=tuple(problem.problem_types), industry=problem.industry, region=region,
        budget_min=problem.budget_min_krw, budget_max=problem.budget_max_krw,
        on_premises_required=problem.on_premises_required,
        data_available=tuple(d.get("kind", "") for d in problem.data_assets),
        existing_systems=tuple(problem.systems),
        weights=Weights.from_mapping(weights) if any(weights.values()) else None,
    )


def is_indexed_offering(offering: Offering | None) -> bool:
    return offering is not None and offering.status == OfferingStatus.ACTIVE


def is_indexed_problem(problem: Problem | None) -> bool:
    return problem is not None and problem.state in RANKED_PROBLEM_STATES
